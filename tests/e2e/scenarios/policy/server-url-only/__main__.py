"""Policy scenario `server-url-only`: routing only through server.url; the message names the option."""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "server-url-line",
    VapiPhoneNumberArgs(
        name="Assistant request",
        number_desired_area_code="415",
        server={"url": "https://hooks.example.com/vapi/assistant-request"},
    ),
)
