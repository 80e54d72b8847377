"""The package schema is derived from the tables and the wire models: every property once, the right
secret flags and replacement marks, every referenced type defined, the provider's config complete."""

from __future__ import annotations

import json
from typing import Any

import pytest

from vapi_provider._constants import (
    CONFIG_API_KEY,
    CONFIG_BASE_URL,
    CONFIG_IN_DOUBT_SETTLE,
    CONFIG_MAX_RETRIES,
    CONFIG_POLL_INTERVAL,
)
from vapi_provider.native.schema import package_schema
from vapi_provider.native.tokens import CONFIG_KEYS, TABLE_BY_TOKEN, package_version, resource_token
from vapi_provider.properties import PHONE_NUMBER, TABLES

SCHEMA = package_schema()


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["$ref"]] if "$ref" in value else []
        return found + [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def test_tokens_and_package() -> None:
    assert SCHEMA["name"] == "vapi"
    assert SCHEMA["version"] == package_version()
    assert sorted(SCHEMA["resources"]) == sorted(
        [
            "vapi:index:PhoneNumber",
            "vapi:index:TwilioPhoneNumber",
            "vapi:index:VonagePhoneNumber",
            "vapi:index:TelnyxPhoneNumber",
            "vapi:index:ByoPhoneNumber",
        ]
    )
    assert resource_token(PHONE_NUMBER) == "vapi:index:PhoneNumber"
    json.dumps(SCHEMA)  # JSON-able


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.resource)
def test_every_property_of_the_table_once(table: Any) -> None:
    resource = SCHEMA["resources"][resource_token(table)]
    assert list(resource["properties"]) == [p.wire for p in table]
    assert list(resource["inputProperties"]) == [p.wire for p in table.args]
    for prop in table:
        spec = resource["properties"][prop.wire]
        assert spec["description"] == prop.doc
        assert spec.get("secret", False) == (prop.secret_paths == ((),)), prop.wire
        assert spec.get("willReplaceOnChanges", False) == prop.replaces, prop.wire
    assert TABLE_BY_TOKEN[resource_token(table)] is table


def test_nested_types_are_named_defined_and_carry_secrets() -> None:
    types = SCHEMA["types"]
    for ref in _refs(SCHEMA):
        if ref.startswith("#/types/"):
            assert ref.removeprefix("#/types/") in types, ref
    resource = SCHEMA["resources"]["vapi:index:PhoneNumber"]["properties"]
    assert resource["server"]["$ref"] == "#/types/vapi:index:Server"
    assert resource["authentication"]["$ref"] == "#/types/vapi:index:SipAuthentication"
    assert resource["fallbackDestination"]["$ref"] == "#/types/vapi:index:FallbackDestination"
    assert resource["hooks"]["items"]["$ref"] == "#/types/vapi:index:Hook"
    assert types["vapi:index:SipAuthentication"]["properties"]["password"]["secret"] is True
    assert "secret" not in types["vapi:index:SipAuthentication"]["properties"]["username"]
    assert types["vapi:index:Server"]["properties"]["headers"]["secret"] is True
    assert "secret" not in types["vapi:index:Server"]["properties"]["url"]
    fallback = types["vapi:index:FallbackDestination"]["properties"]
    assert {"type", "number", "sipUri", "transferPlan"} <= set(fallback)
    hook = types["vapi:index:Hook"]["properties"]
    assert hook["do"] == {"$ref": "pulumi.json#/Any"}  # a list for call.ringing, one action for call.ending
    assert types["vapi:index:SipAuthentication"]["required"] == ["username"]


def test_provider_config_is_what_settings_reads() -> None:
    assert {f"vapi:{k}" for k in CONFIG_KEYS} == {
        CONFIG_API_KEY,
        CONFIG_BASE_URL,
        CONFIG_POLL_INTERVAL,
        CONFIG_MAX_RETRIES,
        CONFIG_IN_DOUBT_SETTLE,
    }
    variables = SCHEMA["config"]["variables"]
    assert set(variables) == set(CONFIG_KEYS)
    assert variables["apiKey"]["secret"] is True
    assert SCHEMA["provider"]["inputProperties"] == variables
    assert "apiKey" not in SCHEMA["provider"]["properties"]
