"""Unit tests of every rule of the vapi-phone-numbers policy pack, through tests/policies/harness.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from tests.policies.harness import (
    ConfigError,
    engine_config,
    policy_named,
    resource_args,
    run,
    secret,
    stack_args,
    stack_named,
    stack_resource,
    unknown,
)
from vapi_policies import rules as vapi_rules

# Every test here runs twice: on the dynamic resources' type tokens and on the native provider's.
pytestmark = pytest.mark.usefixtures("token_set")

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policies"

SECRET_PASSWORD = "s3cr3t-password-never-shown-0001"
SECRET_HEADER = "Bearer top-secret-header-value-0002"
AUTH = {"username": "support-line-user-000001", "password": secret(SECRET_PASSWORD)}

HAS_DESTINATION = "vapi-number-has-destination"
SINGLE_TARGET = "vapi-number-single-target"
SIP_AUTH = "vapi-sip-number-authenticated"
HTTPS = "vapi-webhook-url-https"
E164 = "vapi-fallback-number-e164"
PROTECTED = "vapi-production-number-protected"
UNIQUE = "vapi-unique-numbers"


def compliant(**overrides: Any) -> dict[str, Any]:
    """A number that passes every rule; secrets included, as the engine sends them."""
    props: dict[str, Any] = {
        "name": "Support line",
        "numberDesiredAreaCode": "415",
        "assistantId": "asst-0001",
        "server": {
            "url": "https://hooks.example.com/vapi",
            "headers": {"Authorization": secret(SECRET_HEADER)},
        },
        "fallbackDestination": {"type": "number", "number": "+14155550100"},
        "hooks": [
            {
                "on": "call.ringing",
                "do": [{"type": "transfer", "destination": {"type": "number", "number": "+442071838750"}}],
            },
            {"on": "call.ending", "do": {"type": "say", "exact": "Goodbye."}},
        ],
    }
    props.update(overrides)
    return {k: v for k, v in props.items() if v is not None}


def without(props: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in keys}


def assert_no_value_echoed(texts: list[str], *values: str) -> None:
    for text in texts:
        for value in (SECRET_PASSWORD, SECRET_HEADER, *values):
            assert value not in text


# ----------------------------------------------------------------------------------------------
# The pack as a whole
# ----------------------------------------------------------------------------------------------


def test_policies_names_levels_and_kinds() -> None:
    levels = {p.name: p.enforcement_level for p in vapi_rules.POLICIES}
    assert levels == {
        HAS_DESTINATION: EnforcementLevel.MANDATORY,
        SINGLE_TARGET: EnforcementLevel.MANDATORY,
        SIP_AUTH: EnforcementLevel.MANDATORY,
        HTTPS: EnforcementLevel.MANDATORY,
        E164: EnforcementLevel.MANDATORY,
        PROTECTED: EnforcementLevel.MANDATORY,
        UNIQUE: EnforcementLevel.MANDATORY,
    }
    for policy in vapi_rules.POLICIES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", policy.name)
        assert policy.description.endswith(".")
        expected = StackValidationPolicy if policy.name == UNIQUE else ResourceValidationPolicy
        assert isinstance(policy, expected)
        # A severity would change the CLI's "[mandatory]  <name>" line that CI greps for.
        assert policy.severity is None


def test_pack_matches_the_provider_type_token_exactly() -> None:
    from vapi_provider import PHONE_NUMBER_TYPE

    assert vapi_rules.PHONE_NUMBER_TYPE is PHONE_NUMBER_TYPE
    assert PHONE_NUMBER_TYPE == "pulumi-python:dynamic/vapi:VapiPhoneNumber"
    assert vapi_rules.PACK_NAME == "vapi-phone-numbers"


def test_pack_matches_the_native_type_tokens_exactly() -> None:
    assert vapi_rules.NATIVE_PHONE_NUMBER_TYPE == "vapi:index:PhoneNumber"
    assert vapi_rules.NATIVE_TYPE_BY_KIND == {
        "vapi": "vapi:index:PhoneNumber",
        "twilio": "vapi:index:TwilioPhoneNumber",
        "vonage": "vapi:index:VonagePhoneNumber",
        "telnyx": "vapi:index:TelnyxPhoneNumber",
        "byo-phone-number": "vapi:index:ByoPhoneNumber",
    }
    assert vapi_rules.VAPI_NUMBER_TYPES == vapi_rules.DYNAMIC_NUMBER_TYPES | vapi_rules.NATIVE_NUMBER_TYPES
    assert len(vapi_rules.VAPI_NUMBER_TYPES) == 10
    for kind, token in vapi_rules.NATIVE_TYPE_BY_KIND.items():
        assert vapi_rules.number_kind(token) == kind
        assert vapi_rules.number_kind(vapi_rules.DYNAMIC_TYPE_BY_KIND[kind]) == kind
    assert vapi_rules.number_kind("pulumi:providers:vapi") is None


def test_pack_checks_every_resource_of_the_native_schema_and_its_input_names() -> None:
    """Every resource the native provider serves is a number the pack checks, and every input the rules read
    is one of that resource's schema properties (the same camelCase keys as the dynamic resources)."""
    from vapi_provider.native.schema import package_schema

    resources = package_schema()["resources"]
    assert set(resources) == set(vapi_rules.NATIVE_NUMBER_TYPES)
    read_by_rules = {"assistantId", "squadId", "workflowId", "fallbackDestination", "server", "hooks", "name"}
    for token, spec in resources.items():
        assert read_by_rules <= set(spec["inputProperties"]), token
        assert ("sipUri" in spec["inputProperties"]) == (vapi_rules.number_kind(token) == "vapi"), token
        if vapi_rules.number_kind(token) != "vapi":
            assert "number" in spec["inputProperties"], token
    assert "vapi:index:Provider" not in vapi_rules.VAPI_NUMBER_TYPES


