"""Policy scenario `duplicate-name`: two numbers with one name, which Vapi accepts (vapi-unique-numbers).

The names are Outputs, which the provider's in-program duplicate check cannot compare. Config `declare`
(a list of resource names; tests only) declares only those numbers, so that a number can join a stack that
already has its name.
"""

from __future__ import annotations

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

declared = pulumi.Config().get_object("declare")
for resource_name, area_code in (("front-line", "415"), ("back-line", "628")):
    if declared is not None and resource_name not in declared:
        continue
    VapiPhoneNumber(
        resource_name,
        VapiPhoneNumberArgs(
            name=pulumi.Output.from_input("Reception"),
            number_desired_area_code=area_code,
            assistant_id="asst-0001",
        ),
    )
