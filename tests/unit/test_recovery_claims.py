"""`recover` and `orphans` read both providers' tokens and prove an interrupted create by its claim name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from vapi_provider import PHONE_NUMBER_TYPE
from vapi_provider.__main__ import orphan_keys
from vapi_provider.client import VapiClient
from vapi_provider.in_doubt import IN_DOUBT_STATUS
from vapi_provider.naming import claim_name
from vapi_provider.native.tokens import resource_token
from vapi_provider.properties import PHONE_NUMBER
from vapi_provider.recovery import recover_export

NATIVE_TYPE = resource_token(PHONE_NUMBER)


def _number(id_: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "orgId": "org",
        "provider": "vapi",
        "name": name,
        "status": "active",
        "createdAt": "2026-12-08T00:00:00.000Z",
        "updatedAt": "2026-12-08T00:00:00.000Z",
        **extra,
    }


def _client(numbers: list[dict[str, Any]]) -> VapiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v2/phone-number", "recover never lists the whole org"
        term = request.url.params["search"].casefold()
        found = [n for n in numbers if term in n["name"].casefold()]
        return httpx.Response(200, json={"results": found, "metadata": {"hasNextPage": False}})

    return VapiClient(
        api_key="k",
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=lambda _: None,
    )


def _export(type_token: str, inputs: dict[str, Any]) -> dict[str, Any]:
    resource = {"urn": f"urn:pulumi:dev::proj::{type_token}::desk", "type": type_token, "inputs": inputs}
    if type_token == NATIVE_TYPE:
        resource["provider"] = "urn:pulumi:dev::proj::pulumi:providers:vapi::default::pid"
    return {
        "deployment": {"resources": [], "pending_operations": [{"type": "creating", "resource": resource}]}
    }


NAMED = {"name": "front desk", "sipUri": "sip:desk@sip.vapi.ai", "autonameSeed": "proj/dev/desk"}


@pytest.mark.parametrize("type_token", [PHONE_NUMBER_TYPE, NATIVE_TYPE], ids=["dynamic", "native"])
def test_a_named_create_under_its_claim_is_recorded_with_no_decision(type_token: str) -> None:
    inputs = {**NAMED, "autonamePrefix": "desk"} if type_token == NATIVE_TYPE else dict(NAMED)
    claim = claim_name(inputs, PHONE_NUMBER.replace_keys)
    assert claim is not None
    theirs = _number("theirs", "front desk", sipUri="sip:other@sip.vapi.ai")  # another stack's, same name
    ours = _number("ours", claim, sipUri="sip:desk@sip.vapi.ai")
    recovered, report = recover_export(_export(type_token, inputs), _client([theirs, ours]))
    assert report.recorded == {f"urn:pulumi:dev::proj::{type_token}::desk": "ours"} and report.in_doubt == []
    (resource,) = recovered["deployment"]["resources"]
    assert resource["id"] == "ours" and resource["outputs"]["name"] == claim
    assert recovered["deployment"]["pending_operations"] == []
    if type_token == NATIVE_TYPE:
        assert resource["provider"].startswith("urn:pulumi:dev::proj::pulumi:providers:vapi")


def test_a_named_create_after_its_rename_is_in_doubt_only_when_a_number_has_its_name() -> None:
    after_rename = _number("renamed", "front desk", sipUri="sip:desk@sip.vapi.ai")
    _recovered, report = recover_export(_export(NATIVE_TYPE, NAMED), _client([after_rename]))
    assert report.in_doubt and not report.recorded
    recovered, report = recover_export(_export(NATIVE_TYPE, NAMED), _client([]))
    assert report.dropped and recovered["deployment"]["resources"] == []
    (resource,) = recover_export(_export(NATIVE_TYPE, NAMED), _client([after_rename]))[0]["deployment"][
        "resources"
    ]
    assert resource["outputs"]["status"] == IN_DOUBT_STATUS


def test_orphans_know_native_resources_and_their_claims() -> None:
    export = _export(NATIVE_TYPE, {**NAMED, "autonamePrefix": "desk"})
    keys = orphan_keys(export)
    claim = claim_name({**NAMED, "autonamePrefix": "desk"}, PHONE_NUMBER.replace_keys)
    assert keys.exact[claim] == "claim" and keys.exact["front desk"] == "name only"


def test_an_explicit_name_of_the_autoname_shape_proves_nothing() -> None:
    # Native check sets autonamePrefix to the resource name even for a named number: `desk-primary` has
    # the autoname's shape, but it is another stack's number (another sipUri), never this create's.
    inputs = {**NAMED, "name": "desk-primary", "autonamePrefix": "desk"}
    theirs = _number("theirs", "desk-primary", sipUri="sip:staging@sip.vapi.ai")
    recovered, report = recover_export(_export(NATIVE_TYPE, inputs), _client([theirs]))
    assert report.recorded == {} and recovered["deployment"]["resources"] == []
    assert "desk-primary" not in orphan_keys(_export(NATIVE_TYPE, inputs)).exact or (
        orphan_keys(_export(NATIVE_TYPE, inputs)).exact["desk-primary"] == "name only"
    )


def test_an_encrypted_replacing_value_gives_no_claim_and_orphans_look_for_the_shape() -> None:
    envelope = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"}
    inputs = {**NAMED, "autonamePrefix": "desk", "numberDesiredAreaCode": envelope}
    assert claim_name(inputs, PHONE_NUMBER.replace_keys) is None
    assert "desk" in orphan_keys(_export(NATIVE_TYPE, inputs)).legacy_prefixes