def test_exported_members() -> None:
    for name in vapi_rules.__all__:
        assert hasattr(vapi_rules, name), name


@pytest.mark.parametrize("policy", [p.name for p in vapi_rules.POLICIES if p.name != UNIQUE])
def test_resource_rules_ignore_other_types_even_with_lookalike_props(policy: str) -> None:
    props = {
        "sipUri": "sip:x@sip.vapi.ai",
        "server": {"url": "http://plain.example.com"},
        "fallbackDestination": {"type": "number", "number": "12"},
        "assistantId": "a",
        "squadId": "s",
    }
    for resource_type in (
        "pulumi-python:dynamic:Resource",
        "pulumi-python:dynamic/vapi:VapiPhoneNumberX",
        "pulumi-python:dynamic/vapi:PhoneNumber",
        "vapi:index:VapiPhoneNumber",
        "vapi:index:PhoneNumberX",
        "vapi:index:phonenumber",
        "vapi:other:PhoneNumber",
        "vapi:PhoneNumber",
        "pulumi:providers:vapi",
    ):
        with stack_named("prod"):
            outcome = run(policy, resource_args(props, resource_type=resource_type))
        assert outcome.violations == []
        assert outcome.unknown_note is None


@pytest.mark.parametrize("policy", [p.name for p in vapi_rules.POLICIES if p.name != UNIQUE])
def test_compliant_number_passes_every_resource_rule(policy: str) -> None:
    config = engine_config(policy_named(policy))
    with stack_named("dev"):
        outcome = run(policy, resource_args(compliant(), config=config))
    assert outcome.violations == []
    assert outcome.unknown_note is None


def test_compliant_sip_number_passes_every_rule() -> None:
    props = {
        "name": "SIP desk",
        "sipUri": "sip:desk-0001@sip.vapi.ai",
        "authentication": AUTH,
        "workflowId": "wf-1",
    }
    with stack_named("dev"):
        for policy in vapi_rules.POLICIES:
            if policy.name == UNIQUE:
                outcome = run(
                    policy, stack_args([stack_resource("desk", props)], config=engine_config(policy))
                )
            else:
                outcome = run(policy, resource_args(props, name="desk", config=engine_config(policy)))
            assert outcome.violations == [], policy.name


def test_rules_read_no_config_as_defaults() -> None:
    # The engine always fills in schema defaults; the rules must behave the same without them.
    props = without(compliant(), "assistantId", "fallbackDestination")
    with stack_named("prod"):
        for policy in vapi_rules.POLICIES:
            results = []
            for config in (None, engine_config(policy)):
                if policy.name == UNIQUE:
                    args: Any = stack_args(
                        [stack_resource("a", props), stack_resource("b", props)], config=config
                    )
                else:
                    args = resource_args(props, config=config)
                results.append(run(policy, args).messages)
            assert results[0] == results[1], policy.name


# ----------------------------------------------------------------------------------------------
# vapi-number-has-destination
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "props",
    [
        {"assistantId": "asst-1"},
        {"squadId": "squad-1"},
        {"workflowId": "wf-1"},
        {"fallbackDestination": {"type": "sip", "sipUri": "sip:desk@example.com"}},
        {"fallbackDestination": {"type": "number", "number": "+14155550100"}},
    ],
)
def test_has_destination_passes_with_a_target_or_a_fallback(props: dict[str, Any]) -> None:
    outcome = run(HAS_DESTINATION, resource_args({"numberDesiredAreaCode": "415", **props}))
    assert outcome.violations == []


NO_DESTINATION = (
    "Phone number 'support-line' has no destination: set assistant_id (assistantId), squad_id (squadId) "
    "or workflow_id (workflowId), or a fallback_destination (fallbackDestination), so inbound calls are "
    "not hung up with an error."
)
SERVER_URL_HINT = (
    " It routes calls only through server.url (assistant-request): if that is intended, set the option "
    "allowServerUrlRouting to true for vapi-number-has-destination in the policy config."
)


def test_has_destination_fails_without_any_destination() -> None:
    props = {"name": "Support line", "numberDesiredAreaCode": "415", "server": {"timeoutSeconds": 20}}
    outcome = run(HAS_DESTINATION, resource_args(props, name="support-line"))
    assert outcome.messages == [NO_DESTINATION]
    assert outcome.unknown_note is None
    assert_no_value_echoed(outcome.shown, "Support line")


