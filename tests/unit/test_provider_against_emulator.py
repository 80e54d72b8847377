"""Provider methods against the real local emulator (`vapi_emulator`), in-process over HTTP."""

from __future__ import annotations

import dill
import pytest
from bad_inputs import BAD_INPUTS
from pulumi.dynamic import Config, ConfigureRequest

import vapi_emulator
from vapi_provider.provider import VapiPhoneNumberProvider

PROVIDER = {"__provider": "serialized"}


@pytest.fixture(scope="module")
def emulator():
    handle = vapi_emulator.serve_in_thread(vapi_emulator.EmulatorConfig(activation_delay_seconds=0.05))
    yield handle
    handle.stop()


@pytest.fixture
def provider(emulator):
    provider = VapiPhoneNumberProvider()
    raw = {
        "vapi:apiKey": vapi_emulator.DEMO_API_KEY,
        "vapi:baseUrl": emulator.url,
        "vapi:pollIntervalSeconds": "0.02",
    }
    provider.configure(ConfigureRequest(Config(raw, "vapi-phone-numbers")))
    yield provider
    provider.close()


def _total(emulator):
    return emulator.metrics()["total"]


def test_emulator_bad_inputs_send_no_request(emulator, provider):
    before = _total(emulator)
    for _case, props, expected in BAD_INPUTS:
        failures = provider.check({}, {**PROVIDER, "autonamePrefix": "bad", **props}).failures
        assert any(expected in f.reason for f in failures)
    assert _total(emulator) == before


def test_emulator_full_lifecycle(emulator, provider):
    news = {
        "autonamePrefix": "lifecycle",
        "numberDesiredAreaCode": "415",
        "assistantId": "asst-1",
        "server": {"url": "https://example.com/hook", "timeoutSeconds": 20, "headers": {"X-Token": "t"}},
        "hooks": [{"on": "call.ending", "do": {"type": "say", "exact": "Goodbye."}}],
    }
    checked = provider.check({}, {**PROVIDER, **news})
    assert checked.failures == []
    created = provider.create({**PROVIDER, **checked.inputs})
    outs = created.outs
    assert outs["status"] == "active" and outs["number"].startswith("+1415")

    # A second `up`: no diff, no API call.
    before = _total(emulator)
    again = provider.check(checked.inputs, {**PROVIDER, **news})
    assert provider.diff(created.id, outs, again.inputs).changes is False
    assert _total(emulator) == before

    # Refresh without drift: still no diff.
    read = provider.read(created.id, outs)
    assert read.id == created.id
    assert (
        provider.diff(created.id, read.outs, provider.check(read.inputs, {**PROVIDER, **news}).inputs).changes
        is False
    )

    # Switch the assistant to a squad: one PATCH.
    switched = {**{k: v for k, v in news.items() if k != "assistantId"}, "squadId": "squad-1"}
    new_inputs = provider.check(read.inputs, {**PROVIDER, **switched}).inputs
    assert provider.diff(created.id, read.outs, new_inputs).changes is True
    updated = provider.update(created.id, read.outs, new_inputs)
    assert updated.outs["squadId"] == "squad-1" and "assistantId" not in updated.outs
    reread = provider.read(created.id, updated.outs)
    assert "assistantId" not in reread.inputs and reread.inputs["squadId"] == "squad-1"

    provider.delete(created.id, updated.outs)
    assert provider.read(created.id, updated.outs).id == ""
    provider.delete(created.id, updated.outs)  # already gone


def test_emulator_sip_number_and_adoption(emulator, provider):
    sip = {"name": "adopt-me", "sipUri": "sip:adopt-me-unit@sip.vapi.ai"}
    created = provider.create({**PROVIDER, **provider.check({}, {**PROVIDER, **sip}).inputs})
    assert created.outs["status"] == "active"
    adopted = provider.create(
        {
            **PROVIDER,
            **provider.check(
                {}, {**PROVIDER, "name": "adopted", "adopt": "sip:ADOPT-ME-unit@sip.vapi.ai"}
            ).inputs,
        }
    )
    assert adopted.id == created.id and adopted.outs["name"] == "adopted"
    provider.delete(created.id, adopted.outs)


def test_emulator_dropped_create_is_reconciled_not_repeated(emulator, provider):
    inputs = provider.check(
        {}, {**PROVIDER, "autonamePrefix": "dropped", "sipUri": "sip:dropped-unit@sip.vapi.ai"}
    ).inputs
    emulator.reset_metrics()
    emulator.configure(drop_after_create_rate=1.0)
    try:
        created = provider.create({**PROVIDER, **inputs})
    finally:
        emulator.configure(drop_after_create_rate=0.0)
    posts = {k: v for k, v in emulator.metrics()["requests"].items() if k.startswith("POST")}
    assert sum(posts.values()) == 1
    assert created.outs["name"] == inputs["name"] and created.outs["status"] == "active"
    provider.delete(created.id, created.outs)


def test_provider_reuses_one_connection_pool_and_never_pickles_it(provider, emulator):
    created = provider.create({"sipUri": "sip:pool@sip.vapi.ai", "name": "pool-line"})
    pool = provider._http
    provider.read(created.id, created.outs)
    provider.delete(created.id, created.outs)
    assert pool is not None and provider._http is pool
    clone = dill.loads(dill.dumps(provider, recurse=True))
    assert clone._http is None and clone._settings is None
