"""Policy scenario `blank-target`: a whitespace-only id is no target (vapi-number-has-destination)."""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "blank-assistant-line",
    VapiPhoneNumberArgs(name="Blank assistant", number_desired_area_code="415", assistant_id="   "),
)