@pytest.mark.parametrize("server", [{"url": "https://hooks.example.com"}, unknown(), {"url": unknown()}])
def test_has_destination_names_the_server_url_option_when_only_server_url_routes(server: Any) -> None:
    props = {"name": "Support line", "numberDesiredAreaCode": "415", "server": server}
    policy = policy_named(HAS_DESTINATION)
    outcome = run(policy, resource_args(props, name="support-line", config=engine_config(policy)))
    assert outcome.messages == [NO_DESTINATION + SERVER_URL_HINT]
    assert_no_value_echoed(outcome.shown, "Support line", "https://hooks.example.com")


@pytest.mark.parametrize("empty", [None, "", " ", "\t\n ", "\u00a0"])
def test_has_destination_treats_null_and_empty_targets_as_unset(empty: Any) -> None:
    props = {
        "numberDesiredAreaCode": "415",
        "assistantId": empty,
        "squadId": empty,
        "fallbackDestination": None,
    }
    outcome = run(HAS_DESTINATION, resource_args(props))
    assert outcome.messages == [NO_DESTINATION]


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
@pytest.mark.parametrize("key", ["assistantId", "squadId", "workflowId"])
def test_blank_target_ids_are_no_target(key: str, blank: str) -> None:
    assert (
        len(run(HAS_DESTINATION, resource_args({"numberDesiredAreaCode": "415", key: blank})).violations) == 1
    )
    # Next to a real target, a blank id is not a second target.
    others = [k for k in ("assistantId", "squadId", "workflowId") if k != key]
    props = {key: blank, others[0]: "real-id-0001"}
    assert run(SINGLE_TARGET, resource_args(props)).violations == []
    assert run(HAS_DESTINATION, resource_args(props)).violations == []


@pytest.mark.parametrize("key", ["assistantId", "squadId", "workflowId", "fallbackDestination"])
def test_has_destination_counts_an_unknown_target_as_present(key: str) -> None:
    outcome = run(HAS_DESTINATION, resource_args({"numberDesiredAreaCode": "415", key: unknown()}))
    assert outcome.violations == []
    assert outcome.unknown_note is None  # presence is decided without reading the value


def test_has_destination_counts_a_secret_target_without_echoing_it() -> None:
    assert run(HAS_DESTINATION, resource_args({"assistantId": secret("asst-secret-0003")})).violations == []
    outcome = run(
        HAS_DESTINATION,
        resource_args({"sipUri": secret("sip:hidden-0004@sip.vapi.ai"), "authentication": AUTH}),
    )
    assert len(outcome.violations) == 1
    assert_no_value_echoed(outcome.shown, "hidden-0004")


def test_has_destination_server_url_routing_is_off_by_default() -> None:
    props = {"numberDesiredAreaCode": "415", "server": {"url": "https://hooks.example.com/assistant-request"}}
    policy = policy_named(HAS_DESTINATION)
    assert len(run(policy, resource_args(props, config=engine_config(policy))).violations) == 1


def test_has_destination_server_url_routing_option() -> None:
    policy = policy_named(HAS_DESTINATION)
    config = engine_config(policy, {"allowServerUrlRouting": True})
    url = "https://hooks.example.com/assistant-request"
    assert run(policy, resource_args({"server": {"url": url}}, config=config)).violations == []
    assert run(policy, resource_args({"server": {"url": unknown()}}, config=config)).violations == []
    assert run(policy, resource_args({"server": unknown()}, config=config)).violations == []
    # A server without a url is no route.
    outcome = run(policy, resource_args({"server": {"timeoutSeconds": 20}}, config=config))
    assert len(outcome.violations) == 1
    assert "or server.url for assistant-request routing" in outcome.messages[0]


# ----------------------------------------------------------------------------------------------
# vapi-number-single-target
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "props", [{}, {"assistantId": "a"}, {"squadId": "s"}, {"workflowId": "w", "squadId": None}]
)
def test_single_target_passes_with_at_most_one(props: dict[str, Any]) -> None:
    assert run(SINGLE_TARGET, resource_args(props)).violations == []


def test_single_target_fails_with_two_targets_naming_them() -> None:
    outcome = run(SINGLE_TARGET, resource_args({"assistantId": "asst-9", "squadId": "squad-9"}, name="sales"))
    assert outcome.messages == [
        "Phone number 'sales' sets more than one routing target (assistant_id (assistantId), "
        "squad_id (squadId)): keep exactly one, so it is clear which one answers inbound calls."
    ]
    assert_no_value_echoed(outcome.shown, "asst-9", "squad-9")


def test_single_target_counts_unknown_and_secret_targets() -> None:
    args = resource_args({"assistantId": unknown(), "workflowId": secret("wf-secret-0005"), "squadId": "s"})
    outcome = run(SINGLE_TARGET, args)
    assert len(outcome.violations) == 1
    assert "assistant_id (assistantId), squad_id (squadId), workflow_id (workflowId)" in outcome.messages[0]
    assert outcome.unknown_note is None
    assert_no_value_echoed(outcome.shown, "wf-secret-0005")


# ----------------------------------------------------------------------------------------------
# vapi-sip-number-authenticated
# ----------------------------------------------------------------------------------------------


