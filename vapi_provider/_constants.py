"""Defaults and names shared by the client, the provider and the resource.

Everything tunable lives here so that a reviewer can see every default in one place.
"""

from __future__ import annotations

import httpx

__all__ = [
    "API_KEY_ENV",
    "AUTONAME_SUFFIX_LENGTH",
    "BASE_URL_ENV",
    "CONFIG_API_KEY",
    "CONFIG_BASE_URL",
    "CONFIG_IN_DOUBT_SETTLE",
    "CONFIG_MAX_RETRIES",
    "CONFIG_POLL_INTERVAL",
    "DEFAULT_ACTIVATION_TIMEOUT_SECONDS",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_POLL_INTERVAL_SECONDS",
    "DEFAULT_TIMEOUT",
    "EU_BASE_URL",
    "EU_SIP_HOST",
    "INITIAL_RETRY_DELAY",
    "LIST_LIMIT",
    "LOGGER_NAME",
    "MAX_ACTIVATION_TIMEOUT_SECONDS",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "NAME_MAX_LENGTH",
    "PHONE_NUMBER_TYPE",
    "BYO_PHONE_NUMBER_TYPE",
    "PHONE_NUMBER_TYPES",
    "TELNYX_PHONE_NUMBER_TYPE",
    "TWILIO_PHONE_NUMBER_TYPE",
    "VONAGE_PHONE_NUMBER_TYPE",
    "DEFAULT_IN_DOUBT_SETTLE_SECONDS",
    "IN_DOUBT_SETTLE_ENV",
    "MAX_RETRIES_ENV",
    "POLL_INTERVAL_ENV",
    "US_SIP_HOST",
]

PHONE_NUMBER_TYPE = "pulumi-python:dynamic/vapi:VapiPhoneNumber"
"""The Pulumi type token of `VapiPhoneNumber`. Persisted in state; the policy pack matches on it."""
TWILIO_PHONE_NUMBER_TYPE = "pulumi-python:dynamic/vapi:TwilioPhoneNumber"
"""The type token of `TwilioPhoneNumber`."""
VONAGE_PHONE_NUMBER_TYPE = "pulumi-python:dynamic/vapi:VonagePhoneNumber"
"""The type token of `VonagePhoneNumber`."""
TELNYX_PHONE_NUMBER_TYPE = "pulumi-python:dynamic/vapi:TelnyxPhoneNumber"
"""The type token of `TelnyxPhoneNumber`."""
BYO_PHONE_NUMBER_TYPE = "pulumi-python:dynamic/vapi:ByoPhoneNumber"
"""The type token of `ByoPhoneNumber`."""
PHONE_NUMBER_TYPES = {
    "vapi": PHONE_NUMBER_TYPE,
    "twilio": TWILIO_PHONE_NUMBER_TYPE,
    "vonage": VONAGE_PHONE_NUMBER_TYPE,
    "telnyx": TELNYX_PHONE_NUMBER_TYPE,
    "byo-phone-number": BYO_PHONE_NUMBER_TYPE,
}
"""Vapi's `provider` value -> the type token of that kind of number."""

DEFAULT_BASE_URL = "https://api.vapi.ai"
EU_BASE_URL = "https://api.eu.vapi.ai"
US_SIP_HOST = "sip.vapi.ai"
EU_SIP_HOST = "sip.eu.vapi.ai"

# A CRUD API: fail a hung connect fast, give a slow response a little longer.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)

DEFAULT_MAX_RETRIES = 4
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A `Retry-After` longer than this is ignored in favour of our own backoff."""

LIST_LIMIT = 1000
"""`GET /phone-number?limit=` used for reconciliation, adoption and orphans (the API's maximum)."""

DEFAULT_ACTIVATION_TIMEOUT_SECONDS = 300.0
MAX_ACTIVATION_TIMEOUT_SECONDS = 3600.0
DEFAULT_POLL_INTERVAL_SECONDS = 2.0

NAME_MAX_LENGTH = 40
AUTONAME_SUFFIX_LENGTH = 7

CONFIG_API_KEY = "vapi:apiKey"
CONFIG_BASE_URL = "vapi:baseUrl"
CONFIG_POLL_INTERVAL = "vapi:pollIntervalSeconds"
CONFIG_MAX_RETRIES = "vapi:maxRetries"
CONFIG_IN_DOUBT_SETTLE = "vapi:inDoubtSettleSeconds"
DEFAULT_IN_DOUBT_SETTLE_SECONDS = 60.0
"""How long after an in-doubt create a list that does not show the number is still not trusted."""
API_KEY_ENV = "VAPI_API_KEY"
BASE_URL_ENV = "VAPI_BASE_URL"
POLL_INTERVAL_ENV = "VAPI_POLL_INTERVAL_SECONDS"
MAX_RETRIES_ENV = "VAPI_MAX_RETRIES"
IN_DOUBT_SETTLE_ENV = "VAPI_IN_DOUBT_SETTLE_SECONDS"

LOGGER_NAME = "vapi_provider"
