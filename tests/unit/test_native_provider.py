"""The native provider's async methods, called directly, against the emulator over a loopback socket:
config, check (bad input names the field, autonames stable whatever seed the engine draws), detailed diff,
the lifecycle of every kind, import-read and secrets."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterator, Mapping
from typing import Any, TypeVar

import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    ConfigureRequest,
    CreateRequest,
    DeleteRequest,
    DiffRequest,
    PropertyDiffKind,
    ReadRequest,
    UpdateRequest,
)

import vapi_emulator
from vapi_provider.errors import DuplicateNumberError, VapiConfigError, VapiError
from vapi_provider.native.convert import from_plain, from_plain_map, to_plain_map
from vapi_provider.native.provider import CREDENTIAL_MARK, VapiProvider

_T = TypeVar("_T")

TOKEN = "twilio-auth-token-native-0123456789"
CREDENTIAL = "11111111-2222-4333-8444-555555555555"
SEED = bytes(range(32))

KINDS: dict[str, dict[str, Any]] = {
    "PhoneNumber": {"numberDesiredAreaCode": "415"},
    "TwilioPhoneNumber": {
        "number": "+14155550101",
        "twilioAccountSid": "AC" + "1" * 32,
        "twilioAuthToken": TOKEN,
    },
    "VonagePhoneNumber": {"number": "+14155550102", "credentialId": CREDENTIAL},
    "TelnyxPhoneNumber": {"number": "+14155550103", "credentialId": CREDENTIAL},
    "ByoPhoneNumber": {"number": "+14155550104", "credentialId": CREDENTIAL},
}


def run(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run one provider call on a loop of its own. (Not `asyncio.run`: that clears the main thread's
    event loop, which the Pulumi SDK's resource code in other unit tests then fails to find.)"""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def urn(kind: str = "PhoneNumber", name: str = "line") -> str:
    return f"urn:pulumi:dev::proj::vapi:index:{kind}::{name}"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Any]:
    handle = vapi_emulator.serve_in_thread(vapi_emulator.EmulatorConfig(activation_delay_seconds=0.05))
    yield handle
    handle.stop()


@pytest.fixture(autouse=True)
def fresh(emulator: Any) -> None:
    emulator.reset()
    emulator.configure(mask_secrets=False, list_lag_seconds=0)


def configured(emulator: Any, **args: Any) -> VapiProvider:
    provider = VapiProvider()
    values = {"apiKey": vapi_emulator.DEMO_API_KEY, "baseUrl": emulator.url, "pollIntervalSeconds": 0.02}
    values.update(args)
    config = {k: from_plain(v, secret=k == "apiKey") for k, v in values.items() if v is not None}
    run(provider.configure(ConfigureRequest({}, config, True, False)))
    return provider


@pytest.fixture
def provider(emulator: Any) -> Iterator[VapiProvider]:
    made = configured(emulator)
    yield made
    made.close()


def props(values: Mapping[str, Any]) -> dict[str, PropertyValue]:
    return from_plain_map(values)


def plain(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """Plain values with the secrets opened."""
    opened: dict[str, Any] = _open(to_plain_map(values))
    return opened


def _open(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"4dabf18193072939515e22adb298388d", "value"}:
        return _open(value["value"])
    if isinstance(value, dict):
        return {k: _open(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_open(v) for v in value]
    return value


def check(
    provider: VapiProvider,
    news: Mapping[str, Any],
    olds: Mapping[str, Any] | None = None,
    kind: str = "PhoneNumber",
    seed: bytes = SEED,
    name: str = "line",
) -> dict[str, PropertyValue]:
    response = run(provider.check(CheckRequest(urn(kind, name), props(olds or {}), props(news), seed)))
    assert not response.failures, [(f.property, f.reason) for f in response.failures]
    assert response.inputs is not None
    return response.inputs


def create(provider: VapiProvider, inputs: dict[str, PropertyValue], kind: str = "PhoneNumber") -> Any:
    return run(provider.create(CreateRequest(urn(kind), inputs, 60, False)))


# --- config -------------------------------------------------------------------------------------------


def test_check_config_accepts_no_key_and_marks_the_key_secret(provider: VapiProvider) -> None:
    empty = run(provider.check_config(CheckRequest("urn:p", {}, {}, b"")))
    assert empty.failures == []
    given = run(
        provider.check_config(CheckRequest("urn:p", {}, props({"apiKey": "k", "baseUrl": "http://x"}), b""))
    )
    assert given.failures == []
    assert given.inputs is not None
    assert given.inputs["apiKey"].is_secret
    assert not given.inputs["baseUrl"].is_secret


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("maxRetries", "many", "vapi:maxRetries / VAPI_MAX_RETRIES must be a whole number"),
        ("maxRetries", 99.0, "between 0 and 20"),
        ("baseUrl", "api.vapi.ai", "must be an http(s) URL"),
        ("pollIntervalSeconds", -1.0, "must not be negative"),
        ("apiKee", "x", "vapi:apiKee is not a setting of the vapi provider"),
    ],
)
def test_check_config_names_the_bad_key(provider: VapiProvider, key: str, value: Any, says: str) -> None:
    response = run(provider.check_config(CheckRequest("urn:p", {}, props({key: value}), b"")))
    assert response.failures is not None
    [failure] = response.failures
    assert failure.property == key
    assert says in failure.reason


