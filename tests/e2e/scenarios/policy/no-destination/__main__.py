"""Policy scenario `no-destination`: a number with no target and no fallback (vapi-number-has-destination)."""

from __future__ import annotations

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "no-destination-line",
    VapiPhoneNumberArgs(name="No destination", number_desired_area_code="415"),
)
