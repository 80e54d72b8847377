"""Vapi phone numbers as Pulumi resources: a dynamic provider, its wire models and HTTP client.

The names here are the public API. `VapiPhoneNumber` is the Pulumi resource; the wire model of the
same name lives in `vapi_provider.models`.
"""

from __future__ import annotations

from ._constants import DEFAULT_BASE_URL, EU_BASE_URL, PHONE_NUMBER_TYPE
from .client import VapiClient
from .errors import (
    AdoptionError,
    AmbiguousMatchError,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CreateOutcomeUnknownError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PhoneNumberBlockedError,
    RateLimitError,
    UnprocessableEntityError,
    VapiConfigError,
    VapiError,
)
from .provider import VapiPhoneNumberProvider
from .resource import VapiPhoneNumber, VapiPhoneNumberArgs

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
    "CreateOutcomeUnknownError",
    "DEFAULT_BASE_URL",
    "EU_BASE_URL",
    "InternalServerError",
    "NotFoundError",
    "PHONE_NUMBER_TYPE",
    "PermissionDeniedError",
    "PhoneNumberBlockedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "VapiClient",
    "VapiConfigError",
    "VapiError",
    "VapiPhoneNumber",
    "VapiPhoneNumberArgs",
    "VapiPhoneNumberProvider",
]
