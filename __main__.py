"""Vapi phone numbers declared in stack config.

`vapi-phone-numbers:numbers` maps a resource name to a number, in Vapi's own field names::

    vapi-phone-numbers:numbers:
      support-line:
        numberDesiredAreaCode: "415"
        assistantId: 5b2d8e61-...
        fallbackDestination: {type: number, number: "+14155550123"}

Each entry is validated with the provider's request models before any resource is declared, so a bad entry
stops the program with a message naming the entry and the field. Optional stack-wide settings:
`vapi-phone-numbers:protect` and `vapi-phone-numbers:retainOnDelete` (booleans, for production stacks).
Exports, per number: `<name>_id`, `<name>_number` and `<name>_sip_uri`.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs
from vapi_provider.stack_config import NumberConfigError, parse_numbers_config


def _export_name(resource_name: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", resource_name).strip("_")


def main() -> None:
    config = pulumi.Config()
    raw: Any = config.get_object("numbers") or {}
    try:
        entries = parse_numbers_config(raw)
    except NumberConfigError as err:
        raise pulumi.RunError(str(err)) from None

    opts = pulumi.ResourceOptions(
        protect=config.get_bool("protect") or False,
        retain_on_delete=config.get_bool("retainOnDelete") or False,
    )
    for resource_name, args in entries.items():
        phone = VapiPhoneNumber(resource_name, VapiPhoneNumberArgs(**args), opts=opts)
        export = _export_name(resource_name)
        pulumi.export(f"{export}_id", phone.id)
        pulumi.export(f"{export}_number", phone.number)
        pulumi.export(f"{export}_sip_uri", phone.sip_uri)


main()