def test_sip_authenticated_passes_with_authentication_or_without_sip_uri() -> None:
    assert (
        run(SIP_AUTH, resource_args({"sipUri": "sip:a@sip.vapi.ai", "authentication": AUTH})).violations == []
    )
    assert run(SIP_AUTH, resource_args({"numberDesiredAreaCode": "415"})).violations == []
    assert run(SIP_AUTH, resource_args({"sipUri": "", "numberDesiredAreaCode": "415"})).violations == []


def test_sip_authenticated_fails_without_authentication() -> None:
    uri = "sip:front-desk-0006@sip.vapi.ai"
    for props in ({"sipUri": uri}, {"sipUri": uri, "authentication": None}):
        outcome = run(SIP_AUTH, resource_args(props, name="front-desk"))
        assert outcome.messages == [
            "Phone number 'front-desk' has a sip_uri (sipUri) but no authentication: set authentication with "
            "a username and a password (20 to 40 characters each), otherwise SIP INVITEs with any "
            "credentials are accepted."
        ]
        assert_no_value_echoed(outcome.shown, uri)


def test_sip_authenticated_with_unknown_values() -> None:
    # An unknown sipUri is a SIP number; an unknown authentication counts as set.
    assert len(run(SIP_AUTH, resource_args({"sipUri": unknown()})).violations) == 1
    outcome = run(SIP_AUTH, resource_args({"sipUri": "sip:a@sip.vapi.ai", "authentication": unknown()}))
    assert outcome.violations == []
    assert outcome.unknown_note is None


def test_sip_authenticated_accepts_secret_authentication() -> None:
    props = {
        "sipUri": secret("sip:a@sip.vapi.ai"),
        "authentication": secret({"username": "u" * 20, "password": "p" * 20}),
    }
    assert run(SIP_AUTH, resource_args(props)).violations == []


# ----------------------------------------------------------------------------------------------
# vapi-webhook-url-https
# ----------------------------------------------------------------------------------------------


def plan(**urls: str) -> dict[str, Any]:
    return {"mode": "warm-transfer-experimental", **urls}


def test_https_fails_for_each_plain_url_naming_its_path() -> None:
    props = {
        "assistantId": "a",
        "server": {"url": "http://hooks.example.com/vapi?token=leak-0007"},
        "fallbackDestination": {
            "type": "number",
            "number": "+14155550100",
            "transferPlan": plan(holdAudioUrl="http://cdn.example.com/hold.mp3"),
        },
        "hooks": [
            {
                "on": "call.ringing",
                "do": [
                    {
                        "type": "transfer",
                        "destination": {
                            "type": "sip",
                            "sipUri": "sip:x@example.com",
                            "transferPlan": plan(transferCompleteAudioUrl="ftp://cdn.example.com/done.wav"),
                        },
                    }
                ],
            },
            {
                "on": "call.ending",
                "do": {
                    "type": "transfer",
                    "destination": {
                        "type": "number",
                        "number": "+14155550101",
                        "transferPlan": plan(holdAudioUrl="hold.mp3"),
                    },
                },
            },
        ],
    }
    outcome = run(HTTPS, resource_args(props, name="main"))
    assert outcome.messages == [
        f"Phone number 'main': {path} does not use https: change it to an https:// URL so call data and "
        "audio are not sent in clear text."
        for path in (
            "server.url",
            "fallback_destination.transferPlan.holdAudioUrl (fallbackDestination.transferPlan.holdAudioUrl)",
            "hooks[0].do[0].destination.transferPlan.transferCompleteAudioUrl",
            "hooks[1].do.destination.transferPlan.holdAudioUrl",
        )
    ]
    assert_no_value_echoed(outcome.shown, "leak-0007", "hooks.example.com", "cdn.example.com", "hold.mp3")


def test_https_passes_https_urls_any_case_and_absent_urls() -> None:
    props = {
        "server": {"url": "HTTPS://hooks.example.com"},
        "fallbackDestination": {
            "type": "number",
            "number": "+14155550100",
            "transferPlan": plan(holdAudioUrl="https://cdn.example.com/h.mp3"),
        },
    }
    assert run(HTTPS, resource_args(props)).violations == []
    assert run(HTTPS, resource_args({"server": {"timeoutSeconds": 20}})).violations == []
    assert run(HTTPS, resource_args({"server": {"url": ""}})).violations == []


def test_https_ignores_say_actions_and_transfer_actions_without_destination() -> None:
    props = {
        "hooks": [
            {
                "on": "call.ringing",
                "do": [{"type": "say", "exact": "http://not-a-url.example.com"}, {"type": "transfer"}],
            }
        ]
    }
    assert run(HTTPS, resource_args(props)).violations == []


def test_https_secret_server_url_is_checked_but_never_echoed() -> None:
    url = "http://hooks.example.com/secret-path-0008"
    outcome = run(HTTPS, resource_args({"server": secret({"url": url, "headers": {"X-Key": SECRET_HEADER}})}))
    assert len(outcome.violations) == 1
    assert_no_value_echoed(outcome.shown, url, "secret-path-0008")


def test_https_allowed_http_hosts_option() -> None:
    policy = policy_named(HTTPS)
    config = engine_config(policy, {"allowedHttpHosts": ["Internal.Example.Test"]})
    props = {"server": {"url": "http://internal.example.test:8080/hook"}}
    assert run(policy, resource_args(props, config=config)).violations == []
    props = {"server": {"url": "http://other.example.test/hook"}}
    assert len(run(policy, resource_args(props, config=config)).violations) == 1
    # The option never allows another scheme.
    props = {"server": {"url": "ftp://internal.example.test/hook"}}
    assert len(run(policy, resource_args(props, config=config)).violations) == 1