def test_no_key_fails_the_first_api_call_with_the_fix(emulator: Any) -> None:
    provider = configured(emulator, apiKey=None)
    inputs = check(provider, {"numberDesiredAreaCode": "415"})  # check needs no key
    with pytest.raises(VapiConfigError, match="pulumi config set --secret vapi:apiKey"):
        create(provider, inputs)
    provider.close()


def test_env_fallback_and_config_variables(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAPI_API_KEY", vapi_emulator.DEMO_API_KEY)
    provider = VapiProvider()
    variables = {"vapi:config:baseUrl": emulator.url}
    run(provider.configure(ConfigureRequest(variables, {}, True, False)))
    created = create(provider, check(provider, {"numberDesiredAreaCode": "415"}))
    assert created.resource_id == emulator.numbers()[0]["id"]
    provider.close()


def test_unknown_settings_in_a_preview_are_as_if_not_set(emulator: Any) -> None:
    provider = VapiProvider()
    args = {"apiKey": PropertyValue.computed(), "baseUrl": PropertyValue.computed()}
    run(provider.configure(ConfigureRequest({}, args, True, False)))
    checked = run(provider.check_config(CheckRequest("urn:p", {}, args, b"")))
    assert checked.failures == []
    check(provider, {"numberDesiredAreaCode": "415"})  # check and diff need no settings
    provider.close()


def test_schema_is_served(provider: VapiProvider) -> None:
    from pulumi.provider.experimental.provider import GetSchemaRequest

    response = run(provider.get_schema(GetSchemaRequest(0)))
    assert response.schema is not None
    assert '"vapi:index:PhoneNumber"' in response.schema


# --- check --------------------------------------------------------------------------------------------


def test_check_names_the_bad_field(provider: VapiProvider) -> None:
    bad = {"numberDesiredAreaCode": "41", "assistantId": "a"}
    response = run(provider.check(CheckRequest(urn(), {}, props(bad), SEED)))
    assert response.failures
    assert {f.property for f in response.failures} == {"numberDesiredAreaCode"}
    unknown = run(
        provider.check(CheckRequest(urn(), {}, props({"numberDesiredAreaCode": "415", "nme": "x"}), SEED))
    )
    assert unknown.failures
    assert "nme is not an input of vapi:index:PhoneNumber" in unknown.failures[0].reason


def test_a_failure_next_to_a_plain_secret_names_no_property_the_engine_would_print(
    provider: VapiProvider,
) -> None:
    """The engine prints a failed property's whole input value, masking only values marked secret; a
    program may pass a SIP password plain (raw tokens, YAML). The failure names the field in its reason."""
    password = "plain-sip-password-000000001"
    news = {
        "sipUri": "sip:fail-line@sip.vapi.ai",
        "authentication": {"username": "short", "password": password},
    }
    response = run(provider.check(CheckRequest(urn(), {}, props(news), SEED)))
    [failure] = response.failures or []
    assert failure.property == ""
    assert failure.reason.startswith("authentication.username must be at least 20 characters"), failure.reason
    assert password not in failure.reason
    # A property without secrets is still named (the engine shows its value).
    response = run(provider.check(CheckRequest(urn(), {}, props({"numberDesiredAreaCode": "41"}), SEED)))
    assert [f.property for f in response.failures or []] == ["numberDesiredAreaCode"]


def test_autoname_is_the_same_whatever_seed_the_engine_draws(provider: VapiProvider) -> None:
    # The engine draws a new random seed per run (preview, then up): the name must not follow it.
    first = plain(check(provider, {"numberDesiredAreaCode": "415"}))
    other_run = plain(check(provider, {"numberDesiredAreaCode": "415"}, seed=bytes(32)))
    assert first["name"] == other_run["name"]
    assert first["name"].startswith("line-")
    # Another stack, project or resource name gets another name.
    prod = "urn:pulumi:prod::proj::vapi:index:PhoneNumber::line"
    request = CheckRequest(prod, {}, props({"numberDesiredAreaCode": "415"}), SEED)
    other_stack = plain(run(provider.check(request)).inputs or {})
    assert other_stack["name"] != first["name"] and other_stack["name"].startswith("line-")
    # A recorded seed is kept (a state written by an earlier version, or a migrated one).
    kept = plain(check(provider, {"numberDesiredAreaCode": "415"}, olds={**first, "autonameSeed": "x/y/z"}))
    assert kept["autonameSeed"] == "x/y/z"


def test_a_replacement_gets_a_fresh_autoname_also_in_the_engines_second_check(
    provider: VapiProvider,
) -> None:
    # Deciding to replace, the engine checks the inputs again without the old ones
    # (pkg/resource/deploy/step_generator.go); the new number must still not get the old one's name.
    old = plain(check(provider, {"numberDesiredAreaCode": "415"}))
    news = {"numberDesiredAreaCode": "646", "allowRelease": True}
    first = plain(check(provider, news, olds=old))
    second = plain(check(provider, news))
    assert first["name"] != old["name"] and first["name"].startswith("line-")
    assert second["name"] == first["name"]  # what preview shows is what up buys, run after run
    assert plain(check(provider, news, olds=old))["name"] == first["name"]
    # Another resource's first check is not taken for a replacement.
    fresh = run(provider.check(CheckRequest(urn(name="other"), {}, props(news), SEED)))
    assert plain(fresh.inputs or {})["name"].startswith("other-")


def test_creates_of_two_resources_with_one_name_buy_one_number(provider: VapiProvider, emulator: Any) -> None:
    inputs = {"name": "Shared Name", "numberDesiredAreaCode": "415"}
    first = check(provider, inputs, name="first")
    second = check(provider, inputs, name="second")
    made = run(provider.create(CreateRequest(urn(name="first"), first, 60, False)))
    emulator.reset_metrics()
    with pytest.raises(DuplicateNumberError) as err:
        run(provider.create(CreateRequest(urn(name="second"), second, 60, False)))
    assert "PhoneNumber 'second' has the same name as PhoneNumber 'first' ('Shared Name')" in str(err.value)
    assert emulator.metrics()["total"] == 0
    assert [n["id"] for n in emulator.numbers()] == [made.resource_id]
    # The same resource again (a retry, or a replacement's new number) is not a duplicate.
    again = run(provider.create(CreateRequest(urn(name="first"), first, 60, False)))
    assert again.resource_id != made.resource_id


def test_check_keeps_secrets_secret(provider: VapiProvider) -> None:
    inputs = check(
        provider,
        {
            "sipUri": "sip:native-line-unit@sip.vapi.ai",
            "authentication": {"username": "u" * 20, "password": "p" * 24},
            "server": {"url": "https://hooks.example.com/v", "headers": {"X-Token": "hdr-secret"}},
            "assistantId": from_plain("asst-1", secret=True),
        },
    )
    auth = inputs["authentication"].value
    assert isinstance(auth, Mapping)
    assert auth["password"].is_secret and not auth["username"].is_secret
    server = inputs["server"].value
    assert isinstance(server, Mapping)
    headers = server["headers"].value
    assert isinstance(headers, Mapping)
    assert headers["X-Token"].is_secret and not server["url"].is_secret
    assert inputs["assistantId"].is_secret  # the program's own secret mark is kept


# --- diff ---------------------------------------------------------------------------------------------


def diff(provider: VapiProvider, olds: Mapping[str, Any], news: Mapping[str, Any], id_: str = "pn-1") -> Any:
    return run(provider.diff(DiffRequest(urn(), id_, props(olds), props(news), [])))


def test_detailed_diff_inside_secret_bearing_objects(provider: VapiProvider) -> None:
    base = {"name": "n", "sipUri": "sip:a@sip.vapi.ai", "status": "active"}
    old = {**base, "server": {"url": "https://a.example.com", "headers": {"X-Token": "one", "X-Old": "o"}}}
    new = {
        **base,
        "server": {"url": "https://b.example.com", "headers": {"X-Token": "two", "X-New": "n"}},
        "assistantId": "asst-2",
    }
    response = diff(provider, old, new)
    kinds = {k: v.kind for k, v in response.detailed_diff.items()}
    assert kinds == {
        "server.url": PropertyDiffKind.UPDATE,
        'server.headers["X-Token"]': PropertyDiffKind.UPDATE,
        'server.headers["X-Old"]': PropertyDiffKind.DELETE,
        'server.headers["X-New"]': PropertyDiffKind.ADD,
        "assistantId": PropertyDiffKind.ADD,
    }
    assert response.changes is True
    assert response.replaces == []
    assert sorted(response.diffs) == ["assistantId", "server"]


def test_detailed_diff_marks_replacements(provider: VapiProvider) -> None:
    old = {"name": "n", "numberDesiredAreaCode": "415", "number": "+14155550000", "status": "active"}
    new = {"name": "n", "numberDesiredAreaCode": "212", "allowRelease": True}
    response = diff(provider, old, new)
    assert response.replaces == ["numberDesiredAreaCode"]
    assert response.detailed_diff["numberDesiredAreaCode"].kind == PropertyDiffKind.UPDATE_REPLACE
    assert response.detailed_diff["allowRelease"].kind == PropertyDiffKind.ADD
    twilio_old = {**KINDS["TwilioPhoneNumber"], "name": "n"}
    twilio_new = {**twilio_old, "twilioAccountSid": "AC" + "2" * 32}
    twilio = run(
        provider.diff(DiffRequest(urn("TwilioPhoneNumber"), "pn-2", props(twilio_old), props(twilio_new), []))
    )
    assert twilio.detailed_diff["twilioAccountSid"].kind == PropertyDiffKind.UPDATE_REPLACE
    assert twilio.delete_before_replace is True


def test_no_change_is_no_diff(provider: VapiProvider) -> None:
    state = {
        "name": "n",
        "numberDesiredAreaCode": "415",
        "server": {"url": "https://a", "timeoutSeconds": 20},
    }
    response = diff(provider, state, {**state, "server": {"url": "https://a", "timeoutSeconds": 20.0}})
    assert response.changes is False
    assert response.detailed_diff == {}


# --- lifecycle ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_lifecycle_of_each_kind(provider: VapiProvider, emulator: Any, kind: str) -> None:
    inputs = check(provider, {**KINDS[kind], "assistantId": "asst-1"}, kind=kind)
    created = create(provider, inputs, kind)
    [stored] = emulator.numbers()
    assert created.resource_id == stored["id"]
    assert stored["assistantId"] == "asst-1"
    outs = plain(created.properties)
    assert outs["name"] == stored["name"]
    if kind == "TwilioPhoneNumber":
        assert created.properties["twilioAuthToken"].is_secret

    news = check(provider, {**KINDS[kind], "assistantId": "asst-2"}, olds=plain(inputs), kind=kind)
    delta = run(provider.diff(DiffRequest(urn(kind), created.resource_id, created.properties, news, [])))
    assert delta.changes is True
    assert delta.detailed_diff["assistantId"].kind == PropertyDiffKind.UPDATE
    updated = run(
        provider.update(
            UpdateRequest(urn(kind), created.resource_id, created.properties, news, 60, [], False)
        )
    )
    assert plain(updated.properties)["assistantId"] == "asst-2"
    assert emulator.numbers()[0]["assistantId"] == "asst-2"

    emulator.state.numbers()  # an out-of-band change, then refresh shows it
    read = run(provider.read(ReadRequest(urn(kind), created.resource_id, updated.properties, news)))
    assert read.resource_id == created.resource_id
    assert plain(read.inputs)["assistantId"] == "asst-2"

    run(provider.delete(DeleteRequest(urn(kind), created.resource_id, updated.properties, 60)))
    assert emulator.numbers() == []
    gone = run(provider.read(ReadRequest(urn(kind), created.resource_id, updated.properties, news)))
    assert gone.resource_id == ""


def test_import_read_then_matching_declaration_is_no_change(provider: VapiProvider, emulator: Any) -> None:
    made = configured(emulator)
    existing = create(made, check(made, {"numberDesiredAreaCode": "212", "assistantId": "asst-9"}))
    made.close()
    before = emulator.numbers()
    imported = run(provider.read(ReadRequest(urn(name="adopted"), existing.resource_id, {}, {})))
    assert imported.resource_id == existing.resource_id
    inputs = plain(imported.inputs)
    assert inputs["numberDesiredAreaCode"] == "212"
    assert inputs["assistantId"] == "asst-9"
    assert "number" not in inputs and "status" not in inputs  # outputs are not inputs
    declared = {"name": inputs["name"], "numberDesiredAreaCode": "212", "assistantId": "asst-9"}
    news = check(provider, declared, olds=inputs)
    delta = run(
        provider.diff(DiffRequest(urn(name="adopted"), existing.resource_id, imported.properties, news, []))
    )
    assert delta.changes is False, delta.detailed_diff
    assert emulator.numbers() == before  # nothing was sent to Vapi


@pytest.mark.parametrize("status", [401, 403])
def test_an_error_on_the_activation_poll_is_named_and_no_timeout_is_claimed(
    provider: VapiProvider, emulator: Any, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    caplog.set_level(logging.WARNING, logger="vapi_provider")
    emulator.fail_on("GET /phone-number/{id}", status)
    made = create(provider, check(provider, {"numberDesiredAreaCode": "415"}))
    assert plain(made.properties)["status"] == "activating"
    assert [n["id"] for n in emulator.numbers()] == [made.resource_id]
    [warning] = [r.getMessage() for r in caplog.records]
    assert f"polling phone number {made.resource_id} stopped" in warning
    assert f"failed with {status}" in warning and "pulumi refresh" in warning
    assert "still activating" not in warning and "300" not in warning
    assert vapi_emulator.DEMO_API_KEY not in caplog.text


def test_two_providers_keep_their_orgs_apart() -> None:
    keys = {"key-us-0000000000": "org-us", "key-eu-0000000000": "org-eu"}
    with vapi_emulator.serve_in_thread(
        vapi_emulator.EmulatorConfig(api_keys=keys, activation_delay_seconds=0.02)
    ) as emulator:
        us = configured(emulator, apiKey="key-us-0000000000")
        eu = configured(emulator, apiKey="key-eu-0000000000")
        one = create(us, check(us, {"numberDesiredAreaCode": "415"}))
        two = create(eu, check(eu, {"numberDesiredAreaCode": "415"}))
        assert [n["id"] for n in emulator.numbers("org-us")] == [one.resource_id]
        assert [n["id"] for n in emulator.numbers("org-eu")] == [two.resource_id]
        # Each provider sees only its own org's numbers (an import of the other org's id finds nothing).
        assert run(us.read(ReadRequest(urn(), two.resource_id, {}, {}))).resource_id == ""
        us.close()
        eu.close()


@pytest.mark.parametrize("change", ["apiKey", "baseUrl"])
def test_a_provider_moved_to_another_org_never_drops_or_orphans_its_numbers(change: str) -> None:
    """The provider's key (another org) or base URL (another region) changes between runs: Vapi answers
    404 for the old org's numbers, just as for released ones. Refresh and destroy must refuse, naming the
    fix, not drop the numbers from state while they stay bought in the old org."""
    keys = {"key-old-000000000": "org-old", "key-new-000000000": "org-new"}
    config = vapi_emulator.EmulatorConfig(api_keys=keys, activation_delay_seconds=0.02)
    with vapi_emulator.serve_in_thread(config) as old_org, vapi_emulator.serve_in_thread(config) as new_org:
        before = configured(old_org, apiKey="key-old-000000000")
        inputs = check(before, {"numberDesiredAreaCode": "415"})
        made = create(before, inputs)
        # A plain output: an HMAC keyed by the API key, which it does not reveal (and no secret costs).
        assert not made.properties[CREDENTIAL_MARK].is_secret
        assert "key-old-000000000" not in repr(made.properties[CREDENTIAL_MARK])
        after = configured(
            new_org if change == "baseUrl" else old_org,
            apiKey="key-new-000000000" if change == "apiKey" else "key-old-000000000",
        )
        with pytest.raises(VapiError, match=r"another vapi:apiKey or vapi:baseUrl.*pulumi state delete"):
            run(after.read(ReadRequest(urn(), made.resource_id, made.properties, {})))
        news = check(after, {"numberDesiredAreaCode": "415", "assistantId": "asst-2"}, olds=plain(inputs))
        with pytest.raises(VapiError, match=r"update stops here"):
            run(after.update(UpdateRequest(urn(), made.resource_id, made.properties, news, 60, [], False)))
        with pytest.raises(VapiError, match=r"delete stops here"):
            run(after.delete(DeleteRequest(urn(), made.resource_id, made.properties, 60)))
        assert [n["id"] for n in old_org.numbers("org-old")] == [made.resource_id]

        # A number really released with the settings that made it still leaves the state.
        run(before.delete(DeleteRequest(urn(), made.resource_id, made.properties, 60)))
        assert run(before.read(ReadRequest(urn(), made.resource_id, made.properties, {}))).resource_id == ""
        before.close()
        after.close()


def test_a_key_rotated_within_the_org_is_recorded_by_the_next_refresh() -> None:
    keys = {"key-one-000000000": "org-1", "key-two-000000000": "org-1"}
    with vapi_emulator.serve_in_thread(
        vapi_emulator.EmulatorConfig(api_keys=keys, activation_delay_seconds=0.02)
    ) as emulator:
        _rotate(emulator)


def _rotate(emulator: Any) -> None:
    one = configured(emulator, apiKey="key-one-000000000")
    made = create(one, check(one, {"numberDesiredAreaCode": "415"}))
    two = configured(emulator, apiKey="key-two-000000000")
    read = run(two.read(ReadRequest(urn(), made.resource_id, made.properties, {})))
    assert read.resource_id == made.resource_id
    assert plain(read.properties)[CREDENTIAL_MARK] != plain(made.properties)[CREDENTIAL_MARK]
    assert CREDENTIAL_MARK not in read.inputs
    run(two.delete(DeleteRequest(urn(), made.resource_id, read.properties, 60)))
    # Released: the new key's mark lets the number leave the state.
    assert run(two.read(ReadRequest(urn(), made.resource_id, read.properties, {}))).resource_id == ""
    one.close()
    two.close()


def test_many_creates_run_at_once(emulator: Any) -> None:
    emulator.configure(latency_seconds=0.3)
    provider = configured(emulator)

    checked = [
        check(
            provider,
            {"sipUri": f"sip:native-par-{i:02d}-line@sip.vapi.ai"},
            seed=bytes([i]) * 32,
            name=f"n{i}",
        )
        for i in range(16)
    ]

    async def many() -> list[Any]:
        requests = [
            provider.create(CreateRequest(urn(name=f"n{i}"), inputs, 60, False))
            for i, inputs in enumerate(checked)
        ]
        return await asyncio.gather(*requests)

    loop = asyncio.new_event_loop()
    started = loop.time()
    created = loop.run_until_complete(many())
    elapsed = loop.time() - started
    loop.close()
    assert len({c.resource_id for c in created}) == 16
    # 16 creates at 0.3 s of latency each (a POST, plus a list for a named create): far under 16 x 0.3 s.
    assert elapsed < 3.0, elapsed
    emulator.configure(latency_seconds=0.0)
    provider.close()


def test_import_of_a_twilio_number_records_its_token_as_a_secret(
    provider: VapiProvider, emulator: Any
) -> None:
    made = configured(emulator)
    kind = "TwilioPhoneNumber"
    existing = create(made, check(made, KINDS[kind], kind=kind), kind)
    made.close()
    imported = run(provider.read(ReadRequest(urn(kind), existing.resource_id, {}, {})))
    assert imported.inputs["twilioAuthToken"].is_secret
    assert plain(imported.inputs)["twilioAuthToken"] == TOKEN
    assert imported.properties["twilioAuthToken"].is_secret
    declared = {**KINDS[kind], "name": plain(imported.inputs)["name"]}
    news = check(provider, declared, olds=plain(imported.inputs), kind=kind)
    delta = run(provider.diff(DiffRequest(urn(kind), existing.resource_id, imported.properties, news, [])))
    assert delta.changes is False, delta.detailed_diff


def test_our_errors_reach_the_engine_as_their_message() -> None:
    from vapi_provider.errors import ReleaseRefusedError
    from vapi_provider.native.server import _ours

    try:
        try:
            raise ReleaseRefusedError("Refusing to replace phone number pn-1")
        except ReleaseRefusedError as inner:
            raise RuntimeError(f"{inner}:\n  File ...")  # noqa: B904 - what the SDK's wrapper does
    except RuntimeError as outer:
        chained = _ours(outer)
    assert isinstance(chained, ReleaseRefusedError)
    assert str(chained) == "Refusing to replace phone number pn-1"
