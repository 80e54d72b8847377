"""Vapi's OpenAPI document, loaded once, with its known generator bugs corrected in memory.

The file `phone-number.openapi.json` is Vapi's own document, copied unchanged. Four of its declarations
are generator bugs that contradict what the API really accepts (see docs/emulator.md); `SPEC_FIXES` has one
in-memory correction per bug, and nothing else is changed:

* `TransferPlan.sipVerb` is declared `type: object` but carries a string enum: validated as a string.
* `BackoffPlan.type`, the same: validated as a string.
* `BackoffPlan.excludedStatusCodes` items are declared objects but are numbers (HTTP status codes).
* `PhoneNumberCallEndingHookFilter.oneOf` is an array that also carries the string `enum` of its items
  (class-validator's `@IsIn(..., {each: true})`); read literally, no array could ever match. The
  array-level `enum` is dropped; the items keep the same enum.

One more oddity needs no fix: the `maxLength` on the `startsWith` array constrains each item in
class-validator, the items already declare the same limit, and JSON Schema ignores `maxLength` on arrays.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "PROVIDERS",
    "SPEC_FIXES",
    "load_raw_spec",
    "load_spec",
]

SPEC_FILE = "phone-number.openapi.json"

SPEC_FIXES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("TransferPlan", "sipVerb", {"type": "string"}),
    ("BackoffPlan", "type", {"type": "string"}),
    ("BackoffPlan", "excludedStatusCodes", {"items": {"type": "number"}}),
    ("PhoneNumberCallEndingHookFilter", "oneOf", {"enum": None}),
)
"""(schema, property, keys to set) applied by `load_spec`; a `None` value deletes the key."""

PROVIDERS: tuple[str, ...] = ("byo-phone-number", "twilio", "vonage", "vapi", "telnyx")
"""The discriminator values, in the order of the spec's mapping."""


@cache
def _raw_text() -> str:
    return resources.files(__package__).joinpath(SPEC_FILE).read_text(encoding="utf-8")


def load_raw_spec() -> dict[str, Any]:
    """A fresh copy of the OpenAPI document exactly as shipped."""
    result: dict[str, Any] = json.loads(_raw_text())
    return result


@cache
def _fixed() -> dict[str, Any]:
    spec = load_raw_spec()
    schemas = spec["components"]["schemas"]
    for schema_name, prop, replacement in SPEC_FIXES:
        target = schemas[schema_name]["properties"][prop]
        for key, value in replacement.items():
            if value is None:
                del target[key]
            else:
                target[key] = copy.deepcopy(value)
    return spec


def load_spec() -> dict[str, Any]:
    """A fresh copy of the OpenAPI document with `SPEC_FIXES` applied."""
    return copy.deepcopy(_fixed())


def shared_spec() -> dict[str, Any]:
    """The fixed document, shared and cached: callers must not modify it."""
    return _fixed()
