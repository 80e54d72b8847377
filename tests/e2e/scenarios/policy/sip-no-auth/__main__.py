"""Policy scenario `sip-no-auth`: a SIP number without authentication (vapi-sip-number-authenticated)."""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "sip-no-auth-line",
    VapiPhoneNumberArgs(
        name="SIP without auth",
        sip_uri="sip:sip-no-auth@sip.vapi.ai",
        assistant_id="asst-sip-no-auth-0001",
    ),
)
