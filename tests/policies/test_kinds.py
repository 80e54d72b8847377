"""Which rule checks which kind of number (docs/policies.md, "Kinds of number"): every rule that makes
sense applies to the imported kinds too; `vapi-sip-number-authenticated` stays Vapi-SIP only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policies.harness import engine_config, policy_named, resource_args, run, stack_args, stack_resource
from vapi_policies.rules import (
    FALLBACK_E164,
    HAS_DESTINATION,
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

IMPORTED = [
    TWILIO_PHONE_NUMBER_TYPE,
    VONAGE_PHONE_NUMBER_TYPE,
    TELNYX_PHONE_NUMBER_TYPE,
    BYO_PHONE_NUMBER_TYPE,
]


def _run(rule: str, props: dict[str, Any], resource_type: str, **kwargs: Any) -> list[str]:
    policy = policy_named(rule)
    args = resource_args(props, resource_type=resource_type, config=engine_config(policy), **kwargs)
    return run(policy, args).messages


def test_every_kind_is_checked() -> None:
    assert VAPI_NUMBER_TYPES == {PHONE_NUMBER_TYPE, *IMPORTED}


@pytest.mark.parametrize("resource_type", IMPORTED)
def test_resource_rules_apply_to_each_imported_kind(resource_type: str) -> None:
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
    assert _run(SIP_AUTHENTICATED, {"sipUri": "sip:x@sip.vapi.ai"}, PHONE_NUMBER_TYPE)


def test_byo_number_honours_number_e164_check_enabled() -> None:
    props = {"number": "1001", "credentialId": "c", "assistantId": "a"}
    messages = _run(FALLBACK_E164, props, BYO_PHONE_NUMBER_TYPE)
    assert len(messages) == 1 and "numberE164CheckEnabled" in messages[0] and "1001" not in messages[0]
    assert not _run(FALLBACK_E164, {**props, "numberE164CheckEnabled": False}, BYO_PHONE_NUMBER_TYPE)
    policy = policy_named(FALLBACK_E164)
    strict = engine_config(policy, {"allowE164CheckDisabled": False})
    args = resource_args(
        {**props, "numberE164CheckEnabled": False}, resource_type=BYO_PHONE_NUMBER_TYPE, config=strict
    )
    assert run(policy, args).messages


def test_unique_numbers_compares_imported_numbers_across_kinds() -> None:
    policy = policy_named(UNIQUE_NUMBERS)
    resources = [
        stack_resource(
            "twilio-a", {"number": "+14155550123", "name": "A"}, resource_type=TWILIO_PHONE_NUMBER_TYPE
        ),
        stack_resource(
            "vonage-b", {"number": "+14155550123", "name": "B"}, resource_type=VONAGE_PHONE_NUMBER_TYPE
        ),
        stack_resource(
            "telnyx-c", {"number": "+14155550124", "name": "C"}, resource_type=TELNYX_PHONE_NUMBER_TYPE
        ),
        stack_resource("vapi-d", {"number": "+14155550124", "name": "D"}),  # Vapi-issued: an output
    ]
    outcome = run(policy, stack_args(resources, config=engine_config(policy)))
    assert len(outcome.messages) == 2
    assert all("number" in m for m in outcome.messages)
    assert "'vonage-b'" in outcome.messages[0] and "'twilio-a'" in outcome.messages[1]
    same_name = [
        stack_resource("x", {"number": "+14155550125", "name": "N"}, resource_type=BYO_PHONE_NUMBER_TYPE),
        stack_resource("y", {"name": "N"}),
    ]
    assert len(run(policy, stack_args(same_name, config=engine_config(policy))).messages) == 2
