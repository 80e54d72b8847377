"""A read-only lookup of an existing number by its Vapi id (`VapiPhoneNumber.get`)."""

import pulumi

from vapi_provider import VapiPhoneNumber

found = VapiPhoneNumber.get("looked-up", pulumi.Config().require("numberId"))
pulumi.export("name", found.name)
pulumi.export("number", found.number)
pulumi.export("assistantId", found.assistant_id)
