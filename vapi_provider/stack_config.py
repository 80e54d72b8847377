"""Numbers declared in stack config: the typed schema of the project's own program.

`vapi-phone-numbers:numbers` maps a resource name to one number, written with Vapi's field names (the
same keys the provider keeps in state)::

    support-line:
      numberDesiredAreaCode: "415"
      assistantId: 5b2d8e61-...
      fallbackDestination: {type: number, number: "+14155550123"}

An entry may say which kind of number it is with `provider:`, in Vapi's names: `vapi` (the default),
`twilio`, `vonage`, `telnyx` or `byo-phone-number`; the other keys are then that kind's inputs::

    sales-line:
      provider: twilio
      number: "+14155550123"
      twilioAccountSid: AC...
      twilioAuthToken: {secure: ...}   # pulumi config set --secret --path '...sales-line.twilioAuthToken'
      assistantId: 5b2d8e61-...

Every entry is validated with its kind's own `check` (the same models, the same messages) before a
single resource is declared, so a bad entry stops the program with every problem, each naming the entry
and the field, and nothing reaches Vapi. A Twilio auth token or API secret must come from secret config
(`plaintext_secrets`: the program says whether the config value is secret).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import NumberConfigError
from .properties import PHONE_NUMBER, TABLE_BY_PROVIDER
from .run_claims import UNIQUE_KEYS, normalise

__all__ = [
    "CONFIG_KEY",
    "ENTRY_KEYS",
    "ENTRY_KEYS_BY_PROVIDER",
    "NumberConfigError",
    "NumberEntry",
    "parse_number_entries",
    "parse_numbers_config",
]

CONFIG_KEY = "vapi-phone-numbers:numbers"
PROVIDER_KEY = "provider"
"""The entry key that names the kind of number (Vapi's `provider` value); `vapi` when absent."""

ENTRY_KEYS: dict[str, str] = {p.wire: p.python for p in PHONE_NUMBER.args}
"""Wire key in config -> `VapiPhoneNumberArgs` field, from the property table."""
ENTRY_KEYS_BY_PROVIDER: dict[str, dict[str, str]] = {
    provider: {p.wire: p.python for p in table.args} for provider, table in TABLE_BY_PROVIDER.items()
}
"""Per kind (Vapi's `provider` value): wire key in config -> Args field, from that kind's table."""
_CONFIG_SECRETS = ("twilioAuthToken", "twilioApiSecret")
"""Keys whose values must come from secret config (`pulumi config set --secret --path`)."""


@dataclass(frozen=True)
class NumberEntry:
    """One validated entry: its kind (Vapi's `provider` value) and the keyword arguments of its Args."""

    provider: str
    args: dict[str, Any]


_RESOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def parse_numbers_config(raw: object) -> dict[str, dict[str, Any]]:
    """Validate the config map and return, per resource name, the keyword arguments of its Args class
    (`parse_number_entries` also says which kind each entry is). Raises `NumberConfigError`."""
    return {name: entry.args for name, entry in parse_number_entries(raw).items()}


def parse_number_entries(raw: object, *, plaintext_secrets: bool = False) -> dict[str, NumberEntry]:
    """Validate the config map and return, per resource name, its kind and Args keyword arguments.

    `plaintext_secrets`: the config value is not secret, so a Twilio auth token or API secret in it
    was stored in plaintext; such an entry is refused. Raises `NumberConfigError` naming every bad
    entry and field."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise NumberConfigError(
            f"{CONFIG_KEY} must be a map from a resource name to a number's fields, e.g. "
            "support-line: {numberDesiredAreaCode: '415', assistantId: ...}"
        )
    from .provider import PROVIDERS  # the providers' own check; imports Pulumi

    problems: list[str] = []
    parsed: dict[str, NumberEntry] = {}
    for resource_name, entry in raw.items():
        where = f"{CONFIG_KEY}.{resource_name}"
        if not isinstance(resource_name, str) or not _RESOURCE_NAME.match(resource_name):
            problems.append(
                f"{where}: the resource name must be 1-64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: must be a map of the number's fields (Vapi names, e.g. sipUri)")
            continue
        kind = entry.get(PROVIDER_KEY, "vapi")
        if kind not in ENTRY_KEYS_BY_PROVIDER:
            problems.append(
                f"{where}.{PROVIDER_KEY}: must be one of {', '.join(ENTRY_KEYS_BY_PROVIDER)} (Vapi's names "
                "for the kinds of number); leave it out for a Vapi-issued number"
            )
            continue
        keys = ENTRY_KEYS_BY_PROVIDER[kind]
        for key in entry:
            if key != PROVIDER_KEY and key not in keys:
                what = "a Vapi phone number" if kind == "vapi" else f"a {TABLE_BY_PROVIDER[kind].resource}"
                problems.append(
                    f"{where}.{key}: not a field of {what}; remove it or fix its spelling "
                    f"(fields: {', '.join(keys)})"
                )
        if plaintext_secrets:
            for key in _CONFIG_SECRETS:
                if key in entry:
                    problems.append(
                        f"{where}.{key}: must be secret config; set it with `pulumi config set --secret "
                        f"--path '{CONFIG_KEY}.{resource_name}.{key}' <value>`"
                    )
        fields = {key: value for key, value in entry.items() if key in keys}
        props = dict(fields)
        if "name" not in props:
            props["autonamePrefix"] = resource_name
        failures = PROVIDERS[kind]().check({}, props).failures
        problems.extend(f"{where}: {failure.reason}" for failure in failures)
        parsed[resource_name] = NumberEntry(kind, {keys[key]: value for key, value in fields.items()})
    problems.extend(_duplicates(raw))
    if problems:
        raise NumberConfigError(
            f"{len(problems)} problem(s) in stack config {CONFIG_KEY}; fix them and run again:\n  "
            + "\n  ".join(problems)
        )
    return parsed


def _duplicates(raw: Mapping[Any, Any]) -> list[str]:
    """Entries (of any kind) that share an explicit name, a sipUri or an imported number (compared by
    `run_claims.normalise`: a sipUri case-insensitively): refused before any number is declared, so
    that `pulumi up` (also with `--skip-preview`) buys none of them."""
    problems = []
    for key in UNIQUE_KEYS:
        seen: dict[str, str] = {}
        for resource_name, entry in raw.items():
            value = entry.get(key) if isinstance(entry, Mapping) else None
            if not isinstance(value, str):
                continue
            folded = normalise(key, value)
            if folded in seen:
                problems.append(
                    f"{CONFIG_KEY}.{resource_name}.{key}: the same {key} as {seen[folded]} ({value!r}); "
                    f"each number needs its own {key}"
                )
            else:
                seen[folded] = str(resource_name)
    return problems
