"""The generated SDK `pulumi_vapi` under Pulumi's mock monitor: what each resource registers with the engine.

The mocks record every registration; the assertions are on the engine's view (type tokens, camelCase
property names, nested objects, secret envelopes, provider references), which is what the native provider
receives.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pulumi
import pytest
from google.protobuf import json_format
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor
from pulumi.type_token import get_type_token

import pulumi_vapi as vapi
from tools import sdkgen
from vapi_provider.native.schema import package_schema
from vapi_provider.properties import TABLES

SECRET = rpc._special_secret_sig


class RecordingMocks(pulumi.runtime.Mocks):
    """Mocks that record registrations and answer with the inputs plus Vapi's computed outputs."""

    def __init__(self) -> None:
        self.seen: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.seen.append(args)
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-id", dict(args.inputs)
        id_ = args.resource_id or f"pn-{len(self.seen)}"
        outs = dict(args.inputs)
        outs.update({"orgId": "org-1", "status": "active", "createdAt": "2026-12-01T00:00:00Z"})
        if args.resource_id:  # a read (get/import): Vapi's record
            outs.update({"name": "Found", "number": "+14155550123"})
        return id_, outs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}

    def by_name(self, name: str) -> pulumi.runtime.MockResourceArgs:
        (found,) = [a for a in self.seen if a.name == name]
        return found


class WireMonitor(MockMonitor):
    """The mock monitor, also keeping each registration as the engine receives it (before the mocks'
    deserialization, which lifts a nested secret to the whole top-level value)."""

    def __init__(self, mocks: RecordingMocks) -> None:
        super().__init__(mocks)
        self.wire: dict[str, dict[str, Any]] = {}
        self.secret_outputs: dict[str, list[str]] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method's name)
        self.wire[request.name] = json_format.MessageToDict(request.object)
        self.secret_outputs[request.name] = list(request.additionalSecretOutputs)
        return super().RegisterResource(request)


@pytest.fixture
def monitor() -> WireMonitor:
    mocks = RecordingMocks()
    monitor = WireMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, preview=False, monitor=monitor)
    return monitor


@pytest.fixture
def mocks(monitor: WireMonitor) -> RecordingMocks:
    return monitor.mocks


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == SECRET


def _plain(value: Any) -> Any:
    if _is_secret(value):
        return _plain(value["value"])
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_sdk_exports_every_kind_and_the_provider():
    for name in (
        "PhoneNumber",
        "TwilioPhoneNumber",
        "VonagePhoneNumber",
        "TelnyxPhoneNumber",
        "ByoPhoneNumber",
        "Provider",
    ):
        assert hasattr(vapi, name) and hasattr(vapi, f"{name}Args"), name
    assert vapi.__all__ == sorted(vapi.__all__)
    for name in vapi.__all__:
        assert hasattr(vapi, name), name


def test_sdk_type_tokens_are_the_contracts():
    tokens = {
        cls.__name__: get_type_token(cls)
        for cls in (
            vapi.PhoneNumber,
            vapi.TwilioPhoneNumber,
            vapi.VonagePhoneNumber,
            vapi.TelnyxPhoneNumber,
            vapi.ByoPhoneNumber,
            vapi.Provider,
        )
    }
    assert tokens == {
        "PhoneNumber": "vapi:index:PhoneNumber",
        "TwilioPhoneNumber": "vapi:index:TwilioPhoneNumber",
        "VonagePhoneNumber": "vapi:index:VonagePhoneNumber",
        "TelnyxPhoneNumber": "vapi:index:TelnyxPhoneNumber",
        "ByoPhoneNumber": "vapi:index:ByoPhoneNumber",
        "Provider": "pulumi:providers:vapi",
    }


def test_sdk_python_names_are_the_tables_python_names():
    classes = {
        "VapiPhoneNumber": vapi.PhoneNumber,
        "TwilioPhoneNumber": vapi.TwilioPhoneNumber,
        "VonagePhoneNumber": vapi.VonagePhoneNumber,
        "TelnyxPhoneNumber": vapi.TelnyxPhoneNumber,
        "ByoPhoneNumber": vapi.ByoPhoneNumber,
    }
    for table in TABLES:
        cls = classes[table.resource]
        args_cls = getattr(vapi, f"{cls.__name__}Args")
        for prop in table.args:
            assert isinstance(getattr(args_cls, prop.python, None), property), (cls.__name__, prop.python)
        for prop in table:
            if prop.role == "output" or prop.in_args:
                assert isinstance(getattr(cls, prop.python, None), property), (cls.__name__, prop.python)