def test_https_checks_known_urls_then_notes_unknown_ones() -> None:
    props = {
        "server": {"url": unknown()},
        "fallbackDestination": {
            "type": "number",
            "number": "+14155550100",
            "transferPlan": plan(holdAudioUrl="http://cdn.example.com/h.mp3"),
        },
    }
    outcome = run(HTTPS, resource_args(props))
    assert len(outcome.violations) == 1
    assert "fallbackDestination.transferPlan.holdAudioUrl" in outcome.messages[0]
    assert outcome.unknown_note is not None
    assert "string value at .server.url can't be known during preview" in outcome.unknown_note


def test_https_unknown_containers_are_noted_not_crashing() -> None:
    for props in (
        {"server": unknown()},
        {"hooks": unknown()},
        {"hooks": [unknown()]},
        {"hooks": [{"on": "call.ringing", "do": unknown()}]},
    ):
        outcome = run(HTTPS, resource_args(props))
        assert outcome.violations == []
        assert outcome.unknown_note is not None


# ----------------------------------------------------------------------------------------------
# vapi-fallback-number-e164
# ----------------------------------------------------------------------------------------------


def number_destination(number: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "number", "number": number, **extra}


@pytest.mark.parametrize("number", ["+14155550100", "+442071838750", "+12", "+123456789012345"])
def test_e164_accepts_e164_numbers(number: str) -> None:
    assert run(E164, resource_args({"fallbackDestination": number_destination(number)})).violations == []


@pytest.mark.parametrize(
    "number",
    [
        "14155550100",
        "+0415555010",
        "+1",
        "+1234567890123456",
        "+1 415 555 0100",
        "+1-415-555-0100",
        "+14155550100\n",
        "(415) 555-0100",
        "+١٤١٥٥٥٥٠١٠٠",
    ],
)
def test_e164_rejects_other_formats_without_echoing_them(number: str) -> None:
    outcome = run(E164, resource_args({"fallbackDestination": number_destination(number)}, name="billing"))
    assert outcome.messages == [
        "Phone number 'billing': fallback_destination.number (fallbackDestination.number) is not an E.164 "
        "number: write it as + and the country code followed by the number, 15 digits at most (E.164), "
        "or set numberE164CheckEnabled to false on that destination if it is not a phone number."
    ]
    assert_no_value_echoed(outcome.shown, number.strip())


def test_e164_checks_hook_transfers_in_both_do_shapes() -> None:
    props = {
        "assistantId": "a",
        "hooks": [
            {
                "on": "call.ringing",
                "do": [
                    {"type": "say", "exact": "one moment"},
                    {"type": "transfer", "destination": number_destination("555-0100")},
                    {"type": "transfer", "destination": {"type": "sip", "sipUri": "sip:desk@example.com"}},
                ],
            },
            {
                "on": "call.ending",
                "do": {"type": "transfer", "destination": number_destination("0044 20 7183 8750")},
            },
            {
                "on": "call.ending",
                "do": {"type": "transfer", "destination": number_destination("+442071838750")},
            },
        ],
    }
    outcome = run(E164, resource_args(props))
    assert [m.split(": ")[1] for m in outcome.messages] == [
        "hooks[0].do[1].destination.number is not an E.164 number",
        "hooks[1].do.destination.number is not an E.164 number",
    ]


def test_e164_honours_an_explicit_opt_out_only() -> None:
    opted_out = {"fallbackDestination": number_destination("5550100", numberE164CheckEnabled=False)}
    assert run(E164, resource_args(opted_out)).violations == []
    for flag in (True, None, "false", 0):
        props = {"fallbackDestination": number_destination("5550100", numberE164CheckEnabled=flag)}
        assert len(run(E164, resource_args(props)).violations) == 1, flag


def test_e164_option_can_refuse_the_opt_out() -> None:
    policy = policy_named(E164)
    config = engine_config(policy, {"allowE164CheckDisabled": False})
    props = {"fallbackDestination": number_destination("5550100", numberE164CheckEnabled=False)}
    outcome = run(policy, resource_args(props, config=config))
    assert len(outcome.violations) == 1
    assert "numberE164CheckEnabled" not in outcome.messages[0]


def test_e164_secret_number_is_checked_but_never_echoed() -> None:
    outcome = run(E164, resource_args({"fallbackDestination": secret(number_destination("4155550199"))}))
    assert len(outcome.violations) == 1
    assert_no_value_echoed(outcome.shown, "4155550199")


def test_e164_unknown_number_is_noted_and_others_still_checked() -> None:
    props = {
        "fallbackDestination": number_destination(unknown()),
        "hooks": [
            {"on": "call.ending", "do": {"type": "transfer", "destination": number_destination("123")}}
        ],
    }
    outcome = run(E164, resource_args(props))
    assert len(outcome.violations) == 1
    assert "hooks[0].do.destination.number" in outcome.messages[0]
    assert outcome.unknown_note is not None
    assert ".fallbackDestination.number" in outcome.unknown_note


