"""Vapi phone numbers declared in stack config.

`vapi-phone-numbers:numbers` maps a resource name to a number, in Vapi's own field names::

    vapi-phone-numbers:numbers:
      support-line:
        numberDesiredAreaCode: "415"
        assistantId: 5b2d8e61-...
        fallbackDestination: {type: number, number: "+14155550123"}

An entry may carry `provider:` with Vapi's name for the kind of number (`vapi` by default, `twilio`,
`vonage`, `telnyx`, `byo-phone-number`); its other keys are then that kind's inputs
(stacks/Pulumi.imported.yaml shows one of each, with the Twilio token in secret config). Each entry is
validated with its kind's request models before any resource is declared, so a bad entry stops the program
with a message naming the entry and the field. Optional stack-wide settings:
`vapi-phone-numbers:protect` and `vapi-phone-numbers:retainOnDelete` (booleans, for production stacks).
Exports, per number: `<name>_id`, `<name>_number` and `<name>_sip_uri`.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
from pulumi.runtime.config import is_config_secret

from vapi_provider import (
    ByoPhoneNumber,
    ByoPhoneNumberArgs,
    TelnyxPhoneNumber,
    TelnyxPhoneNumberArgs,
    TwilioPhoneNumber,
    TwilioPhoneNumberArgs,
    VapiPhoneNumber,
    VapiPhoneNumberArgs,
    VonagePhoneNumber,
    VonagePhoneNumberArgs,
)
from vapi_provider.stack_config import CONFIG_KEY, NumberConfigError, parse_number_entries

KINDS: dict[str, tuple[Any, Any]] = {
    "vapi": (VapiPhoneNumber, VapiPhoneNumberArgs),
    "twilio": (TwilioPhoneNumber, TwilioPhoneNumberArgs),
    "vonage": (VonagePhoneNumber, VonagePhoneNumberArgs),
    "telnyx": (TelnyxPhoneNumber, TelnyxPhoneNumberArgs),
    "byo-phone-number": (ByoPhoneNumber, ByoPhoneNumberArgs),
}
"""Vapi's `provider` value -> (resource class, Args class)."""


def _export_name(resource_name: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", resource_name).strip("_")


def main() -> None:
    config = pulumi.Config()
    raw: Any = config.get_object("numbers") or {}
    try:
        entries = parse_number_entries(raw, plaintext_secrets=not is_config_secret(CONFIG_KEY))
    except NumberConfigError as err:
        raise pulumi.RunError(str(err)) from None

    opts = pulumi.ResourceOptions(
        protect=config.get_bool("protect") or False,
        retain_on_delete=config.get_bool("retainOnDelete") or False,
    )
    for resource_name, entry in entries.items():
        resource_class, args_class = KINDS[entry.provider]
        phone = resource_class(resource_name, args_class(**entry.args), opts=opts)
        export = _export_name(resource_name)
        pulumi.export(f"{export}_id", phone.id)
        pulumi.export(f"{export}_number", phone.number)
        if isinstance(phone, VapiPhoneNumber):
            pulumi.export(f"{export}_sip_uri", phone.sip_uri)


main()