@pulumi.runtime.test
def test_sdk_args_form_registers_camel_case_inputs_and_nested_objects(mocks):
    phone = vapi.PhoneNumber(
        "support-line",
        vapi.PhoneNumberArgs(
            number_desired_area_code="415",
            assistant_id="asst-1",
            server=vapi.ServerArgs(url="https://hooks.example.com/vapi", timeout_seconds=15),
            fallback_destination={"type": "number", "number": "+14155550100"},
        ),
    )

    def check(values: list[Any]) -> None:
        org_id, status, area = values
        seen = mocks.by_name("support-line")
        assert seen.typ == "vapi:index:PhoneNumber"
        inputs = seen.inputs
        assert inputs["numberDesiredAreaCode"] == "415" and inputs["assistantId"] == "asst-1"
        assert inputs["server"] == {"url": "https://hooks.example.com/vapi", "timeoutSeconds": 15}
        assert inputs["fallbackDestination"] == {"type": "number", "number": "+14155550100"}
        assert not any("_" in key for key in inputs), inputs
        assert (org_id, status, area) == ("org-1", "active", "415")

    return pulumi.Output.all(phone.org_id, phone.status, phone.number_desired_area_code).apply(check)


@pulumi.runtime.test
def test_sdk_kwargs_form_translates_snake_case_dict_keys(mocks):
    byo = vapi.ByoPhoneNumber(
        "trunk-line",
        number="+14155550199",
        credential_id="cred-1",
        number_e164_check_enabled=True,
        server={"url": "https://hooks.example.com/vapi", "timeout_seconds": 20, "credential_id": "c2"},
        fallback_destination={"type": "sip", "sip_uri": "sip:ops@example.com"},
    )

    def check(_: Any) -> None:
        seen = mocks.by_name("trunk-line")
        assert seen.typ == "vapi:index:ByoPhoneNumber"
        inputs = seen.inputs
        assert inputs["number"] == "+14155550199" and inputs["credentialId"] == "cred-1"
        assert inputs["numberE164CheckEnabled"] is True
        assert inputs["server"] == {
            "url": "https://hooks.example.com/vapi",
            "timeoutSeconds": 20,
            "credentialId": "c2",
        }
        assert inputs["fallbackDestination"] == {"type": "sip", "sipUri": "sip:ops@example.com"}

    return byo.urn.apply(check)


@pulumi.runtime.test
def test_sdk_secrets_are_secret_where_the_schema_says_and_only_there(monitor):
    twilio = vapi.TwilioPhoneNumber(
        "twilio-line",
        number="+14155550111",
        twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token="token-value",
        server={"url": "https://hooks.example.com/vapi", "headers": {"X-Token": "header-value"}},
    )
    sip = vapi.PhoneNumber(
        "sip-line",
        sip_uri="sip:sip-line@sip.vapi.ai",
        authentication=vapi.SipAuthenticationArgs(username="u" * 24, password="p" * 24),
    )

    def check(_: Any) -> None:
        inputs = monitor.wire["twilio-line"]
        assert _is_secret(inputs["twilioAuthToken"]) and _plain(inputs["twilioAuthToken"]) == "token-value"
        assert not _is_secret(inputs["twilioAccountSid"]) and not _is_secret(inputs["number"])
        server = inputs["server"]
        assert not _is_secret(server) and server["url"] == "https://hooks.example.com/vapi"
        assert _plain(server["headers"]) == {"X-Token": "header-value"}
        assert _is_secret(server["headers"]) or _is_secret(server["headers"]["X-Token"])
        auth = monitor.wire["sip-line"]["authentication"]
        assert not _is_secret(auth) and auth["username"] == "u" * 24
        assert _is_secret(auth["password"]) and _plain(auth["password"]) == "p" * 24
        # The engine also keeps the secret outputs secret in state.
        assert set(monitor.secret_outputs["twilio-line"]) == {"twilioAuthToken", "twilioApiSecret"}
        assert monitor.secret_outputs["sip-line"] == []

    return pulumi.Output.all(twilio.urn, sip.urn).apply(check)


