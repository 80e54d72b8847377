"""Vapi phone numbers as Pulumi resources: a dynamic provider, its wire models and HTTP client.

The names here are the public API. They are loaded lazily (PEP 562), so `import vapi_provider.client`
or `vapi_provider.models` costs no Pulumi import; only the names that need Pulumi (`VapiPhoneNumber`,
`VapiPhoneNumberArgs`, `VapiPhoneNumberProvider`) import it, on first use. The wire model of a number is
`vapi_provider.models.VapiPhoneNumberResponse`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
        CreateInDoubtError,
        CreateOutcomeUnknownError,
        InternalServerError,
        InvalidInputsError,
        NotFoundError,
        NumberConfigError,
        PermissionDeniedError,
        PhoneNumberBlockedError,
        RateLimitError,
        RecoveryError,
        ReleaseRefusedError,
        UnprocessableEntityError,
        VapiConfigError,
        VapiError,
    )
    from .provider import VapiPhoneNumberProvider
    from .resource import VapiPhoneNumber, VapiPhoneNumberArgs

_ERRORS = (
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
)
_WHERE: dict[str, str] = {
    "DEFAULT_BASE_URL": "._constants",
    "EU_BASE_URL": "._constants",
    "PHONE_NUMBER_TYPE": "._constants",
    "VapiClient": ".client",
    "VapiPhoneNumber": ".resource",
    "VapiPhoneNumberArgs": ".resource",
    "VapiPhoneNumberProvider": ".provider",
    **{name: ".errors" for name in _ERRORS},
}

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
    "DEFAULT_BASE_URL",
    "EU_BASE_URL",
    "InternalServerError",
    "InvalidInputsError",
    "NotFoundError",
    "NumberConfigError",
    "PHONE_NUMBER_TYPE",
    "PermissionDeniedError",
    "PhoneNumberBlockedError",
    "RateLimitError",
    "RecoveryError",
    "ReleaseRefusedError",
    "UnprocessableEntityError",
    "VapiClient",
    "VapiConfigError",
    "VapiError",
    "VapiPhoneNumber",
    "VapiPhoneNumberArgs",
    "VapiPhoneNumberProvider",
]

assert set(__all__) == set(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'vapi_provider' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
