"""One VapiPhoneNumber from config `bad:resource` / `bad:props` (a JSON object of camelCase props).

Rows whose keys are `VapiPhoneNumberArgs` fields go through the typed resource, as a user's program would;
rows with other keys (unknown, legacy, output-only) are sent as raw props to the same provider and type.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi.dynamic

from tests.unit.bad_inputs import to_args_kwargs
from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs
from vapi_provider.provider import VapiPhoneNumberProvider


class RawPhoneNumber(pulumi.dynamic.Resource, module="vapi", name="VapiPhoneNumber"):
    def __init__(self, resource_name: str, props: dict[str, Any]) -> None:
        super().__init__(VapiPhoneNumberProvider(), resource_name, props)


config = pulumi.Config("bad")
resource_name = config.require("resource")
props: dict[str, Any] = json.loads(config.require("props"))
kwargs = to_args_kwargs(props)
if kwargs is None:
    RawPhoneNumber(resource_name, props)
else:
    VapiPhoneNumber(resource_name, VapiPhoneNumberArgs(**kwargs))