@pulumi.runtime.test
def test_sdk_secret_given_as_output_stays_secret_whole(monitor):
    headers = pulumi.Output.from_input({"X-Token": "late-value"})
    phone = vapi.VonagePhoneNumber(
        "vonage-line",
        number="+442071838750",
        credential_id="cred-1",
        server={"url": "https://hooks.example.com/vapi", "headers": headers},
    )

    def check(_: Any) -> None:
        server = monitor.wire["vonage-line"]["server"]
        assert _plain(server["headers"]) == {"X-Token": "late-value"}
        assert _is_secret(server["headers"])

    return phone.urn.apply(check)


@pulumi.runtime.test
def test_sdk_get_reads_by_id_with_the_right_token(mocks):
    found = vapi.TelnyxPhoneNumber.get("adopted", "pn-existing")

    def check(values: list[Any]) -> None:
        id_, number, name = values
        seen = mocks.by_name("adopted")
        assert seen.typ == "vapi:index:TelnyxPhoneNumber" and seen.resource_id == "pn-existing"
        assert (id_, number, name) == ("pn-existing", "+14155550123", "Found")

    return pulumi.Output.all(found.id, found.number, found.name).apply(check)


@pulumi.runtime.test
def test_sdk_explicit_providers_keep_their_resources_apart(mocks):
    us = vapi.Provider("us", api_key="us-key", base_url="https://api.vapi.ai")
    eu = vapi.Provider("eu", vapi.ProviderArgs(api_key="eu-key", base_url="https://api.eu.vapi.ai"))
    a = vapi.PhoneNumber("us-line", number_desired_area_code="415", opts=pulumi.ResourceOptions(provider=us))
    b = vapi.VonagePhoneNumber(
        "eu-line",
        vapi.VonagePhoneNumberArgs(number="+442071838750", credential_id="cred-eu"),
        pulumi.ResourceOptions(provider=eu),
    )

    def check(values: list[Any]) -> None:
        us_urn, eu_urn = values[:2]
        us_seen, eu_seen = mocks.by_name("us"), mocks.by_name("eu")
        assert us_seen.typ == eu_seen.typ == "pulumi:providers:vapi"
        assert _is_secret(us_seen.inputs["apiKey"]) and _plain(us_seen.inputs["apiKey"]) == "us-key"
        assert _plain(eu_seen.inputs) == {"apiKey": "eu-key", "baseUrl": "https://api.eu.vapi.ai"}
        assert mocks.by_name("us-line").provider == f"{us_urn}::us-id"
        assert mocks.by_name("eu-line").provider == f"{eu_urn}::eu-id"

    return pulumi.Output.all(us.urn, eu.urn, a.urn, b.urn).apply(check)


def test_sdk_config_reads_the_stack_config_typed(mocks):
    pulumi.runtime.set_all_config(
        {"vapi:baseUrl": "https://api.eu.vapi.ai", "vapi:maxRetries": "3"}, secret_keys=[]
    )
    try:
        assert vapi.config.base_url == "https://api.eu.vapi.ai"
        assert vapi.config.max_retries == 3
        assert vapi.config.poll_interval_seconds is None and vapi.config.api_key is None
        with pytest.raises(AttributeError, match="api_keys"):
            _ = vapi.config.api_keys  # type: ignore[attr-defined]
    finally:
        pulumi.runtime.set_all_config({})
    variables = package_schema()["config"]["variables"]
    assert vapi.config.__all__ == [sdkgen.python_name(w) for w in variables]


@pulumi.runtime.test
def test_sdk_config_api_key_is_a_secret_output(mocks):
    pulumi.runtime.set_all_config({"vapi:apiKey": "stack-key"}, secret_keys=["vapi:apiKey"])
    key = vapi.config.api_key
    assert isinstance(key, pulumi.Output)

    async def check() -> None:
        try:
            assert await key.is_secret() is True
            assert await key.future() == "stack-key"
        finally:
            pulumi.runtime.set_all_config({})

    return pulumi.Output.from_input(asyncio.ensure_future(check()))
