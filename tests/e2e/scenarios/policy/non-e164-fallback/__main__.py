"""Policy scenario `non-e164-fallback`: a fallback number that is not E.164 (vapi-fallback-number-e164).

Vapi (and the provider's own check) accepts it because the destination turns its E.164 check off; the
example policy config sets `allowE164CheckDisabled: false`, so the policy still refuses it.
"""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "non-e164-line",
    VapiPhoneNumberArgs(
        name="Non E.164 fallback",
        number_desired_area_code="415",
        assistant_id="asst-non-e164-0001",
        fallback_destination={"type": "number", "number": "4155550100", "numberE164CheckEnabled": False},
    ),
)
