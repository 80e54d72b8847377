"""Policy scenario `compliant`: numbers that break no rule of the vapi-phone-numbers pack."""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "support-line",
    VapiPhoneNumberArgs(
        name="Support line",
        number_desired_area_code="415",
        assistant_id="asst-compliant-0001",
        server={"url": "https://hooks.example.com/vapi", "timeoutSeconds": 20},
        fallback_destination={"type": "number", "number": "+14155550100"},
        hooks=[
            {
                "on": "call.ringing",
                "do": [{"type": "transfer", "destination": {"type": "number", "number": "+442071838750"}}],
            },
            {"on": "call.ending", "do": {"type": "say", "exact": "Thanks for calling."}},
        ],
    ),
)

VapiPhoneNumber(
    "front-desk",
    VapiPhoneNumberArgs(
        name="Front desk",
        sip_uri="sip:front-desk-compliant@sip.vapi.ai",
        authentication={"username": "front-desk-user-000001", "password": "front-desk-pass-000001"},
        squad_id="squad-compliant-0001",
    ),
)
