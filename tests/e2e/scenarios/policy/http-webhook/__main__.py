"""Policy scenario `http-webhook`: a transfer's hold audio served over plain http (vapi-webhook-url-https).

Vapi (and so the provider's own check) refuses a plain-http `server.url`, but not the audio URLs of a
transfer plan: only the policy catches those.
"""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "http-webhook-line",
    VapiPhoneNumberArgs(
        name="Plain http hold audio",
        number_desired_area_code="415",
        assistant_id="asst-http-webhook-0001",
        fallback_destination={
            "type": "number",
            "number": "+14155550100",
            "transferPlan": {
                "mode": "warm-transfer-experimental",
                "holdAudioUrl": "http://audio.example.com/hold.mp3",
            },
        },
    ),
)
