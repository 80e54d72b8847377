"""Policy scenario `two-targets`: an assistant and a squad on one number (vapi-number-single-target)."""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "two-targets-line",
    VapiPhoneNumberArgs(
        name="Two targets",
        number_desired_area_code="415",
        assistant_id="asst-two-targets-0001",
        squad_id="squad-two-targets-0001",
    ),
)
