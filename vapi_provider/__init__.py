"""Vapi phone numbers as Pulumi resources: a dynamic provider, its wire models and HTTP client.

The names here are the public API. They are loaded lazily (PEP 562), so `import vapi_provider.client`
or `vapi_provider.models` costs no Pulumi import; only the names that need Pulumi (the resources
`VapiPhoneNumber`, `TwilioPhoneNumber`, `VonagePhoneNumber`, `TelnyxPhoneNumber`, `ByoPhoneNumber`, their
Args and providers) import it, on first use. The wire model of a number is
`vapi_provider.models.VapiPhoneNumberResponse`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._constants import (
        BYO_PHONE_NUMBER_TYPE,
        DEFAULT_BASE_URL,
        EU_BASE_URL,
        PHONE_NUMBER_TYPE,
        TELNYX_PHONE_NUMBER_TYPE,
        TWILIO_PHONE_NUMBER_TYPE,
        VONAGE_PHONE_NUMBER_TYPE,
    )
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
        DuplicateNumberError,
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
    from .provider import (
        ByoPhoneNumberProvider,
        TelnyxPhoneNumberProvider,
        TwilioPhoneNumberProvider,
        VapiPhoneNumberProvider,
        VonagePhoneNumberProvider,
    )
    from .resource import (
        ByoPhoneNumber,
        ByoPhoneNumberArgs,
        TelnyxPhoneNumber,
        TelnyxPhoneNumberArgs,
        TwilioPhoneNumber,
        TwilioPhoneNumberArgs,
        VapiPhoneNumber,
        VapiPhoneNumberArgs,
        VonagePhoneNumber,
        VonagePhoneNumberArgs,
    )

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
)
_WHERE: dict[str, str] = {
    "DEFAULT_BASE_URL": "._constants",
    "EU_BASE_URL": "._constants",
    "PHONE_NUMBER_TYPE": "._constants",
    "VapiClient": ".client",
    "VapiPhoneNumber": ".resource",
    "VapiPhoneNumberArgs": ".resource",
    "VapiPhoneNumberProvider": ".provider",
    "TWILIO_PHONE_NUMBER_TYPE": "._constants",
    "TwilioPhoneNumber": ".resource",
    "TwilioPhoneNumberArgs": ".resource",
    "TwilioPhoneNumberProvider": ".provider",
    "VONAGE_PHONE_NUMBER_TYPE": "._constants",
    "VonagePhoneNumber": ".resource",
    "VonagePhoneNumberArgs": ".resource",
    "VonagePhoneNumberProvider": ".provider",
    "TELNYX_PHONE_NUMBER_TYPE": "._constants",
    "TelnyxPhoneNumber": ".resource",
    "TelnyxPhoneNumberArgs": ".resource",
    "TelnyxPhoneNumberProvider": ".provider",
    "BYO_PHONE_NUMBER_TYPE": "._constants",
    "ByoPhoneNumber": ".resource",
    "ByoPhoneNumberArgs": ".resource",
    "ByoPhoneNumberProvider": ".provider",
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
    "BYO_PHONE_NUMBER_TYPE",
    "BadRequestError",
    "ByoPhoneNumber",
    "ByoPhoneNumberArgs",
    "ByoPhoneNumberProvider",
    "ConflictError",
    "CreateInDoubtError",
    "CreateOutcomeUnknownError",
    "DEFAULT_BASE_URL",
    "DuplicateNumberError",
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
    "TELNYX_PHONE_NUMBER_TYPE",
    "TWILIO_PHONE_NUMBER_TYPE",
    "TelnyxPhoneNumber",
    "TelnyxPhoneNumberArgs",
    "TelnyxPhoneNumberProvider",
    "TwilioPhoneNumber",
    "TwilioPhoneNumberArgs",
    "TwilioPhoneNumberProvider",
    "UnprocessableEntityError",
    "VONAGE_PHONE_NUMBER_TYPE",
    "VapiClient",
    "VapiConfigError",
    "VapiError",
    "VapiPhoneNumber",
    "VapiPhoneNumberArgs",
    "VapiPhoneNumberProvider",
    "VonagePhoneNumber",
    "VonagePhoneNumberArgs",
    "VonagePhoneNumberProvider",
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
