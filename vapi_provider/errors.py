"""Errors raised by the Vapi client and the provider.

The hierarchy::

    VapiError                                   base; catch-all for callers
    ├── VapiConfigError                         no API key / bad base URL (raised before any I/O)
    ├── APIConnectionError                      the request did not get an HTTP response
    │   └── APITimeoutError                     ... because a timeout expired
    ├── APIResponseValidationError              a 2xx body did not match the response model
    ├── APIStatusError                          an HTTP error status (.status_code .method .path .body)
    │   ├── BadRequestError                     400
    │   ├── AuthenticationError                 401
    │   ├── PermissionDeniedError               403
    │   ├── NotFoundError                       404
    │   ├── ConflictError                       409
    │   ├── UnprocessableEntityError            422
    │   ├── RateLimitError                      429
    │   └── InternalServerError                 >= 500
    ├── CreateOutcomeUnknownError               a POST may or may not have created a number
    ├── CreateInDoubtError                      a recorded create is in doubt: run `pulumi refresh`
    ├── AmbiguousMatchError                     several numbers match an adoption or reconciliation key
    ├── AdoptionError                           `adopt` names no usable number
    ├── PhoneNumberBlockedError                 Vapi reports the number as `blocked`
    ├── InvalidInputsError                      inputs that `check` should have refused reached an API call
    ├── ReleaseRefusedError                     a change would release a Vapi-issued number without opt-in
    ├── DuplicateNumberError                    another resource of this run claimed the same name or sipUri
    ├── NumberConfigError (also ValueError)     entries of `vapi-phone-numbers:numbers` are invalid
    └── RecoveryError                           `recover` cannot resolve a pending operation safely

Two things are not exceptions: `check` reports bad inputs as `CheckFailure`s built from structured
problems (`check_failures.Problem`: an error code and a path), and a masked secret on read is not an error.

Messages name the method, the path, the status and Vapi's own message. They never contain headers,
request bodies or input values, because those may hold the API key, a SIP password or webhook headers.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AdoptionError",
    "AmbiguousMatchError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CreateInDoubtError",
    "CreateOutcomeUnknownError",
    "DuplicateNumberError",
    "InternalServerError",
    "InvalidInputsError",
    "NotFoundError",
    "NumberConfigError",
    "PermissionDeniedError",
    "PhoneNumberBlockedError",
    "RateLimitError",
    "RecoveryError",
    "ReleaseRefusedError",
    "UnprocessableEntityError",
    "VapiConfigError",
    "VapiError",
    "make_status_error",
    "server_message",
]

_MAX_SERVER_MESSAGE = 500
_MASK = "**********"


class VapiError(Exception):
    """Base class of every error this package raises."""


class VapiConfigError(VapiError):
    """The provider or client is misconfigured (no API key, malformed base URL). Raised before any I/O."""


class APIConnectionError(VapiError):
    """No HTTP response was received (connection refused or reset, DNS failure, protocol error)."""

    def __init__(self, message: str, *, method: str, path: str, request_sent: bool) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.request_sent = request_sent
        """False when the request certainly never reached Vapi (connect error or connect timeout)."""


class APITimeoutError(APIConnectionError):
    """A connect, write, read or pool timeout expired."""


class APIResponseValidationError(VapiError):
    """A 2xx response body did not match the expected model."""

    def __init__(self, message: str, *, method: str, path: str, status_code: int) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.status_code = status_code


class APIStatusError(VapiError):
    """Vapi answered with an error status. Subclasses pin `status_code` for the common ones."""

    status_code: int

    def __init__(
        self, message: str, *, method: str, path: str, status_code: int, body: object | None
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.status_code = status_code
        self.body = body
        """The decoded JSON error body (NestJS envelope `{message, error, statusCode}`), or None."""


class BadRequestError(APIStatusError):
    """400: Vapi rejected the request body or a business rule (e.g. area code exhausted)."""

    status_code: Literal[400] = 400


class AuthenticationError(APIStatusError):
    """401: the API key is missing, unknown or public."""

    status_code: Literal[401] = 401


class PermissionDeniedError(APIStatusError):
    """403: the key may not perform this operation."""

    status_code: Literal[403] = 403


class NotFoundError(APIStatusError):
    """404: no such phone number in this org (Vapi answers the same for another org's ids)."""

    status_code: Literal[404] = 404


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state."""

    status_code: Literal[409] = 409


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but could not be processed."""

    status_code: Literal[422] = 422


class RateLimitError(APIStatusError):
    """429: the org's API rate limit was hit (retried automatically)."""

    status_code: Literal[429] = 429


class InternalServerError(APIStatusError):
    """Any 5xx status."""


class CreateOutcomeUnknownError(VapiError):
    """A create request was sent, its outcome is unknown, and reconciliation could not prove which
    number (if any) it bought. `.candidates` lists the ids of numbers that may be it (none proven);
    `.attempted_at` is when the attempt started (ISO 8601, UTC)."""

    def __init__(
        self, message: str, *, candidates: list[str], attempted_at: str, existing: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.candidates = candidates
        self.attempted_at = attempted_at
        self.existing = existing or []
        """Ids of numbers with the same name or sipUri that existed before the POST (never candidates)."""


class AmbiguousMatchError(VapiError):
    """Several phone numbers match a key that should identify one; `.ids` lists them."""

    def __init__(self, message: str, *, ids: list[str]) -> None:
        super().__init__(message)
        self.ids = ids


class AdoptionError(VapiError):
    """`adopt` names no phone number that can be adopted."""


class PhoneNumberBlockedError(VapiError):
    """Vapi reports the phone number as `blocked`; `.phone_number_id` names it."""

    def __init__(self, message: str, *, phone_number_id: str) -> None:
        super().__init__(message)
        self.phone_number_id = phone_number_id


class CreateInDoubtError(VapiError):
    """The stack records a create whose outcome is in doubt (Vapi may have bought the number); nothing
    more is bought for this resource until `pulumi refresh` (or an `adopt`) resolves it."""


class InvalidInputsError(VapiError):
    """Inputs failed the request model at an API call (normally `check` refuses them first).

    `.fields` lists the offending paths; values are never included, since they may be secrets.
    """

    def __init__(self, message: str, *, fields: list[str]) -> None:
        super().__init__(message)
        self.fields = fields


class ReleaseRefusedError(VapiError):
    """A change would replace, and so release, a Vapi-issued number, and `allowRelease` is not true."""


class DuplicateNumberError(VapiError):
    """Another resource of this run already claimed the number's name, sipUri or imported number
    (`run_claims.py`); raised before any API call."""


class NumberConfigError(VapiError, ValueError):
    """One or more entries of the stack config `vapi-phone-numbers:numbers` are invalid; the message lists
    each one with its entry and field."""


class RecoveryError(VapiError):
    """A pending operation cannot be resolved safely; the stack export was not changed."""


_STATUS_TO_ERROR: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def server_message(body: object) -> str:
    """Vapi's human message from a NestJS error envelope; `message` may be a string or a list."""
    if isinstance(body, dict):
        message: Any = body.get("message")
        if isinstance(message, list):
            return "; ".join(str(m) for m in message)
        if isinstance(message, str):
            return message
        error = body.get("error")
        if isinstance(error, str):
            return error
    return ""


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, _MASK)
    return text


def make_status_error(
    method: str, path: str, response: httpx.Response, *, secrets: tuple[str, ...] = ()
) -> APIStatusError:
    """Build the error for an HTTP error response.

    The message is ``"{method} {path} failed with {status}: {Vapi's message}"``. Any value in `secrets`
    (the API key, a SIP password, header values of the request) is masked should Vapi echo it back.
    """
    try:
        body: object | None = response.json()
    except ValueError:
        body = None
    detail = server_message(body) or response.reason_phrase or "no message"
    detail = _redact(detail, secrets)
    if len(detail) > _MAX_SERVER_MESSAGE:
        detail = detail[:_MAX_SERVER_MESSAGE] + "..."
    status = response.status_code
    message = f"{method} {path} failed with {status}: {detail}"
    cls = _STATUS_TO_ERROR.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    return cls(message, method=method, path=path, status_code=status, body=body)
