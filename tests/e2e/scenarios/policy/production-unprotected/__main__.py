"""Policy scenario `production-unprotected`: run in a stack named `prod`; one number lacks protect=True.

`prod-line` breaks vapi-production-number-protected; `prod-line-protected` passes it.
"""

from __future__ import annotations

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "prod-line",
    VapiPhoneNumberArgs(
        name="Production line", number_desired_area_code="415", assistant_id="asst-prod-0001"
    ),
)

VapiPhoneNumber(
    "prod-line-protected",
    VapiPhoneNumberArgs(name="Protected line", number_desired_area_code="415", assistant_id="asst-prod-0002"),
    opts=pulumi.ResourceOptions(protect=True),
)
