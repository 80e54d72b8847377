"""The native provider's package name, type tokens and config keys, derived from the property tables."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from typing import Final

from ..properties import PHONE_NUMBER, TABLES, ResourceTable

__all__ = [
    "CONFIG_KEYS",
    "PACKAGE",
    "PROVIDER_TOKEN",
    "TABLE_BY_TOKEN",
    "TOKEN_BY_RESOURCE",
    "package_version",
    "resource_token",
]

PACKAGE: Final = "vapi"
PROVIDER_TOKEN: Final = f"pulumi:providers:{PACKAGE}"


def resource_token(table: ResourceTable) -> str:
    """`vapi:index:PhoneNumber` for Vapi-issued numbers, `vapi:index:<Kind>PhoneNumber` for the others."""
    name = "PhoneNumber" if table is PHONE_NUMBER else table.resource
    return f"{PACKAGE}:index:{name}"


TABLE_BY_TOKEN: Final[dict[str, ResourceTable]] = {resource_token(t): t for t in TABLES}
"""Every resource token the provider serves -> its property table."""
TOKEN_BY_RESOURCE: Final[dict[str, str]] = {t.resource: resource_token(t) for t in TABLES}
"""The dynamic resource's class name (`VapiPhoneNumber`) -> the native token (`vapi:index:PhoneNumber`)."""

CONFIG_KEYS: Final[dict[str, str]] = {
    "apiKey": "Private Vapi API key (secret). Env fallback: VAPI_API_KEY.",
    "baseUrl": "Vapi API base URL, https://api.vapi.ai (US) or https://api.eu.vapi.ai (EU). Env fallback: "
    "VAPI_BASE_URL.",
    "pollIntervalSeconds": "Seconds between polls while a number activates (default 2). Env fallback: "
    "VAPI_POLL_INTERVAL_SECONDS.",
    "maxRetries": "Retries of a refused or failed API call, 0 to 20 (default 4). Env fallback: "
    "VAPI_MAX_RETRIES.",
    "inDoubtSettleSeconds": "How long after an in-doubt create a list that does not show the number is not "
    "trusted (default 60). Env fallback: VAPI_IN_DOUBT_SETTLE_SECONDS.",
}
"""The provider's config keys (`vapi:<key>` in stack config, `<key>` as a provider argument) and docs;
the same keys `settings.py` reads."""


def package_version() -> str:
    """The installed distribution's version (the plugin's version); 0.0.0 when run from a bare checkout."""
    try:
        return _dist_version("vapi-phone-numbers")
    except PackageNotFoundError:
        return "0.0.0"
