"""Numbers declared in stack config: the typed schema of the project's own program.

`vapi-phone-numbers:numbers` maps a resource name to one number, written with Vapi's field names (the
same keys the provider keeps in state)::

    support-line:
      numberDesiredAreaCode: "415"
      assistantId: 5b2d8e61-...
      fallbackDestination: {type: number, number: "+14155550123"}

Every entry is validated with the provider's own `check` (the same models, the same messages) before a
single resource is declared, so a bad entry stops the program with every problem, each naming the entry
and the field, and nothing reaches Vapi.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import NumberConfigError
from .properties import PHONE_NUMBER

__all__ = ["CONFIG_KEY", "ENTRY_KEYS", "NumberConfigError", "parse_numbers_config"]

CONFIG_KEY = "vapi-phone-numbers:numbers"

ENTRY_KEYS: dict[str, str] = {p.wire: p.python for p in PHONE_NUMBER.args}
"""Wire key in config -> `VapiPhoneNumberArgs` field, from the property table."""
_RESOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def parse_numbers_config(raw: object) -> dict[str, dict[str, Any]]:
    """Validate the config map and return, per resource name, the keyword arguments of
    `VapiPhoneNumberArgs`. Raises `NumberConfigError` naming every bad entry and field."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise NumberConfigError(
            f"{CONFIG_KEY} must be a map from a resource name to a number's fields, e.g. "
            "support-line: {numberDesiredAreaCode: '415', assistantId: ...}"
        )
    from .provider import VapiPhoneNumberProvider  # the provider's own check; imports Pulumi

    provider = VapiPhoneNumberProvider()
    problems: list[str] = []
    parsed: dict[str, dict[str, Any]] = {}
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
        unknown = [key for key in entry if key not in ENTRY_KEYS]
        for key in unknown:
            problems.append(
                f"{where}.{key}: not a field of a Vapi phone number; remove it or fix its spelling "
                f"(fields: {', '.join(ENTRY_KEYS)})"
            )
        fields = {key: value for key, value in entry.items() if key in ENTRY_KEYS}
        props = dict(fields)
        if "name" not in props:
            props["autonamePrefix"] = resource_name
        failures = provider.check({}, props).failures
        problems.extend(f"{where}: {failure.reason}" for failure in failures)
        parsed[resource_name] = {ENTRY_KEYS[key]: value for key, value in fields.items()}
    problems.extend(_duplicates(raw))
    if problems:
        raise NumberConfigError(
            f"{len(problems)} problem(s) in stack config {CONFIG_KEY}; fix them and run again:\n  "
            + "\n  ".join(problems)
        )
    return parsed


def _duplicates(raw: Mapping[Any, Any]) -> list[str]:
    """Entries that share an explicit name or a sipUri (case-insensitive): refused before any number
    is declared, so that `pulumi up` (also with `--skip-preview`) buys none of them."""
    problems = []
    for key, fold in (("name", False), ("sipUri", True)):
        seen: dict[str, str] = {}
        for resource_name, entry in raw.items():
            value = entry.get(key) if isinstance(entry, Mapping) else None
            if not isinstance(value, str):
                continue
            folded = value.lower() if fold else value
            if folded in seen:
                problems.append(
                    f"{CONFIG_KEY}.{resource_name}.{key}: the same {key} as {seen[folded]} ({value!r}); "
                    f"each number needs its own {key}"
                )
            else:
                seen[folded] = str(resource_name)
    return problems
