"""Policy scenario `http-webhook`: a server URL over plain http (vapi-webhook-url-https)."""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "http-webhook-line",
    VapiPhoneNumberArgs(
        name="Plain http webhook",
        number_desired_area_code="415",
        assistant_id="asst-http-webhook-0001",
        server={"url": "http://hooks.example.com/vapi"},
    ),
)
