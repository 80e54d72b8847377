"""The native twin of the project's program (`__main__.py` at the repository root): the same stack config,
the same validation, the same exports, but every number declared through the native `vapi` provider by
its token (`vapi:index:<Kind>`), so the fault matrix runs one config against both providers.

Reads `vapi-phone-numbers:numbers` (entries in Vapi's names, optional `provider:` kind),
`vapi-phone-numbers:protect` and `vapi-phone-numbers:retainOnDelete`; each entry is validated by
`parse_number_entries` before anything is declared. Secret-bearing inputs are wrapped as secrets at the
same paths as the dynamic resources wrap them. Exports, per number: `<name>_id`, `<name>_number` and, for
a Vapi-issued number, `<name>_sip_uri`.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
from pulumi.runtime.config import is_config_secret

from vapi_provider.native.tokens import resource_token
from vapi_provider.properties import TABLE_BY_PROVIDER
from vapi_provider.resource import _secret_parts  # the dynamic resources' own wrapping, path for path
from vapi_provider.stack_config import CONFIG_KEY, NumberConfigError, parse_number_entries


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
        table = TABLE_BY_PROVIDER[entry.provider]
        secrets = {p.wire: p.secret_paths for p in table if p.secret}
        inputs: dict[str, Any] = {}
        for python_name, value in entry.args.items():
            wire = table.python_to_wire[python_name]
            inputs[wire] = _secret_parts(value, secrets[wire]) if wire in secrets else value
        # Seeded (None is sent as nothing) so that the resource has these outputs as attributes.
        props = {"number": None, "sipUri": None, **inputs}
        phone = pulumi.CustomResource(resource_token(table), resource_name, props, opts=opts)
        export = _export_name(resource_name)
        pulumi.export(f"{export}_id", phone.id)
        pulumi.export(f"{export}_number", getattr(phone, "number"))  # noqa: B009 - set by the SDK
        if entry.provider == "vapi":
            pulumi.export(f"{export}_sip_uri", getattr(phone, "sipUri"))  # noqa: B009 - set by the SDK


main()
