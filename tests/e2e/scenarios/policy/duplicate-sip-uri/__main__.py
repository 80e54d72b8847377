"""Policy scenario `duplicate-sip-uri`: two SIP URIs that differ only in case (vapi-unique-numbers).

The SIP URIs are Outputs, which the provider's own in-program duplicate check leaves to this stack policy.
"""

from __future__ import annotations

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

for resource_name, label, sip_uri in (
    ("desk-a", "Desk A", "sip:shared-desk@sip.vapi.ai"),
    ("desk-b", "Desk B", "sip:Shared-Desk@sip.vapi.ai"),
):
    VapiPhoneNumber(
        resource_name,
        VapiPhoneNumberArgs(
            name=label,
            sip_uri=pulumi.Output.from_input(sip_uri),
            authentication={
                "username": f"{resource_name}-username-00000001",
                "password": f"{resource_name}-password-00000001",
            },
            assistant_id=f"asst-{resource_name}-0001",
        ),
    )
