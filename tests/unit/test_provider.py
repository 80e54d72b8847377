from __future__ import annotations

import logging
import re
import time

import dill
import httpx
import pytest
from bad_inputs import BAD_INPUTS, to_args_kwargs
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from vapi_fakes import API_KEY, BASE_URL, FakeVapi, make_provider

from vapi_provider.errors import (
    AdoptionError,
    AmbiguousMatchError,
    PhoneNumberBlockedError,
    VapiConfigError,
    VapiError,
)
from vapi_provider.naming import autoname
from vapi_provider.provider import VapiPhoneNumberProvider
from vapi_provider.secrets import is_sealed

UNKNOWN = rpc.UNKNOWN
PROVIDER = {"__provider": "serialized"}


def _opened(value):
    """Provider results with the secret envelopes opened (the engine does this before calling us)."""
    if is_sealed(value):
        return value["value"]
    if isinstance(value, dict):
        return {k: _opened(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_opened(v) for v in value]
    return value


def _checked(provider, news, olds=None):
    result = provider.check(olds or {}, {**PROVIDER, **news})
    assert [f.reason for f in result.failures] == []
    return _opened(result.inputs)


def test_provider_results_seal_exactly_the_secret_paths(fake, provider):
    news = {
        "name": "n",
        "sipUri": "sip:n@sip.vapi.ai",
        "authentication": {"username": "u" * 24, "password": "p" * 24},
        "server": {
            "url": "https://example.com/h",
            "timeoutSeconds": 15,
            "headers": {"X-Token": "header-secret"},
        },
    }
    checked = provider.check({}, {**PROVIDER, **news}).inputs
    id_, _inputs, outs = _state(provider, fake, news)
    # Vapi now also holds a header the program never declared (set in the dashboard).
    fake.numbers[id_]["server"]["headers"]["X-Dashboard"] = "dashboard-secret"
    read = provider.read(id_, outs)
    for result in (checked, outs, read.outs, read.inputs):
        assert is_sealed(result["authentication"]["password"])
        assert result["authentication"]["username"] == "u" * 24
        assert result["server"]["url"] == "https://example.com/h" and result["server"]["timeoutSeconds"] == 15
        assert all(is_sealed(v) for v in result["server"]["headers"].values())
    assert _opened(read.inputs)["server"]["headers"] == {
        "X-Token": "header-secret",
        "X-Dashboard": "dashboard-secret",
    }


# --- configure ---------------------------------------------------------------------------------------


def test_provider_configure_reads_stack_config():
    provider = VapiPhoneNumberProvider()
    raw = {
        "vapi:apiKey": "cfg-key",
        "vapi:baseUrl": "https://api.eu.vapi.ai/",
        "vapi:pollIntervalSeconds": "0.5",
    }
    provider.configure(ConfigureRequest(Config(raw, "proj")))
    settings = provider._current_settings(need_key=True)
    assert (settings.api_key, settings.base_url, settings.poll_interval) == (
        "cfg-key",
        "https://api.eu.vapi.ai",
        0.5,
    )
    assert "cfg-key" not in repr(settings)


def test_provider_configure_falls_back_to_env(monkeypatch):
    monkeypatch.setenv("VAPI_API_KEY", "env-key")
    monkeypatch.setenv("VAPI_BASE_URL", "http://127.0.0.1:9999")
    provider = VapiPhoneNumberProvider()
    provider.configure(ConfigureRequest(Config({}, "proj")))
    settings = provider._current_settings(need_key=True)
    assert (settings.api_key, settings.base_url, settings.poll_interval) == (
        "env-key",
        "http://127.0.0.1:9999",
        2.0,
    )


def test_provider_without_key_checks_and_diffs_then_names_both_sources_at_the_first_api_call():
    # A preview with no key (a pull request from a fork) needs check and diff only: both work.
    provider = VapiPhoneNumberProvider()
    provider.configure(ConfigureRequest(Config({}, "proj")))
    checked = provider.check({}, {"numberDesiredAreaCode": "415", "autonamePrefix": "line"})
    assert checked.failures == []
    olds = {**checked.inputs, "orgId": "o", "number": "+14155550100"}
    assert provider.diff("id-1", olds, checked.inputs).changes is False
    with pytest.raises(VapiConfigError) as info:
        provider.create(checked.inputs)
    assert "vapi:apiKey" in str(info.value) and "VAPI_API_KEY" in str(info.value)
    assert "--secret" in str(info.value)


@pytest.mark.parametrize(
    ("key", "value"), [("vapi:baseUrl", "api.vapi.ai"), ("vapi:pollIntervalSeconds", "soon")]
)
def test_provider_configure_rejects_bad_settings(key, value):
    with pytest.raises(VapiConfigError):
        VapiPhoneNumberProvider().configure(ConfigureRequest(Config({"vapi:apiKey": "k", key: value}, "p")))


def test_provider_pickle_never_contains_the_key():
    provider = VapiPhoneNumberProvider()
    provider.configure(ConfigureRequest(Config({"vapi:apiKey": "very-secret-api-key-42"}, "proj")))
    pickled = dill.dumps(provider, recurse=True)
    assert b"very-secret-api-key-42" not in pickled
    assert "very-secret-api-key-42" not in serialize_provider(provider)
    clone = dill.loads(pickled)
    assert isinstance(clone, VapiPhoneNumberProvider)
    assert clone._settings is None


def test_provider_methods_need_a_key_when_not_configured():
    with pytest.raises(VapiConfigError):
        VapiPhoneNumberProvider().delete("id", {})


# --- check -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "props", "expected"), BAD_INPUTS, ids=[row[0] for row in BAD_INPUTS])
def test_provider_check_refuses_bad_input(case, props, expected):
    fake = FakeVapi()
    result = make_provider(fake).check({}, {**PROVIDER, "autonamePrefix": "bad", **props})
    reasons = [f.reason for f in result.failures]
    assert any(expected in reason for reason in reasons), reasons
    assert len(result.failures) == 1, reasons
    top = re.split(r"[.\[ :]", expected, maxsplit=1)[0]
    assert result.failures[0].property == top
    assert fake.requests == []


def test_provider_bad_inputs_table_is_big_enough_and_unique():
    assert len(BAD_INPUTS) >= 30
    assert len({row[0] for row in BAD_INPUTS}) == len(BAD_INPUTS)
    assert to_args_kwargs({"sipUri": "x"}) == {"sip_uri": "x"}
    assert to_args_kwargs({"status": "x"}) is None


def test_provider_check_accepts_and_normalises(provider):
    inputs = _checked(
        provider,
        {
            "autonamePrefix": "support",
            "numberDesiredAreaCode": "415",
            "assistantId": "asst-1",
            "server": {
                "url": "https://example.com/hook",
                "timeoutSeconds": 20.0,
                "headers": {"X-Token": "t"},
            },
            "hooks": [
                {
                    "on": "call.ringing",
                    "do": [{"type": "say", "exact": "hi"}],
                    "filters": [{"startsWith": ["1"]}],
                }
            ],
            "allowRelease": False,
            "orgId": None,
        },
    )
    assert inputs["server"] == {
        "url": "https://example.com/hook",
        "timeoutSeconds": 20,
        "headers": {"X-Token": "t"},
    }
    assert inputs["hooks"][0]["filters"] == [{"type": "startsWith", "key": "number", "startsWith": ["1"]}]
    assert inputs["allowRelease"] is False
    assert "__provider" not in inputs and "orgId" not in inputs and "provider" not in inputs


def test_provider_check_autonames_within_40_characters(provider):
    inputs = _checked(provider, {"autonamePrefix": "support-line", "sipUri": "sip:a@sip.vapi.ai"})
    assert re.fullmatch(r"support-line-[a-z0-9]{7}", inputs["name"])
    long = _checked(provider, {"autonamePrefix": "x" * 60, "sipUri": "sip:a@sip.vapi.ai"})
    assert len(long["name"]) == 40
    assert autoname("p") != autoname("p")


def test_provider_check_keeps_the_autoname_across_updates(provider):
    first = _checked(provider, {"autonamePrefix": "support", "numberDesiredAreaCode": "415"})
    second = _checked(
        provider, {"autonamePrefix": "support", "numberDesiredAreaCode": "415", "assistantId": "a"}, first
    )
    assert second["name"] == first["name"]


def test_provider_check_explicit_name_wins_and_a_removed_or_renamed_name_is_kept(provider):
    first = _checked(provider, {"autonamePrefix": "support", "numberDesiredAreaCode": "415"})
    named = _checked(provider, {"name": "Main line", "numberDesiredAreaCode": "415"}, first)
    assert named["name"] == "Main line"
    # Removing an explicit name keeps it (the docs' promise); so does renaming the resource (an alias):
    # a number is only renamed when the program says so.
    removed = _checked(provider, {"autonamePrefix": "support", "numberDesiredAreaCode": "415"}, named)
    assert removed["name"] == "Main line"
    renamed = _checked(provider, {"autonamePrefix": "sales", "numberDesiredAreaCode": "415"}, first)
    assert renamed["name"] == first["name"]


def test_provider_check_replacement_gets_a_fresh_autoname(provider):
    first = _checked(provider, {"autonamePrefix": "support", "numberDesiredAreaCode": "415"})
    second = _checked(
        provider, {"autonamePrefix": "support", "numberDesiredAreaCode": "212", "allowRelease": True}, first
    )
    assert second["name"] != first["name"]


def test_provider_check_replacement_keeps_its_fresh_autoname_in_the_engines_second_check(provider):
    # Deciding to replace, the engine checks the inputs again without the old ones; the new number must
    # still not get the old one's name, and every run must give the same one.
    seeded = {"autonamePrefix": "support", "autonameSeed": "o/p/s/support"}
    old = _checked(provider, {**seeded, "numberDesiredAreaCode": "415"})
    news = {**seeded, "numberDesiredAreaCode": "212", "allowRelease": True}
    first = _checked(provider, news, old)
    second = _checked(provider, news)
    assert first["name"] != old["name"]
    assert second["name"] == first["name"]
    other = {"autonamePrefix": "sales", "autonameSeed": "o/p/s/sales", "numberDesiredAreaCode": "212"}
    assert _checked(provider, other)["name"] == autoname("sales", "o/p/s/sales|")  # not a replacement


def test_provider_check_refuses_area_code_change_without_allow_release(fake, provider):
    olds = _checked(provider, {"autonamePrefix": "support", "numberDesiredAreaCode": "415"})
    result = provider.check(olds, {**PROVIDER, "autonamePrefix": "support", "numberDesiredAreaCode": "212"})
    assert [f.property for f in result.failures] == ["numberDesiredAreaCode"]
    reason = result.failures[0].reason
    assert "releases it for good" in reason and "allow_release=True" in reason and "protect=True" in reason
    assert fake.requests == []


def test_provider_check_refuses_adopt_during_replacement(provider):
    olds = _checked(provider, {"name": "n", "numberDesiredAreaCode": "415"})
    news = {
        **PROVIDER,
        "name": "n",
        "numberDesiredAreaCode": "212",
        "allowRelease": True,
        "adopt": "+14155550100",
    }
    assert [f.property for f in provider.check(olds, news).failures] == ["adopt"]


def test_provider_check_keeps_create_only_values_removed_from_the_program(provider):
    olds = _checked(provider, {"name": "n", "numberDesiredAreaCode": "415", "sipUri": "sip:a@sip.vapi.ai"})
    inputs = _checked(provider, {"name": "n"}, olds)
    assert inputs["numberDesiredAreaCode"] == "415" and inputs["sipUri"] == "sip:a@sip.vapi.ai"


def test_provider_check_passes_unknowns_through_and_validates_the_rest(provider):
    news = {
        **PROVIDER,
        "name": UNKNOWN,
        "numberDesiredAreaCode": "415",
        "assistantId": UNKNOWN,
        "server": {"url": UNKNOWN, "timeoutSeconds": 20, "headers": {"X": UNKNOWN}},
        "fallbackDestination": {"type": "number", "number": UNKNOWN},
        "hooks": [{"on": "call.ringing", "do": [{"type": "say", "exact": UNKNOWN}]}],
    }
    result = provider.check({}, news)
    assert result.failures == []
    result.inputs = _opened(result.inputs)
    assert result.inputs["name"] == UNKNOWN
    assert result.inputs["assistantId"] == UNKNOWN
    assert result.inputs["server"] == {"url": UNKNOWN, "timeoutSeconds": 20, "headers": {"X": UNKNOWN}}
    assert result.inputs["fallbackDestination"] == {"type": "number", "number": UNKNOWN}
    assert result.inputs["hooks"] == news["hooks"]

    bad = {**news, "server": {"url": UNKNOWN, "timeoutSeconds": 999}}
    reasons = [f.reason for f in provider.check({}, bad).failures]
    assert reasons == ["server.timeoutSeconds must be at most 300"]


def test_provider_check_accepts_the_hosts_unknown_objects(provider):
    # The SDK's dynamic host deserializes preview unknowns as pulumi.output.Unknown objects; check hands
    # them back as the string sentinel, which the host serializes as "unknown".
    from pulumi.output import Unknown

    news = {
        **PROVIDER,
        "name": "n",
        "numberDesiredAreaCode": "415",
        "assistantId": Unknown(),
        "hooks": [{"on": "call.ringing", "do": [{"type": "say", "exact": Unknown()}]}],
    }
    result = provider.check({}, news)
    assert result.failures == []
    assert result.inputs["assistantId"] == UNKNOWN
    assert result.inputs["hooks"][0]["do"][0]["exact"] == UNKNOWN
    assert provider.diff("id", {"name": "n", "numberDesiredAreaCode": "415"}, result.inputs).changes is True


def test_provider_check_unknown_area_code_counts_as_a_source(provider):
    assert provider.check({}, {**PROVIDER, "name": "n", "numberDesiredAreaCode": UNKNOWN}).failures == []
    assert provider.check({}, {**PROVIDER, "name": "n", "sipUri": UNKNOWN}).failures == []


def test_provider_check_sip_host_must_match_the_api_region(fake):
    eu = make_provider(fake, **{"vapi:baseUrl": "https://api.eu.vapi.ai"})
    result = eu.check({}, {**PROVIDER, "name": "n", "sipUri": "sip:a@sip.vapi.ai"})
    assert [f.reason.split(":")[0] for f in result.failures] == [
        "sipUri must use @sip.eu.vapi.ai with the API at https"
    ]
    assert eu.check({}, {**PROVIDER, "name": "n", "sipUri": "sip:a@sip.eu.vapi.ai"}).failures == []


def test_provider_check_never_echoes_secret_values(provider):
    secret = "short-secret"
    result = provider.check(
        {},
        {
            **PROVIDER,
            "name": "n",
            "sipUri": "sip:a@sip.vapi.ai",
            "authentication": {"username": "u" * 20, "password": secret},
        },
    )
    assert result.failures and all(secret not in f.reason for f in result.failures)


# --- diff --------------------------------------------------------------------------------------------


def _state(provider, fake, news):
    inputs = _checked(provider, news)
    created = provider.create({**PROVIDER, **inputs})
    return created.id, inputs, created.outs


def test_provider_diff_after_create_is_empty_and_makes_no_call(fake, provider):
    news = {
        "autonamePrefix": "support",
        "numberDesiredAreaCode": "415",
        "assistantId": "asst-1",
        "authentication": {"username": "u" * 24, "password": "p" * 24},
        "server": {"url": "https://example.com/hook", "timeoutSeconds": 20, "headers": {"X-Token": "t"}},
        "fallbackDestination": {"type": "number", "number": "+14155550123"},
        "hooks": [{"on": "call.ending", "do": {"type": "say", "exact": "bye"}}],
        "activationTimeoutSeconds": 30,
    }
    id_, inputs, outs = _state(provider, fake, news)
    before = len(fake.requests)
    again = provider.check(inputs, {**PROVIDER, **news})
    assert again.failures == []
    result = provider.diff(id_, {**PROVIDER, **outs}, {**PROVIDER, **again.inputs})
    assert result.changes is False and result.replaces == []
    assert len(fake.requests) == before


def test_provider_diff_routing_change_is_an_update(provider):
    olds = {
        "name": "n",
        "numberDesiredAreaCode": "415",
        "assistantId": "a",
        "number": "+14155550100",
        "orgId": "o",
    }
    result = provider.diff(
        "id", olds, {**PROVIDER, "name": "n", "numberDesiredAreaCode": "415", "squadId": "s"}
    )
    assert result.changes is True and result.replaces == []


def test_provider_diff_area_code_change_replaces_only_with_allow_release(provider):
    olds = {"name": "n", "numberDesiredAreaCode": "415", "number": "+14155550100"}
    news = {"name": "n", "numberDesiredAreaCode": "212"}
    with pytest.raises(VapiError, match="allow_release=True"):
        provider.diff("id", olds, news)
    result = provider.diff("id", olds, {**news, "allowRelease": True})
    assert result.changes is True and result.replaces == ["numberDesiredAreaCode"]


def test_provider_diff_adopted_number_gaining_an_area_code_is_guarded(provider):
    with pytest.raises(VapiError):
        provider.diff(
            "id",
            {"name": "n", "number": "+14155550100", "adopt": "+14155550100"},
            {"name": "n", "numberDesiredAreaCode": "212", "adopt": "+14155550100"},
        )


def test_provider_diff_same_sip_uri_deletes_before_replacing(provider):
    olds = {"name": "n", "sipUri": "sip:a@sip.vapi.ai"}
    news = {"name": "n", "sipUri": "sip:a@sip.vapi.ai", "numberDesiredAreaCode": "212", "allowRelease": True}
    result = provider.diff("id", olds, news)
    assert result.replaces == ["numberDesiredAreaCode"] and result.delete_before_replace is True


def test_provider_diff_own_inputs_never_replace(provider):
    olds = {"name": "n", "numberDesiredAreaCode": "415", "adopt": "+14155550100"}
    result = provider.diff("id", olds, {"name": "n", "numberDesiredAreaCode": "415", "adopt": "+14155550111"})
    assert result.changes is True and result.replaces == []


def test_provider_diff_unknowns_are_changes_not_replacements(provider):
    olds = {"name": "n", "numberDesiredAreaCode": "415", "number": "+1"}
    result = provider.diff("id", olds, {"name": "n", "numberDesiredAreaCode": UNKNOWN})
    assert result.changes is True and result.replaces == []
    result = provider.diff(
        "id", olds, {"name": "n", "numberDesiredAreaCode": "415", "server": {"url": UNKNOWN}}
    )
    assert result.changes is True


def test_provider_diff_removed_name_and_area_code_are_not_changes(provider):
    olds = {"name": "n", "numberDesiredAreaCode": "415"}
    assert provider.diff("id", olds, {}).changes is False


# --- create ------------------------------------------------------------------------------------------


def test_provider_create_posts_exactly_the_declared_fields_and_waits_for_active(fake, provider):
    fake.polls_until_active = 3
    inputs = _checked(
        provider,
        {
            "autonamePrefix": "support",
            "numberDesiredAreaCode": "415",
            "assistantId": "a",
            "allowRelease": True,
        },
    )
    result = provider.create({**PROVIDER, **inputs})
    posts = fake.calls("POST")
    assert len(posts) == 1
    assert posts[0][2] == {
        "provider": "vapi",
        "name": inputs["name"],
        "numberDesiredAreaCode": "415",
        "assistantId": "a",
    }
    assert len([c for c in fake.calls("GET") if c[1].startswith("/phone-number/")]) == 3
    assert [c[1] for c in fake.calls("GET") if not c[1].startswith("/phone-number/")] == ["/v2/phone-number"]
    assert result.outs["status"] == "active" and result.outs["number"] == "+14155550100"
    assert result.outs["orgId"] == "org-1" and result.outs["allowRelease"] is True
    assert set(result.outs) == {
        "name",
        "numberDesiredAreaCode",
        "assistantId",
        "allowRelease",
        "autonamePrefix",
        "orgId",
        "number",
        "status",
        "createdAt",
        "updatedAt",
    }


def test_provider_create_activation_timeout_records_the_number_as_activating(fake, provider):
    fake.polls_until_active = 10**6
    inputs = _checked(provider, {"name": "n", "numberDesiredAreaCode": "415", "activationTimeoutSeconds": 0})
    result = provider.create({**PROVIDER, **inputs})
    assert result.outs["status"] == "activating"
    assert result.id in fake.numbers
    assert fake.calls("DELETE") == []


def _poll_fails_with(fake, status):
    """Every poll of a number answers `status`, with a message that echoes the API key."""
    handler = fake.handler

    def failing(request):
        if request.method == "GET" and request.url.path.startswith("/phone-number/"):
            fake.requests.append((request.method, request.url.path, None))
            return httpx.Response(status, json={"message": f"Invalid Key: {API_KEY}", "statusCode": status})
        return handler(request)

    fake.handler = failing


@pytest.mark.parametrize("status", [401, 403])
def test_provider_create_poll_error_says_polling_stopped_on_it_and_claims_no_timeout(
    fake, provider, caplog, status
):
    caplog.set_level(logging.WARNING, logger="vapi_provider")
    _poll_fails_with(fake, status)
    inputs = _checked(
        provider, {"name": "n", "numberDesiredAreaCode": "415", "activationTimeoutSeconds": 300}
    )
    result = provider.create({**PROVIDER, **inputs})
    assert result.outs["status"] == "activating" and result.id in fake.numbers
    assert len([c for c in fake.calls("GET") if c[1] != "/phone-number"]) == 1  # stopped at the first
    [warning] = [r.getMessage() for r in caplog.records]
    assert f"polling phone number {result.id} stopped" in warning
    assert f"failed with {status}" in warning
    assert "status 'activating'" in warning and "pulumi refresh" in warning
    assert "still activating" not in warning and "300" not in warning
    assert API_KEY not in caplog.text


def test_provider_create_timeout_warns_once_that_the_deadline_passed(fake, provider, caplog):
    caplog.set_level(logging.WARNING, logger="vapi_provider")
    fake.polls_until_active = 10**6
    inputs = _checked(provider, {"name": "n", "numberDesiredAreaCode": "415", "activationTimeoutSeconds": 0})
    result = provider.create({**PROVIDER, **inputs})
    [warning] = [r.getMessage() for r in caplog.records]
    assert f"phone number {result.id} is still activating after 0 s, the activation timeout" in warning
    assert "failed" not in warning


def test_provider_create_timeout_after_transient_poll_errors_names_the_last_one(fake, provider, caplog):
    caplog.set_level(logging.WARNING, logger="vapi_provider")
    _poll_fails_with(fake, 500)
    provider._sleep = lambda _seconds: time.sleep(0.01)  # retries and polls take real time
    inputs = _checked(
        provider, {"name": "n", "numberDesiredAreaCode": "415", "activationTimeoutSeconds": 0.1}
    )
    result = provider.create({**PROVIDER, **inputs})
    assert result.outs["status"] == "activating"
    [warning] = [r.getMessage() for r in caplog.records]
    assert "still activating after 0.1 s, the activation timeout (the last poll failed: GET" in warning
    assert "failed with 500" in warning and API_KEY not in caplog.text


def test_provider_create_blocked_number_fails_clearly_and_is_not_released(fake, provider):
    fake.block_next = True
    inputs = _checked(provider, {"name": "n", "numberDesiredAreaCode": "415"})
    with pytest.raises(PhoneNumberBlockedError) as info:
        provider.create({**PROVIDER, **inputs})
    assert info.value.phone_number_id in str(info.value) and "blocked" in str(info.value)
    assert fake.calls("DELETE") == []


def test_provider_create_sip_number_is_active_at_once(fake, provider):
    inputs = _checked(provider, {"name": "sip-line", "sipUri": "sip:sip-line@sip.vapi.ai"})
    result = provider.create({**PROVIDER, **inputs})
    assert result.outs["status"] == "active" and result.outs["number"] is None


def test_provider_create_adopts_by_id_and_patches_only_differences(fake, provider):
    existing = fake.add(name="old", number="+14155550199", assistantId="a", sipUri="sip:x@sip.vapi.ai")
    inputs = _checked(provider, {"name": "old", "adopt": existing["id"], "assistantId": "b"})
    result = provider.create({**PROVIDER, **inputs})
    assert result.id == existing["id"]
    assert fake.calls("POST") == []
    patches = fake.calls("PATCH")
    assert [p[2] for p in patches] == [{"provider": "vapi", "assistantId": "b"}]
    assert result.outs["number"] == "+14155550199" and result.outs["assistantId"] == "b"
    assert "sipUri" not in result.outs  # undeclared: left alone, and not recorded


@pytest.mark.parametrize("key", ["number", "sipUri"])
def test_provider_create_adopts_by_number_or_sip_uri(fake, provider, key):
    existing = fake.add(name="x", number="+14155550199", sipUri="sip:Adopt-Me@sip.vapi.ai")
    adopt = "+14155550199" if key == "number" else "sip:adopt-me@sip.vapi.ai"
    inputs = _checked(provider, {"name": "x", "adopt": adopt})
    assert provider.create({**PROVIDER, **inputs}).id == existing["id"]
    assert fake.calls("POST") == [] and fake.calls("PATCH") == []


def test_provider_create_adopt_errors(fake, provider):
    with pytest.raises(AdoptionError):
        provider.create({**PROVIDER, "name": "x", "adopt": "+14155550000"})
    with pytest.raises(AdoptionError):
        provider.create({**PROVIDER, "name": "x", "adopt": "00000000-0000-4000-8000-000000000000"})
    fake.add(number="+14155550001")
    fake.add(number="+14155550001")
    with pytest.raises(AmbiguousMatchError):
        provider.create({**PROVIDER, "name": "x", "adopt": "+14155550001"})
    other = fake.add(provider="twilio", number="+14155550002", twilioAccountSid="AC")
    with pytest.raises(AdoptionError, match="twilio"):
        provider.create({**PROVIDER, "name": "x", "adopt": other["id"]})
    assert fake.calls("POST") == []


# --- update ------------------------------------------------------------------------------------------


def test_provider_update_switches_assistant_to_squad_in_one_patch(fake, provider):
    id_, inputs, outs = _state(
        provider, fake, {"name": "n", "sipUri": "sip:n@sip.vapi.ai", "assistantId": "a"}
    )
    news = _checked(provider, {"name": "n", "sipUri": "sip:n@sip.vapi.ai", "squadId": "s"}, inputs)
    result = provider.update(id_, {**PROVIDER, **outs}, {**PROVIDER, **news})
    assert [p[2] for p in fake.calls("PATCH")] == [{"provider": "vapi", "assistantId": None, "squadId": "s"}]
    assert result.outs["squadId"] == "s" and "assistantId" not in result.outs
    assert result.outs["orgId"] == "org-1" and result.outs["status"] == "active"
    assert provider.diff(id_, result.outs, news).changes is False


def test_provider_update_clears_removed_objects_and_hooks(fake, provider):
    start = {
        "name": "n",
        "sipUri": "sip:n@sip.vapi.ai",
        "server": {"url": "https://example.com/h"},
        "fallbackDestination": {"type": "sip", "sipUri": "sip:ops@example.com"},
        "hooks": [{"on": "call.ending", "do": {"type": "say", "exact": "bye"}}],
    }
    id_, inputs, outs = _state(provider, fake, start)
    news = _checked(provider, {"name": "n", "sipUri": "sip:n@sip.vapi.ai"}, inputs)
    provider.update(id_, outs, news)
    assert fake.calls("PATCH")[0][2] == {
        "provider": "vapi",
        "server": None,
        "fallbackDestination": None,
        "hooks": [],
    }


def test_provider_update_sends_whole_objects(fake, provider):
    server = {"url": "https://example.com/h", "timeoutSeconds": 20, "headers": {"A": "1"}}
    id_, inputs, outs = _state(provider, fake, {"name": "n", "sipUri": "sip:n@sip.vapi.ai", "server": server})
    news = _checked(
        provider,
        {"name": "n", "sipUri": "sip:n@sip.vapi.ai", "server": {**server, "timeoutSeconds": 30}},
        inputs,
    )
    provider.update(id_, outs, news)
    assert fake.calls("PATCH")[0][2] == {"provider": "vapi", "server": {**server, "timeoutSeconds": 30}}


def test_provider_update_of_own_inputs_makes_no_call(fake, provider):
    id_, inputs, outs = _state(provider, fake, {"name": "n", "sipUri": "sip:n@sip.vapi.ai"})
    before = len(fake.requests)
    result = provider.update(id_, outs, {**inputs, "allowRelease": True, "activationTimeoutSeconds": 5})
    assert len(fake.requests) == before
    assert result.outs["allowRelease"] is True and result.outs["orgId"] == "org-1"


# --- read --------------------------------------------------------------------------------------------


def test_provider_read_gone_returns_empty_result(provider):
    result = provider.read("00000000-0000-4000-8000-000000000000", {**PROVIDER, "name": "n"})
    assert result.id == "" and result.outs == {}


def test_provider_read_reports_exactly_the_field_changed_out_of_band(fake, provider):
    news = {
        "autonamePrefix": "support",
        "numberDesiredAreaCode": "415",
        "assistantId": "a",
        "server": {"url": "https://example.com/h", "timeoutSeconds": 20},
        "fallbackDestination": {"type": "number", "number": "+14155550123"},
        "allowRelease": True,
    }
    id_, inputs, outs = _state(provider, fake, news)
    stored = fake.numbers[id_]
    stored["assistantId"] = "changed-in-dashboard"
    stored["fallbackDestination"] = {
        **stored["fallbackDestination"],
        "numberE164CheckEnabled": True,
    }  # a default
    stored["unrelatedNewField"] = 1
    result = provider.read(id_, {**PROVIDER, **outs})
    assert result.id == id_
    assert result.inputs["allowRelease"] is True and result.inputs["autonamePrefix"] == "support"
    assert result.outs["status"] == "active"
    checked = provider.check(result.inputs, {**PROVIDER, **news}).inputs
    changed = [k for k in checked if checked.get(k) != result.outs.get(k)]
    assert changed == ["assistantId"]
    assert provider.diff(id_, result.outs, checked).changes is True


def test_provider_read_after_no_drift_shows_no_diff(fake, provider):
    news = {
        "name": "n",
        "numberDesiredAreaCode": "415",
        "hooks": [{"on": "call.ending", "do": {"type": "say", "exact": "x"}}],
    }
    id_, inputs, outs = _state(provider, fake, news)
    result = provider.read(id_, outs)
    assert provider.diff(id_, result.outs, _checked(provider, news, result.inputs)).changes is False


def test_provider_read_keeps_secrets_vapi_masks_or_omits(fake, provider):
    news = {
        "name": "n",
        "sipUri": "sip:n@sip.vapi.ai",
        "authentication": {"username": "u" * 24, "password": "p" * 24},
        "server": {"url": "https://example.com/h", "headers": {"X-Token": "header-secret"}},
    }
    id_, inputs, outs = _state(provider, fake, news)
    fake.numbers[id_]["authentication"] = {"username": "u" * 24, "password": "**********"}
    fake.numbers[id_]["server"] = {"url": "https://example.com/h"}
    result = provider.read(id_, outs)
    assert _opened(result.inputs)["authentication"]["password"] == "p" * 24
    assert _opened(result.inputs)["server"]["headers"] == {"X-Token": "header-secret"}


# --- delete ------------------------------------------------------------------------------------------


def test_provider_delete_and_delete_again(fake, provider):
    id_, _inputs, outs = _state(provider, fake, {"name": "n", "sipUri": "sip:n@sip.vapi.ai"})
    provider.delete(id_, outs)
    assert id_ not in fake.numbers
    provider.delete(id_, outs)  # 404: already gone
    assert [c[0] for c in fake.calls("DELETE")] == ["DELETE", "DELETE"]


def test_provider_uses_the_configured_key_and_url(fake):
    provider = make_provider(fake)
    provider.read("x", {})
    assert fake.requests[0][1] == "/phone-number/x"
    assert API_KEY and BASE_URL


def test_provider_configure_reads_max_retries_and_refuses_nonsense(monkeypatch):
    provider = VapiPhoneNumberProvider()
    provider.configure(ConfigureRequest(Config({"vapi:apiKey": "k", "vapi:maxRetries": "7"}, "p")))
    assert provider._current_settings(need_key=True).max_retries == 7
    monkeypatch.setenv("VAPI_MAX_RETRIES", "2")
    provider.configure(ConfigureRequest(Config({"vapi:apiKey": "k"}, "p")))
    assert provider._current_settings(need_key=True).max_retries == 2
    for bad in ("many", "-1", "99"):
        with pytest.raises(VapiConfigError, match="vapi:maxRetries"):
            provider.configure(ConfigureRequest(Config({"vapi:apiKey": "k", "vapi:maxRetries": bad}, "p")))
