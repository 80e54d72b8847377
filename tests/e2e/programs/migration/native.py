"""Migration test, after: the same three numbers through the native `vapi` provider's SDK (`pulumi_vapi`).

The declarations are the dynamic ones with the class renamed (`VapiPhoneNumber` -> `vapi.PhoneNumber`,
`ByoPhoneNumber` -> `vapi.ByoPhoneNumber`) and the same arguments; `desk` keeps its autoname.
"""

import pulumi

import pulumi_vapi as vapi

ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
SQUAD = "0f6b3c2a-9d1e-4b7f-8a25-6c3e1d0b9f42"
CREDENTIAL = "6a1d2c3b-4e5f-4a7b-8c9d-0e1f2a3b4c5d"

config = pulumi.Config()
support = vapi.PhoneNumber(
    "support-line",
    name="Support line",
    number_desired_area_code="415",
    assistant_id=ASSISTANT,
    fallback_destination={"type": "number", "number": "+14155550100"},
    opts=pulumi.ResourceOptions(protect=True),
)
desk = vapi.PhoneNumber(
    "desk",
    sip_uri="sip:migration-desk@sip.vapi.ai",
    squad_id=SQUAD,
    authentication={"username": "migration-desk-user-01", "password": config.require_secret("deskPassword")},
)
extension = vapi.ByoPhoneNumber(
    "extension",
    name="Extension 1001",
    number="1001",
    number_e164_check_enabled=False,
    credential_id=CREDENTIAL,
    assistant_id=ASSISTANT,
)
for key, number in (("support", support), ("desk", desk), ("extension", extension)):
    pulumi.export(f"{key}_id", number.id)
    pulumi.export(f"{key}_name", number.name)