# ----------------------------------------------------------------------------------------------
# vapi-production-number-protected
# ----------------------------------------------------------------------------------------------


PROTECT_HOW = (
    "protect it: set vapi-phone-numbers:protect to true in the stack config (numbers declared in stack "
    "config), or pass opts=pulumi.ResourceOptions(protect=True) (numbers declared in a program)"
)


@pytest.mark.parametrize("stack", ["prod", "production", "prod-eu", "production_2", "prod-"])
def test_protected_required_in_production_stacks_by_name(stack: str) -> None:
    with stack_named(stack):
        outcome = run(PROTECTED, resource_args(compliant(), name="main-line"))
        assert outcome.messages == [
            f"Phone number 'main-line' is not protected, and stack '{stack}' is a production stack "
            f"(its name matches stackNamePattern): {PROTECT_HOW}, so that a destroy or a replacement "
            "cannot release the number."
        ]
        assert run(PROTECTED, resource_args(compliant(), protect=True)).violations == []


@pytest.mark.parametrize("stack", ["dev", "staging", "preprod", "product", "prodution", "my-prod"])
def test_protected_not_required_elsewhere(stack: str) -> None:
    with stack_named(stack):
        assert run(PROTECTED, resource_args(compliant())).violations == []


@pytest.mark.parametrize("stack", ["prod", "production-eu"])
def test_protected_under_analyze_knows_the_stack_from_the_urn(stack: str) -> None:
    # `pulumi policy analyze` gives the pack no PULUMI_STACK and no tags; the URN names the stack.
    with stack_named(None):
        outcome = run(PROTECTED, resource_args(compliant(), name="main-line", stack=stack))
    assert len(outcome.violations) == 1
    assert f"stack '{stack}' is a production stack (its name matches stackNamePattern)" in outcome.messages[0]


def test_protected_under_analyze_reports_that_it_cannot_read_the_tags() -> None:
    policy = policy_named(PROTECTED)
    with stack_named(None):
        outcome = run(policy, resource_args(compliant(), name="main-line", config=engine_config(policy)))
        assert outcome.messages == [
            "Phone number 'main-line' is not protected, and this policy cannot tell whether stack 'dev' is a "
            "production stack: the engine passed no stack tags (as under `pulumi policy analyze`), so stack "
            "tag 'environment' cannot be read. Set the option production to true or false for "
            f"vapi-production-number-protected in the policy config used for this stack, or {PROTECT_HOW}."
        ]
        # Protected numbers need no answer; with tag matching off the name decides alone.
        assert (
            run(policy, resource_args(compliant(), protect=True, config=engine_config(policy))).violations
            == []
        )
        no_tags = engine_config(policy, {"stackTag": ""})
        assert run(policy, resource_args(compliant(), config=no_tags)).violations == []


@pytest.mark.parametrize("analyze", [True, False])
def test_protected_production_option_decides_outright(analyze: bool) -> None:
    policy = policy_named(PROTECTED)
    yes, no = engine_config(policy, {"production": True}), engine_config(policy, {"production": False})
    with stack_named(None if analyze else "dev"):
        outcome = run(policy, resource_args(compliant(), name="main-line", config=yes))
        assert len(outcome.violations) == 1
        assert "the policy config sets production to true" in outcome.messages[0]
        assert run(policy, resource_args(compliant(), config=yes, protect=True)).violations == []
        assert run(policy, resource_args(compliant(), config=no, stack="prod")).violations == []
        tagged = resource_args(compliant(), config=no, stack_tags={"environment": "prod"})
        assert run(policy, tagged).violations == []


def test_protected_production_option_must_be_a_boolean() -> None:
    with pytest.raises(ConfigError, match="boolean"):
        engine_config(policy_named(PROTECTED), {"production": "yes"})


def test_protected_required_by_stack_tag_case_insensitively() -> None:
    with stack_named("blue"):
        for value in ("prod", "Production"):
            outcome = run(PROTECTED, resource_args(compliant(), stack_tags={"environment": value}))
            assert len(outcome.violations) == 1
            assert "its stack tag 'environment' marks it as production" in outcome.messages[0]
        assert run(PROTECTED, resource_args(compliant(), stack_tags={"environment": "dev"})).violations == []
        assert run(PROTECTED, resource_args(compliant(), stack_tags={"env": "prod"})).violations == []


def test_protected_options_pattern_tag_and_values() -> None:
    policy = policy_named(PROTECTED)
    config = engine_config(
        policy, {"stackNamePattern": r"^live$", "stackTag": "tier", "stackTagValues": ["gold"]}
    )
    with stack_named("prod"):
        assert run(policy, resource_args(compliant(), config=config)).violations == []
    with stack_named("live"):
        assert len(run(policy, resource_args(compliant(), config=config)).violations) == 1
    with stack_named("dev"):
        outcome = run(policy, resource_args(compliant(), config=config, stack_tags={"tier": "GOLD"}))
        assert len(outcome.violations) == 1
        assert_no_value_echoed(outcome.shown, "GOLD", "gold")
        assert (
            run(
                policy, resource_args(compliant(), config=config, stack_tags={"environment": "prod"})
            ).violations
            == []
        )


