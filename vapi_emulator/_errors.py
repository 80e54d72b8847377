"""The NestJS error envelope `{message, error, statusCode}` that every Vapi error uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

__all__ = ["REASONS", "ApiError", "envelope", "error_response"]

REASONS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
"""Reason phrases as NestJS's `HttpException` subclasses write them in the `error` field."""


class ApiError(Exception):
    """An error answered with the NestJS envelope; `message` is a string or, for validation, a list."""

    def __init__(
        self, status: int, message: str | list[str], *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message if isinstance(message, str) else "; ".join(message))
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def envelope(status: int, message: str | list[str]) -> dict[str, Any]:
    """`{"message": ..., "error": <reason>, "statusCode": status}`."""
    return {"message": message, "error": REASONS.get(status, "Error"), "statusCode": status}


def error_response(
    status: int, message: str | list[str], headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A JSON response carrying the envelope."""
    return JSONResponse(envelope(status, message), status_code=status, headers=dict(headers or {}))
