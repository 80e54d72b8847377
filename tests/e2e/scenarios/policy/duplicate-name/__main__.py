"""Policy scenario `duplicate-name`: two numbers with one name, which Vapi accepts (vapi-unique-numbers).

The names are Outputs, which the provider's own in-program duplicate check leaves to this stack policy.
"""

from __future__ import annotations

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

for resource_name, area_code in (("front-line", "415"), ("back-line", "628")):
    VapiPhoneNumber(
        resource_name,
        VapiPhoneNumberArgs(
            name=pulumi.Output.from_input("Reception"),
            number_desired_area_code=area_code,
            assistant_id="asst-0001",
        ),
    )