def test_protected_empty_options_turn_matching_off() -> None:
    policy = policy_named(PROTECTED)
    config = engine_config(policy, {"stackNamePattern": "", "stackTag": ""})
    with stack_named("prod"):
        assert (
            run(
                policy, resource_args(compliant(), config=config, stack_tags={"environment": "prod"})
            ).violations
            == []
        )


def test_protected_invalid_pattern_is_a_clear_error() -> None:
    policy = policy_named(PROTECTED)
    with pytest.raises(ConfigError, match="stackNamePattern|regex"):
        engine_config(policy, {"stackNamePattern": "(prod"})
    with (
        stack_named("prod"),
        pytest.raises(ValueError, match="stackNamePattern is not a valid Python regular"),
    ):
        run(policy, resource_args(compliant(), config={"stackNamePattern": "(prod"}))


# ----------------------------------------------------------------------------------------------
# vapi-unique-numbers (stack policy)
# ----------------------------------------------------------------------------------------------


def sip_number(uri: Any, name: Any = None) -> dict[str, Any]:
    props = {"sipUri": uri, "authentication": AUTH, "assistantId": "a"}
    if name is not None:
        props["name"] = name
    return props


def test_unique_passes_distinct_numbers_and_ignores_other_types() -> None:
    resources = [
        stack_resource("a", sip_number("sip:a@sip.vapi.ai", "A")),
        stack_resource("b", sip_number("sip:b@sip.vapi.ai", "B")),
        stack_resource("c", compliant(name="C")),
        stack_resource("d", compliant(name="D")),  # no sipUri on PSTN numbers: nothing to compare
        stack_resource(
            "other", sip_number("sip:a@sip.vapi.ai", "A"), resource_type="pulumi-python:dynamic:Resource"
        ),
    ]
    outcome = run(UNIQUE, stack_args(resources))
    assert outcome.violations == []
    assert outcome.unknown_note is None


def test_unique_reports_each_number_sharing_a_sip_uri_case_insensitively() -> None:
    resources = [
        stack_resource("front-desk", sip_number("sip:Desk-0009@SIP.vapi.ai", "Front")),
        stack_resource("back-desk", sip_number("sip:desk-0009@sip.vapi.ai", "Back")),
        stack_resource("lobby", sip_number("sip:lobby@sip.vapi.ai", "Lobby")),
    ]
    outcome = run(UNIQUE, stack_args(resources))
    assert outcome.violations == [
        (
            "Phone number 'back-desk' has the same sip_uri (sipUri) as 'front-desk' "
            "(compared case-insensitively): give each number its own SIP URI.",
            resources[1].urn,
        ),
        (
            "Phone number 'front-desk' has the same sip_uri (sipUri) as 'back-desk' "
            "(compared case-insensitively): give each number its own SIP URI.",
            resources[0].urn,
        ),
    ]
    assert_no_value_echoed(outcome.shown, "desk-0009", "Desk-0009", "Front", "Back")


def test_unique_reports_shared_names_unless_turned_off() -> None:
    resources = [
        stack_resource("one", compliant(name="Support")),
        stack_resource("two", compliant(name="Support")),
        stack_resource("three", compliant(name="Support")),
        stack_resource("four", compliant(name="support")),  # names compare exactly
    ]
    policy = policy_named(UNIQUE)
    outcome = run(policy, stack_args(resources, config=engine_config(policy)))
    assert outcome.messages == [
        "Phone number 'one' has the same name as 'three', 'two': give each number its own name.",
        "Phone number 'three' has the same name as 'one', 'two': give each number its own name.",
        "Phone number 'two' has the same name as 'one', 'three': give each number its own name.",
    ]
    assert_no_value_echoed(outcome.shown, "Support")
    config = engine_config(policy, {"checkNames": False})
    assert run(policy, stack_args(resources, config=config)).violations == []


def test_unique_is_independent_of_resource_order() -> None:
    resources = [stack_resource(n, sip_number("sip:same@sip.vapi.ai")) for n in ("b", "c", "a")]
    first = run(UNIQUE, stack_args(resources)).violations
    second = run(UNIQUE, stack_args(list(reversed(resources)))).violations
    assert first == second and len(first) == 3


def test_unique_secret_sip_uris_compared_never_echoed() -> None:
    resources = [
        stack_resource("x", sip_number(secret("sip:hidden-0010@sip.vapi.ai"))),
        stack_resource("y", sip_number(secret("sip:HIDDEN-0010@sip.vapi.ai"))),
    ]
    outcome = run(UNIQUE, stack_args(resources))
    assert len(outcome.violations) == 2
    assert_no_value_echoed(outcome.shown, "hidden-0010", "HIDDEN-0010")


def test_unique_checks_known_values_then_notes_unknown_ones() -> None:
    resources = [
        stack_resource("a", sip_number(unknown(), "A")),
        stack_resource("b", sip_number("sip:b@sip.vapi.ai", "Same")),
        stack_resource("c", sip_number("sip:c@sip.vapi.ai", "Same")),
    ]
    outcome = run(UNIQUE, stack_args(resources))
    assert len(outcome.violations) == 2
    assert outcome.unknown_note is not None and ".sipUri" in outcome.unknown_note


