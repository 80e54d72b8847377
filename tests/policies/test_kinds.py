"""Which rule checks which kind of number (docs/policies.md, "Kinds of number"): every rule that makes
sense applies to the imported kinds too; `vapi-sip-number-authenticated` stays Vapi-SIP only. Each test
runs on the dynamic resources' type tokens and on the native provider's (`token_set`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policies.harness import (
    engine_config,
    policy_named,
    resource_args,
    run,
    stack_args,
    stack_resource,
    type_of,
    using_token_set,
)
from vapi_policies.rules import (
    FALLBACK_E164,
    HAS_DESTINATION,
    IMPORTED_NUMBER_TYPES,
    PRODUCTION_PROTECTED,
    SINGLE_TARGET,
    SIP_AUTHENTICATED,
    UNIQUE_NUMBERS,
    VAPI_NUMBER_TYPES,
    WEBHOOK_HTTPS,
)
from vapi_provider import (
    BYO_PHONE_NUMBER_TYPE,
    PHONE_NUMBER_TYPE,
    TELNYX_PHONE_NUMBER_TYPE,
    TWILIO_PHONE_NUMBER_TYPE,
    VONAGE_PHONE_NUMBER_TYPE,
)
from vapi_provider.properties import TABLES

pytestmark = pytest.mark.usefixtures("token_set")

IMPORTED_KINDS = ["twilio", "vonage", "telnyx", "byo-phone-number"]


def _run(rule: str, props: dict[str, Any], resource_type: str, **kwargs: Any) -> list[str]:
    policy = policy_named(rule)
    args = resource_args(props, resource_type=resource_type, config=engine_config(policy), **kwargs)
    return run(policy, args).messages


def test_every_kind_is_checked() -> None:
    dynamic = {PHONE_NUMBER_TYPE, TWILIO_PHONE_NUMBER_TYPE, VONAGE_PHONE_NUMBER_TYPE}
    dynamic |= {TELNYX_PHONE_NUMBER_TYPE, BYO_PHONE_NUMBER_TYPE}
    native = {f"vapi:index:{name}" for name in ("PhoneNumber", "TwilioPhoneNumber", "VonagePhoneNumber")}
    native |= {"vapi:index:TelnyxPhoneNumber", "vapi:index:ByoPhoneNumber"}
    assert VAPI_NUMBER_TYPES == dynamic | native
    assert IMPORTED_NUMBER_TYPES == (dynamic | native) - {PHONE_NUMBER_TYPE, "vapi:index:PhoneNumber"}
    # one token of each set per property table: no kind is left out of either set
    assert {table.provider for table in TABLES} == {"vapi", *IMPORTED_KINDS}
    assert type_of("vapi") in {PHONE_NUMBER_TYPE, "vapi:index:PhoneNumber"}


@pytest.mark.parametrize("kind", IMPORTED_KINDS)
def test_resource_rules_apply_to_each_imported_kind(kind: str) -> None:
    resource_type = type_of(kind)
    base = {"number": "+14155550123", "credentialId": "c"}
    assert _run(HAS_DESTINATION, base, resource_type)
    assert not _run(HAS_DESTINATION, {**base, "assistantId": "a"}, resource_type)
    assert _run(SINGLE_TARGET, {**base, "assistantId": "a", "squadId": "s"}, resource_type)
    assert _run(
        WEBHOOK_HTTPS, {**base, "assistantId": "a", "server": {"url": "http://x.example"}}, resource_type
    )
    fallback = {"type": "number", "number": "4155550123"}
    assert _run(FALLBACK_E164, {**base, "fallbackDestination": fallback}, resource_type)
    assert len(_run(FALLBACK_E164, {**base, "number": "4155550123"}, resource_type)) == 1
    assert not _run(FALLBACK_E164, base, resource_type)
    production = {"production": True}
    policy = policy_named(PRODUCTION_PROTECTED)
    args = resource_args(base, resource_type=resource_type, config=engine_config(policy, production))
    assert run(policy, args).messages
    # a number without sipUri or authentication is not a SIP number: the SIP rule never fires
    assert not _run(SIP_AUTHENTICATED, {**base, "sipUri": "sip:x@sip.vapi.ai"}, resource_type)


def test_sip_rule_still_checks_vapi_sip_numbers() -> None:
    assert _run(SIP_AUTHENTICATED, {"sipUri": "sip:x@sip.vapi.ai"}, type_of("vapi"))


def test_byo_number_honours_number_e164_check_enabled() -> None:
    byo = type_of("byo-phone-number")
    props = {"number": "1001", "credentialId": "c", "assistantId": "a"}
    messages = _run(FALLBACK_E164, props, byo)
    assert len(messages) == 1 and "numberE164CheckEnabled" in messages[0] and "1001" not in messages[0]
    assert not _run(FALLBACK_E164, {**props, "numberE164CheckEnabled": False}, byo)
    policy = policy_named(FALLBACK_E164)
    strict = engine_config(policy, {"allowE164CheckDisabled": False})
    args = resource_args({**props, "numberE164CheckEnabled": False}, resource_type=byo, config=strict)
    assert run(policy, args).messages


def test_unique_numbers_compares_imported_numbers_across_kinds() -> None:
    policy = policy_named(UNIQUE_NUMBERS)
    resources = [
        stack_resource("twilio-a", {"number": "+14155550123", "name": "A"}, resource_type=type_of("twilio")),
        stack_resource("vonage-b", {"number": "+14155550123", "name": "B"}, resource_type=type_of("vonage")),
        stack_resource("telnyx-c", {"number": "+14155550124", "name": "C"}, resource_type=type_of("telnyx")),
        stack_resource("vapi-d", {"number": "+14155550124", "name": "D"}),  # Vapi-issued: an output
    ]
    outcome = run(policy, stack_args(resources, config=engine_config(policy)))
    assert len(outcome.messages) == 2
    assert all("number" in m for m in outcome.messages)
    assert "'vonage-b'" in outcome.messages[0] and "'twilio-a'" in outcome.messages[1]
    same_name = [
        stack_resource(
            "x", {"number": "+14155550125", "name": "N"}, resource_type=type_of("byo-phone-number")
        ),
        stack_resource("y", {"name": "N"}),
    ]
    assert len(run(policy, stack_args(same_name, config=engine_config(policy))).messages) == 2


@pytest.mark.parametrize("kind", ["vapi", *IMPORTED_KINDS])
def test_dynamic_and_native_resources_get_the_same_messages(kind: str) -> None:
    """The same props under the dynamic and the native token of a kind: word for word the same reports."""
    props = {
        "number": "4155550123",
        "sipUri": "sip:x@sip.vapi.ai",
        "assistantId": "a",
        "squadId": "s",
        "server": {"url": "http://plain.example.com"},
        "fallbackDestination": {"type": "number", "number": "12"},
    }
    messages: dict[str, list[list[str]]] = {}
    for name in ("dynamic", "native"):
        with using_token_set(name):
            resource_type = type_of(kind)
            per_rule = []
            for rule in (HAS_DESTINATION, SINGLE_TARGET, SIP_AUTHENTICATED, WEBHOOK_HTTPS, FALLBACK_E164):
                per_rule.append(_run(rule, props, resource_type))
            policy = policy_named(PRODUCTION_PROTECTED)
            config = engine_config(policy, {"production": True})
            per_rule.append(
                run(policy, resource_args(props, resource_type=resource_type, config=config)).messages
            )
            messages[name] = per_rule
    assert messages["dynamic"] == messages["native"]
    assert sum(len(m) for m in messages["native"]) >= 4


def test_unique_numbers_compares_dynamic_and_native_numbers() -> None:
    """Mid-migration, a dynamic and a native declaration of one number in a stack clash like two of a kind."""
    with using_token_set("dynamic"):
        dynamic = stack_resource("old-line", {"sipUri": "sip:Line@sip.vapi.ai", "name": "Line"})
    with using_token_set("native"):
        native = stack_resource("new-line", {"sipUri": "sip:line@sip.vapi.ai", "name": "Line"})
    policy = policy_named(UNIQUE_NUMBERS)
    outcome = run(policy, stack_args([dynamic, native], config=engine_config(policy)))
    assert len(outcome.messages) == 4
    assert outcome.urns.count(dynamic.urn) == 2 and outcome.urns.count(native.urn) == 2
