"""The NestJS error envelope `{message, error, statusCode}` that every Vapi error uses, and Vapi's texts."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

__all__ = [
    "INVALID_KEY",
    "MISSING_AUTH",
    "NOT_FOUND",
    "REASONS",
    "ApiError",
    "envelope",
    "error_response",
    "reason",
]

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

MISSING_AUTH = "Missing Authorization Header."
"""401 message without an `Authorization` header (observed on the live API)."""
INVALID_KEY = (
    "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa."
)
"""401 message for an unknown or malformed key (observed on the live API)."""
NOT_FOUND = "Phone number not found"
"""404 message for an unknown id (inferred: NestJS `NotFoundException`, text ours)."""


def reason(status: int) -> str:
    """The `error` field for `status`: NestJS's phrase, else the standard HTTP reason phrase."""
    if status in REASONS:
        return REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


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
    return {"message": message, "error": reason(status), "statusCode": status}


def error_response(
    status: int, message: str | list[str], headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A JSON response carrying the envelope."""
    return JSONResponse(envelope(status, message), status_code=status, headers=dict(headers or {}))
