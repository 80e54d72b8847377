from __future__ import annotations

import pulumi
import pytest
from pulumi.runtime import rpc
from vapi_fakes import FakeVapi, make_provider

import vapi_provider
from vapi_provider import PHONE_NUMBER_TYPE, VapiPhoneNumber, VapiPhoneNumberArgs
from vapi_provider.resource import build_props_and_opts


class DelegatingMocks(pulumi.runtime.Mocks):
    """Mocks whose new_resource runs the real provider's check + create against the fake API."""

    def __init__(self) -> None:
        self.fake = FakeVapi()
        self.provider = make_provider(self.fake)
        self.seen: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args):
        self.seen.append(args)
        # The real host never sees secret wrappers (it tells the engine acceptSecrets=False); mocks do.
        checked = self.provider.check({}, _unwrap(dict(args.inputs)))
        assert [f.reason for f in checked.failures] == []
        result = self.provider.create(checked.inputs)
        return result.id, result.outs

    def call(self, args):
        return {}


def _unwrap(value):
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return _unwrap(value["value"])
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value


@pytest.fixture
def mocks():
    mocks = DelegatingMocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


def test_resource_type_token_is_the_exported_constant():
    assert PHONE_NUMBER_TYPE == "pulumi-python:dynamic/vapi:VapiPhoneNumber"
    assert f"pulumi-python:{VapiPhoneNumber._resource_type_name}" == PHONE_NUMBER_TYPE


def test_resource_exports_are_sorted_and_complete():
    assert vapi_provider.__all__ == sorted(vapi_provider.__all__)
    for name in vapi_provider.__all__:
        assert hasattr(vapi_provider, name), name


def test_resource_build_props_translates_seeds_outputs_and_marks_secrets():
    args = VapiPhoneNumberArgs(
        number_desired_area_code="415",
        assistant_id="a",
        authentication={"username": "u" * 20, "password": "p" * 20},
        server={"url": "https://example.com/h", "headers": {"X-Token": "t" * 20}},
    )
    props, opts = build_props_and_opts("support-line", args, pulumi.ResourceOptions(protect=True))
    assert props["number_desired_area_code"] == "415" and props["assistant_id"] == "a"
    assert props["autoname_prefix"] == "support-line"
    for key in ("org_id", "number", "status", "created_at", "updated_at", "sip_uri", "hooks"):
        assert key in props and props[key] is None
    # Only the secret parts are secrets; the rest of each object stays reviewable in a diff.
    assert props["authentication"]["username"] == "u" * 20
    assert isinstance(props["authentication"]["password"], pulumi.Output)
    assert props["server"]["url"] == "https://example.com/h"
    assert isinstance(props["server"]["headers"]["X-Token"], pulumi.Output)
    assert opts.protect is True
    assert not opts.additional_secret_outputs
    named, _ = build_props_and_opts(
        "x", VapiPhoneNumberArgs(name="Main line", sip_uri="sip:a@sip.vapi.ai"), None
    )
    assert "autoname_prefix" not in named
    resource = VapiPhoneNumber.__new__(VapiPhoneNumber)
    assert [resource.translate_input_property(k) for k in ("sip_uri", "org_id", "__provider")] == [
        "sipUri",
        "orgId",
        "__provider",
    ]
    assert resource.translate_output_property("createdAt") == "created_at"


@pulumi.runtime.test
def test_resource_outputs_are_snake_case_attributes(mocks):
    phone = VapiPhoneNumber(
        "support-line",
        VapiPhoneNumberArgs(
            number_desired_area_code="415",
            assistant_id="asst-1",
            authentication={"username": "u" * 24, "password": "p" * 24},
        ),
    )

    def check(values):
        urn, id_, name, area, assistant, org_id, number, status, created_at, sip_uri = values
        assert mocks.seen[0].typ == PHONE_NUMBER_TYPE
        assert "numberDesiredAreaCode" in mocks.seen[0].inputs
        assert id_ in mocks.fake.numbers
        assert name.startswith("support-line-")
        assert (area, assistant, org_id, status) == ("415", "asst-1", "org-1", "active")
        assert number == "+14155550100" and created_at and sip_uri is None

    return pulumi.Output.all(
        phone.urn,
        phone.id,
        phone.name,
        phone.number_desired_area_code,
        phone.assistant_id,
        phone.org_id,
        phone.number,
        phone.status,
        phone.created_at,
        phone.sip_uri,
    ).apply(check)


@pulumi.runtime.test
def test_resource_secret_inputs_stay_secret(mocks):
    phone = VapiPhoneNumber(
        "sip-line",
        VapiPhoneNumberArgs(
            sip_uri="sip:sip-line@sip.vapi.ai",
            authentication={"username": "u" * 24, "password": "p" * 24},
            server={"url": "https://example.com/h", "headers": {"X-Token": "t"}},
            fallback_destination={"type": "sip", "sipUri": "sip:ops@example.com"},
        ),
    )

    # The mock monitor does not apply additional_secret_outputs (the engine does; see the
    # build_props test); what reaches the engine must already be secret.
    def check(fallback):
        inputs = mocks.seen[0].inputs
        for key in ("authentication", "server"):
            assert inputs[key][rpc._special_sig_key] == rpc._special_secret_sig
        assert not isinstance(inputs["name"] if "name" in inputs else "", dict)
        assert "sipUri" in inputs and "sip_uri" not in inputs
        assert fallback == {"type": "sip", "sipUri": "sip:ops@example.com"}

    return phone.fallback_destination.apply(check)