# ----------------------------------------------------------------------------------------------
# Configuration files
# ----------------------------------------------------------------------------------------------


def load_engine_config(path: Path) -> dict[str, Any]:
    """Apply a policy-config file the way the engine does (an "all" level, then per-policy entries)."""
    raw = json.loads(path.read_text())
    known = {p.name for p in vapi_rules.POLICIES}
    levels = {p.name: (p.enforcement_level or EnforcementLevel.ADVISORY).value for p in vapi_rules.POLICIES}
    props: dict[str, dict[str, Any]] = {name: {} for name in known}
    if "all" in raw:
        levels = dict.fromkeys(levels, raw.pop("all"))
    for name, value in raw.items():
        assert name in known, f"{path.name}: unknown policy {name}"
        if isinstance(value, str):
            levels[name] = value
        else:
            value = dict(value)
            if "enforcementLevel" in value:
                levels[name] = value.pop("enforcementLevel")
            props[name].update(value)
    for level in levels.values():
        assert level in {"advisory", "mandatory", "remediate", "disabled"}
    return {
        name: {"level": levels[name], "config": engine_config(policy_named(name), props[name])}
        for name in known
    }


def test_example_config_is_valid_all_mandatory_one_advisory_options_set() -> None:
    path = POLICY_DIR / "policy-config.example.json"
    resolved = load_engine_config(path)
    levels = sorted(v["level"] for v in resolved.values())
    assert levels.count("advisory") == 1
    assert levels.count("mandatory") == len(vapi_rules.POLICIES) - 1
    raw = json.loads(path.read_text())
    assert raw["all"] == "mandatory"
    assert any(isinstance(v, dict) and set(v) - {"enforcementLevel"} for v in raw.values())


def test_advisory_config_makes_the_destination_rule_advisory() -> None:
    resolved = load_engine_config(POLICY_DIR / "policy-config.advisory.json")
    assert resolved[HAS_DESTINATION]["level"] == "advisory"


@pytest.mark.parametrize(
    ("policy", "config", "error"),
    [
        (HAS_DESTINATION, {"allowServerUrlRouting": "yes"}, "allowServerUrlRouting|boolean"),
        (HTTPS, {"allowedHttpHosts": "localhost"}, "array"),
        (E164, {"allowE164CheckDisabled": 1}, "boolean"),
        (PROTECTED, {"stackTagValues": [""]}, "short|minLength|non-empty"),
        (UNIQUE, {"checkNames": None}, "boolean"),
    ],
)
def test_bad_config_is_refused_by_the_schema(policy: str, config: dict[str, Any], error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        engine_config(policy_named(policy), config)


# ----------------------------------------------------------------------------------------------
# The pack entry point
# ----------------------------------------------------------------------------------------------


def test_main_only_builds_the_pack(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy

    import vapi_policies.pack

    built: list[dict[str, Any]] = []
    monkeypatch.setattr(vapi_policies.pack, "PolicyPack", lambda **kwargs: built.append(kwargs))
    runpy.run_path(str(POLICY_DIR / "__main__.py"), run_name="__main__")
    assert built == [
        {
            "name": "vapi-phone-numbers",
            "policies": vapi_rules.POLICIES,
            "enforcement_level": EnforcementLevel.MANDATORY,
        }
    ]
    assert capsys.readouterr().out == ""


def test_pack_project_file() -> None:
    text = (POLICY_DIR / "PulumiPolicy.yaml").read_text()
    assert re.search(r"^runtime:\s*$", text, re.M) and re.search(r"^\s+name: python$", text, re.M)
    assert re.search(r"^version: \d+\.\d+\.\d+$", text, re.M)
    assert re.search(r"^description: ", text, re.M)


# ----------------------------------------------------------------------------------------------
# Scenario programs for the end-to-end tests
# ----------------------------------------------------------------------------------------------

SCENARIOS = ROOT / "tests" / "e2e" / "scenarios" / "policy"
LINE = re.compile(r"\[(mandatory|advisory)\]  ([a-z0-9-]+)  \((.+): ([^)]+)\)")


def test_expected_json_matches_the_scenarios_and_the_pack() -> None:
    import ast

    expected = json.loads((SCENARIOS / "EXPECTED.json").read_text())
    folders = {p.parent.name for p in SCENARIOS.glob("*/__main__.py")}
    assert set(expected["scenarios"]) == folders
    names = {p.name for p in vapi_rules.POLICIES}
    runs = [{"scenario": s, **r} for s, r in expected["scenarios"].items()] + expected["runs"]
    for run_ in runs:
        source = (SCENARIOS / run_["scenario"] / "__main__.py").read_text()
        ast.parse(source)
        if run_["policyConfig"] is not None:
            load_engine_config(ROOT / run_["policyConfig"])
        assert run_["previewFails"] == bool(run_["mandatory"])
        for level in ("mandatory", "advisory"):
            for line in run_[level]:
                match = LINE.fullmatch(line)
                assert match, line
                assert match[1] == level and match[2] in names
                assert match[3] == vapi_rules.PHONE_NUMBER_TYPE
                assert f'"{match[4]}"' in source, f"{run_['scenario']}: no resource named {match[4]}"
