"""The imported kinds of number (Twilio, Vonage, Telnyx, BYO): each provider's check, diff, create, read
(masked secrets included), update, delete and adoption, against the in-process emulator over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pulumi
import pytest
from pulumi.dynamic import Config, ConfigureRequest

import vapi_emulator
from vapi_provider import (
    ByoPhoneNumber,
    TelnyxPhoneNumber,
    TwilioPhoneNumber,
    VonagePhoneNumber,
    VonagePhoneNumberArgs,
)
from vapi_provider._constants import PHONE_NUMBER_TYPES, TWILIO_PHONE_NUMBER_TYPE
from vapi_provider.errors import AdoptionError, NumberConfigError
from vapi_provider.provider import (
    PROVIDERS,
    ByoPhoneNumberProvider,
    PhoneNumberProviderBase,
    TelnyxPhoneNumberProvider,
    TwilioPhoneNumberProvider,
    VapiPhoneNumberProvider,
    VonagePhoneNumberProvider,
)
from vapi_provider.secrets import SECRET_SIG, SIG_KEY, is_sealed
from vapi_provider.stack_config import parse_number_entries

PROVIDER = {"__provider": "serialized"}
TOKEN = "twilio-auth-token-unit-0123456789"
CREDENTIAL = "11111111-2222-4333-8444-555555555555"
OTHER_CREDENTIAL = "11111111-2222-4333-8444-666666666666"

KINDS: dict[str, tuple[type[PhoneNumberProviderBase], dict[str, Any]]] = {
    "twilio": (
        TwilioPhoneNumberProvider,
        {"number": "+14155550101", "twilioAccountSid": "AC" + "1" * 32, "twilioAuthToken": TOKEN},
    ),
    "vonage": (VonagePhoneNumberProvider, {"number": "+14155550102", "credentialId": CREDENTIAL}),
    "telnyx": (TelnyxPhoneNumberProvider, {"number": "+14155550103", "credentialId": CREDENTIAL}),
    "byo-phone-number": (ByoPhoneNumberProvider, {"number": "+14155550104", "credentialId": CREDENTIAL}),
}
"""provider value -> (provider class, the kind's own inputs)."""

REPLACING_CHANGE = {
    "twilio": {"twilioAccountSid": "AC" + "2" * 32},
    "vonage": {"credentialId": OTHER_CREDENTIAL},
    "telnyx": {"credentialId": OTHER_CREDENTIAL},
    "byo-phone-number": {"credentialId": OTHER_CREDENTIAL},
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Any]:
    handle = vapi_emulator.serve_in_thread(vapi_emulator.EmulatorConfig(activation_delay_seconds=0.05))
    yield handle
    handle.stop()


_MADE: list[PhoneNumberProviderBase] = []


@pytest.fixture(autouse=True)
def fresh(emulator: Any) -> Iterator[None]:
    emulator.reset()
    emulator.configure(mask_secrets=False, list_lag_seconds=0)
    yield
    while _MADE:
        _MADE.pop().close()


def make(cls: type[PhoneNumberProviderBase], emulator: Any) -> PhoneNumberProviderBase:
    provider = cls()
    raw = {"vapi:apiKey": vapi_emulator.DEMO_API_KEY, "vapi:baseUrl": emulator.url}
    provider.configure(ConfigureRequest(Config(raw, "vapi-phone-numbers")))
    _MADE.append(provider)
    return provider


def unseal(value: Any) -> Any:
    if is_sealed(value):
        return unseal(value["value"])
    if isinstance(value, dict):
        return {k: unseal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unseal(v) for v in value]
    return value


def api(emulator: Any, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {vapi_emulator.DEMO_API_KEY}"}
    response = httpx.request(method, emulator.url + path, json=body, headers=headers)
    response.raise_for_status()
    return response.json()


def checked(
    provider: PhoneNumberProviderBase,
    news: dict[str, Any],
    olds: dict[str, Any] | None = None,
    seed: str = "o/p/s/line",
) -> Any:
    result = provider.check(olds or {}, {**PROVIDER, "autonamePrefix": "line", "autonameSeed": seed, **news})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return unseal(result.inputs)


@pytest.mark.parametrize("kind", list(KINDS))
def test_kind_lifecycle(kind: str, emulator: Any) -> None:
    cls, own = KINDS[kind]
    provider = make(cls, emulator)
    inputs = checked(provider, {**own, "assistantId": "asst-1"})
    assert inputs["name"].startswith("line-")
    created = provider.create({**PROVIDER, **inputs})
    outs = unseal(created.outs)
    stored = {n["id"]: n for n in emulator.numbers()}[created.id]
    assert stored["provider"] == kind and stored["status"] == "active" and outs["status"] == "active"
    for key, value in {**own, "assistantId": "asst-1"}.items():
        assert stored[key] == value and outs[key] == value, key
    assert outs["orgId"] == stored["orgId"]

    # no change: diff says so, no request needed
    again = checked(provider, {**own, "assistantId": "asst-1"}, olds=outs)
    assert provider.diff(created.id, created.outs, again).changes is False

    # in-place update
    news = checked(provider, {**own, "assistantId": "asst-2"}, olds=outs)
    diff = provider.diff(created.id, created.outs, news)
    assert diff.changes is True and diff.replaces == []
    updated = unseal(provider.update(created.id, created.outs, news).outs)
    assert updated["assistantId"] == "asst-2"
    assert {n["id"]: n for n in emulator.numbers()}[created.id]["assistantId"] == "asst-2"

    # a change of the account or credential replaces, deleting the old import first (same number)
    news = checked(provider, {**own, **REPLACING_CHANGE[kind], "assistantId": "asst-2"}, olds=updated)
    diff = provider.diff(created.id, updated, news)
    assert diff.replaces == list(REPLACING_CHANGE[kind]) and diff.delete_before_replace is True
    # a change of the number replaces too, and the old one can stay until the new one exists
    news = checked(provider, {**own, "number": "+14155550199", "assistantId": "asst-2"}, olds=updated)
    diff = provider.diff(created.id, updated, news)
    assert diff.replaces == ["number"] and diff.delete_before_replace is False

    # refresh sees drift made outside Pulumi
    api(emulator, "PATCH", f"/phone-number/{created.id}", {"assistantId": "asst-drift"})
    read = provider.read(created.id, updated)
    assert unseal(read.inputs)["assistantId"] == "asst-drift"
    assert set(unseal(read.inputs)) <= set(cls.TABLE.input_keys)

    # delete detaches the number from Vapi; a second delete finds it gone
    provider.delete(created.id, updated)
    assert created.id not in {n["id"] for n in emulator.numbers()}
    provider.delete(created.id, updated)
    assert provider.read(created.id, updated).id == ""


def test_twilio_secrets_are_sealed_and_masked_reads_keep_them(emulator: Any) -> None:
    provider = make(TwilioPhoneNumberProvider, emulator)
    own = KINDS["twilio"][1]
    result = provider.check({}, {**PROVIDER, "autonamePrefix": "tw", **own})
    assert result.inputs["twilioAuthToken"] == {SIG_KEY: SECRET_SIG, "value": TOKEN}
    created = provider.create({**PROVIDER, **unseal(result.inputs)})
    assert is_sealed(created.outs["twilioAuthToken"])
    assert TOKEN not in repr({k: v for k, v in created.outs.items() if k != "twilioAuthToken"})

    emulator.configure(mask_secrets=True)
    read = provider.read(created.id, unseal(created.outs))
    assert unseal(read.inputs)["twilioAuthToken"] == TOKEN, "a masked token is not drift"
    assert is_sealed(read.outs["twilioAuthToken"]) and is_sealed(read.inputs["twilioAuthToken"])

    # a token rotated through the provider is PATCHed (and sealed again)
    news = checked(provider, {**own, "twilioAuthToken": "rotated-token-0123456789"}, olds=unseal(read.outs))
    updated = provider.update(created.id, unseal(read.outs), news)
    assert unseal(updated.outs)["twilioAuthToken"] == "rotated-token-0123456789"
    emulator.configure(mask_secrets=False)
    assert {n["id"]: n for n in emulator.numbers()}[created.id][
        "twilioAuthToken"
    ] == "rotated-token-0123456789"


@pytest.mark.parametrize(
    ("news", "field", "words"),
    [
        ({"twilioAuthToken": None}, "twilioAuthToken", "twilioApiKey and twilioApiSecret"),
        ({"twilioAuthToken": None, "twilioApiKey": "SK" + "1" * 32}, "twilioApiSecret", "twilioApiKey"),
        ({"twilioAuthToken": None, "twilioApiSecret": "s" * 32}, "twilioApiKey", "twilioApiSecret"),
        ({"number": None}, "number", "number"),
        ({"sipUri": "sip:x@sip.vapi.ai"}, "sipUri", "VapiPhoneNumber"),
        ({"adopt": "sip:x@sip.vapi.ai"}, "adopt", "has no sipUri"),
    ],
)
def test_twilio_check_refuses_bad_credentials_before_any_request(
    emulator: Any, news: dict[str, Any], field: str, words: str
) -> None:
    emulator.reset_metrics()
    provider = make(TwilioPhoneNumberProvider, emulator)
    props = {k: v for k, v in {**KINDS["twilio"][1], **news}.items() if v is not None}
    failures = provider.check({}, {**PROVIDER, "autonamePrefix": "tw", **props}).failures
    assert [f.property for f in failures] == [field], [(f.property, f.reason) for f in failures]
    assert words in failures[0].reason
    assert emulator.metrics()["total"] == 0


def test_twilio_api_key_pair_is_enough(emulator: Any) -> None:
    provider = make(TwilioPhoneNumberProvider, emulator)
    own = {k: v for k, v in KINDS["twilio"][1].items() if k != "twilioAuthToken"}
    inputs = checked(provider, {**own, "twilioApiKey": "SK" + "1" * 32, "twilioApiSecret": "s" * 32})
    created = provider.create({**PROVIDER, **inputs})
    assert is_sealed(created.outs["twilioApiSecret"]) and not is_sealed(created.outs["twilioApiKey"])


def test_byo_number_check_follows_number_e164_check_enabled(emulator: Any) -> None:
    provider = make(ByoPhoneNumberProvider, emulator)
    failures = provider.check(
        {}, {**PROVIDER, "autonamePrefix": "b", "credentialId": CREDENTIAL, "number": "1001"}
    )
    assert [f.property for f in failures.failures] == ["number"]
    inputs = checked(
        provider, {"credentialId": CREDENTIAL, "number": "1001", "numberE164CheckEnabled": False}
    )
    created = provider.create({**PROVIDER, **inputs})
    assert unseal(created.outs)["number"] == "1001"
    # a new non-E.164 number is PATCHed with the flag that allows it
    outs = unseal(created.outs)
    news = checked(
        provider, {"credentialId": CREDENTIAL, "number": "1002", "numberE164CheckEnabled": False}, outs
    )
    updated = provider.update(created.id, outs, news)
    assert unseal(updated.outs)["number"] == "1002"
    # Vapi's default (true) filled in on a number that did not set it is not drift
    plain = checked(provider, {"credentialId": CREDENTIAL, "number": "+14155550177"})
    made = provider.create({**PROVIDER, **plain})
    assert "numberE164CheckEnabled" not in unseal(provider.read(made.id, unseal(made.outs)).inputs)


@pytest.mark.parametrize("kind", list(KINDS))
def test_kind_adopts_by_id_and_number_and_refuses_another_kind(kind: str, emulator: Any) -> None:
    cls, own = KINDS[kind]
    existing = api(emulator, "POST", "/phone-number", {"provider": kind, **own, "name": "imported"})
    provider = make(cls, emulator)
    for key in (existing["id"], own["number"]):
        inputs = checked(provider, {"adopt": key, "assistantId": "asst-adopt"})
        created = provider.create({**PROVIDER, **inputs})
        assert created.id == existing["id"]
        assert {n["id"]: n for n in emulator.numbers()}[existing["id"]]["assistantId"] == "asst-adopt"

    other_kind = next(k for k in KINDS if k != kind)
    other = make(KINDS[other_kind][0], emulator)
    with pytest.raises(AdoptionError) as err:
        other.create({**PROVIDER, **checked(other, {"adopt": existing["id"]}, seed="o/p/s/other")})
    assert f"declare it as a {cls.TABLE.resource}" in str(err.value)
    vapi = make(VapiPhoneNumberProvider, emulator)
    with pytest.raises(AdoptionError, match=cls.TABLE.resource):
        vapi.create({**PROVIDER, **checked(vapi, {"adopt": existing["id"]}, seed="o/p/s/vapi")})


def test_an_imported_create_in_doubt_is_recorded_and_resolved_by_refresh(emulator: Any) -> None:
    provider = make(VonagePhoneNumberProvider, emulator)
    provider._sleep = lambda _s: None
    inputs = checked(provider, KINDS["vonage"][1])
    emulator.fail_next("drop")
    emulator.configure(list_lag_seconds=30)
    created = provider.create({**PROVIDER, **inputs})
    assert created.id.startswith("in-doubt-") and created.outs["status"] == "in-doubt"
    emulator.configure(list_lag_seconds=0)
    read = provider.read(created.id, unseal(created.outs))
    stored = emulator.numbers()
    assert len(stored) == 1 and read.id == stored[0]["id"]
    assert unseal(read.outs)["number"] == KINDS["vonage"][1]["number"]


def test_every_kind_has_its_provider_class() -> None:
    assert set(PROVIDERS) == {"vapi", *KINDS}
    for provider_value, cls in PROVIDERS.items():
        assert cls.TABLE.provider == provider_value
        assert cls.__module__ == "vapi_provider.provider"


# --- the resources and the stack config, per kind ---------------------------------------------------


class EmulatorMocks(pulumi.runtime.Mocks):
    """Mocks whose new_resource runs the kind's real provider (by type token) against the emulator."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator
        self.seen: list[Any] = []

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        self.seen.append(args)
        kind = next(k for k, token in PHONE_NUMBER_TYPES.items() if token == args.typ)
        provider = make(PROVIDERS[kind], self.emulator)
        result = provider.check({}, unseal(dict(args.inputs)))
        assert result.failures == [], [f.reason for f in result.failures]
        created = provider.create(unseal(result.inputs))
        return created.id, unseal(created.outs)

    def call(self, args: Any) -> dict[str, Any]:
        return {}


@pytest.fixture
def mocks(emulator: Any) -> EmulatorMocks:
    mocks = EmulatorMocks(emulator)
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test
def test_twilio_resource_keyword_form_secret_token_and_snake_case_outputs(mocks: EmulatorMocks) -> Any:
    phone = TwilioPhoneNumber(
        "sales-line",
        number="+14155550101",
        twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token=TOKEN,
        assistant_id="asst-1",
    )

    def check(values: list[Any]) -> None:
        id_, number, sid, status, org_id, name = values
        (seen,) = mocks.seen
        assert seen.typ == TWILIO_PHONE_NUMBER_TYPE
        assert seen.inputs["twilioAuthToken"] == {SIG_KEY: SECRET_SIG, "value": TOKEN}
        assert seen.inputs["twilioAccountSid"] == "AC" + "1" * 32, "only the secrets are wrapped"
        stored = {n["id"]: n for n in mocks.emulator.numbers()}[id_]
        assert stored["provider"] == "twilio" and stored["twilioAuthToken"] == TOKEN
        assert (number, sid, status, org_id) == ("+14155550101", "AC" + "1" * 32, "active", stored["orgId"])
        assert name.startswith("sales-line-")

    return pulumi.Output.all(
        phone.id, phone.number, phone.twilio_account_sid, phone.status, phone.org_id, phone.name
    ).apply(check)


@pulumi.runtime.test
def test_vonage_resource_keeps_nested_keys_in_vapis_shape(mocks: EmulatorMocks) -> Any:
    phone = VonagePhoneNumber(
        "eu-line",
        VonagePhoneNumberArgs(
            number="+442071234567",
            credential_id=CREDENTIAL,
            assistant_id="a",
            server={"url": "https://example.com/h", "credentialId": "server-credential"},
        ),
    )

    def check(values: list[Any]) -> None:
        server, credential_id = values
        assert server == {"url": "https://example.com/h", "credentialId": "server-credential"}
        assert credential_id == CREDENTIAL

    return pulumi.Output.all(phone.server, phone.credential_id).apply(check)


def test_resource_refuses_another_kinds_args() -> None:
    with pytest.raises(TypeError, match="takes ByoPhoneNumberArgs, not VonagePhoneNumberArgs"):
        ByoPhoneNumber("x", VonagePhoneNumberArgs(number="+14155550101", credential_id=CREDENTIAL))
    with pytest.raises(TypeError, match="unknown fields sip_uri"):
        TelnyxPhoneNumber("x", sip_uri="sip:a@sip.vapi.ai")


def test_stack_config_entries_pick_their_kind_by_provider(emulator: Any) -> None:
    entries = parse_number_entries(
        {
            "support": {"numberDesiredAreaCode": "415", "assistantId": "a"},
            "sales": {"provider": "twilio", **KINDS["twilio"][1], "assistantId": "a"},
            "desk": {"provider": "byo-phone-number", "credentialId": CREDENTIAL, "number": "+14155550109"},
        }
    )
    assert {name: e.provider for name, e in entries.items()} == {
        "support": "vapi",
        "sales": "twilio",
        "desk": "byo-phone-number",
    }
    assert entries["sales"].args["twilio_auth_token"] == TOKEN
    assert entries["desk"].args == {"credential_id": CREDENTIAL, "number": "+14155550109"}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"a": {"provider": "plivo", "number": "+1"}}, "a.provider: must be one of vapi, twilio"),
        ({"a": {"provider": "vonage", "number": "+14155550101"}}, "credentialId"),
        (
            {"a": {"provider": "vonage", "sipUri": "sip:x@sip.vapi.ai"}},
            "a.sipUri: not a field of a VonagePhoneNumber",
        ),
        (
            {"a": {"provider": "twilio", "number": "+14155550101", "twilioAccountSid": "AC1"}},
            "twilioAuthToken is required",
        ),
        (
            {
                "a": {"provider": "vonage", "number": "+14155550101", "credentialId": "c"},
                "b": {"provider": "telnyx", "number": "+14155550101", "credentialId": "c"},
            },
            "b.number: the same number as a",
        ),
    ],
)
def test_stack_config_refuses_bad_entries_of_any_kind(raw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(NumberConfigError) as err:
        parse_number_entries(raw)
    assert fragment in str(err.value)


def test_stack_config_refuses_a_plaintext_twilio_token_without_showing_it() -> None:
    raw = {"sales": {"provider": "twilio", **KINDS["twilio"][1], "assistantId": "a"}}
    with pytest.raises(NumberConfigError) as err:
        parse_number_entries(raw, plaintext_secrets=True)
    assert "sales.twilioAuthToken: must be secret config" in str(err.value)
    assert "pulumi config set --secret --path" in str(err.value) and TOKEN not in str(err.value)


def test_duplicate_numbers_and_names_are_found_across_kinds() -> None:
    from vapi_provider.resource import _duplicates

    problems = _duplicates(
        [
            ("number", "+14155550101", "TwilioPhoneNumber 'a'"),
            ("number", "+14155550101", "VonagePhoneNumber 'b'"),
            ("name", "Main", "VapiPhoneNumber 'c'"),
            ("name", "Main", "VapiPhoneNumber 'd'"),
        ]
    )
    assert problems == [
        "VonagePhoneNumber 'b' declares the same number as TwilioPhoneNumber 'a' ('+14155550101'); "
        "each number needs its own number",
        "VapiPhoneNumber 'd' declares the same name as 'c' ('Main'); each number needs its own name",
    ]


def test_the_example_stack_of_imported_numbers_is_valid_once_its_secret_is_set() -> None:
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "stacks" / "Pulumi.imported.yaml"
    config = yaml.safe_load(path.read_text())["config"]
    numbers = config["vapi-phone-numbers:numbers"]
    assert "twilioAuthToken" not in numbers["sales-line"], "the token is set with --secret, never in the file"
    with pytest.raises(NumberConfigError, match="twilioAuthToken is required"):
        parse_number_entries(numbers)
    numbers["sales-line"]["twilioAuthToken"] = TOKEN  # what `pulumi config set --secret --path` adds
    entries = parse_number_entries(numbers)
    assert {e.provider for e in entries.values()} == {
        "vapi",
        "twilio",
        "vonage",
        "telnyx",
        "byo-phone-number",
    }
