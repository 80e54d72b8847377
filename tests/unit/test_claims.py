"""Every create is sent under a claim name unique to its resource, and renamed once it can be recorded:
a number an interrupted create bought is found by it and taken, never bought again (`naming.claim_name`)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from vapi_fakes import FakeVapi

from vapi_provider.client import format_time
from vapi_provider.errors import AmbiguousMatchError
from vapi_provider.in_doubt import CLAIM_KEY, is_in_doubt
from vapi_provider.naming import claim_name, is_autoname
from vapi_provider.properties import PHONE_NUMBER, TWILIO_PHONE_NUMBER
from vapi_provider.secrets import is_sealed

PROVIDER = {"__provider": "serialized"}
SEED = "org/proj/dev/support"


def _opened(value):
    if is_sealed(value):
        return value["value"]
    if isinstance(value, dict):
        return {k: _opened(v) for k, v in value.items()}
    return value


def _create(provider, news):
    checked = provider.check({}, {**PROVIDER, "autonameSeed": SEED, **news})
    assert checked.failures == []
    inputs = _opened(checked.inputs)
    return inputs, provider.create({**PROVIDER, **inputs})


def test_claim_names_are_unique_per_resource_and_generation_and_never_the_final_name():
    named = {"name": "Support", "autonameSeed": SEED, "numberDesiredAreaCode": "415"}
    claim = claim_name(named, PHONE_NUMBER.replace_keys)
    assert claim is not None and claim != "Support" and is_autoname(claim, "support")
    assert claim_name(named, PHONE_NUMBER.replace_keys) == claim  # the same on every run
    assert claim_name({**named, "numberDesiredAreaCode": "646"}, PHONE_NUMBER.replace_keys) != claim
    assert claim_name({**named, "autonameSeed": "org/proj/prod/support"}, PHONE_NUMBER.replace_keys) != claim
    auto = {"name": "support-abcdefg", "autonamePrefix": "support", "autonameSeed": SEED}
    assert claim_name(auto, PHONE_NUMBER.replace_keys) not in (None, "support-abcdefg")
    # Seedless (declared before seeds existed): an autoname is its own claim, an explicit name has none.
    assert claim_name({"name": "support-abcdefg", "autonamePrefix": "support"}, ()) == "support-abcdefg"
    assert claim_name({"name": "Support"}, ()) is None
    twilio = {"name": "T", "autonameSeed": SEED, "number": "+14155550100", "twilioAccountSid": "AC1"}
    assert claim_name(twilio, TWILIO_PHONE_NUMBER.replace_keys) != claim_name(
        {**twilio, "number": "+14155550101"}, TWILIO_PHONE_NUMBER.replace_keys
    )


@pytest.mark.parametrize(
    "news", [{"name": "Support line"}, {"autonamePrefix": "support"}], ids=["named", "auto"]
)
def test_a_create_posts_the_claim_then_renames_to_the_declared_name(fake: FakeVapi, provider, news):
    inputs, result = _create(provider, {**news, "sipUri": "sip:claims@sip.vapi.ai"})
    claim = claim_name(inputs, PHONE_NUMBER.replace_keys)
    (post,) = fake.calls("POST")
    assert post[2]["name"] == claim != inputs["name"]
    patches = fake.calls("PATCH")
    assert [{k: v for k, v in p[2].items() if k != "provider"} for p in patches] == [{"name": inputs["name"]}]
    assert fake.numbers[result.id]["name"] == inputs["name"] == _opened(result.outs)["name"]
    # One search for an earlier claim, and no list of the org.
    assert [c[1] for c in fake.calls("GET")] == ["/v2/phone-number"]


def test_a_number_left_by_an_interrupted_create_is_taken_not_bought_again(fake: FakeVapi, provider):
    news = {"name": "Support line", "sipUri": "sip:left@sip.vapi.ai", "assistantId": "a"}
    checked = _opened(provider.check({}, {**PROVIDER, "autonameSeed": SEED, **news}).inputs)
    claim = claim_name(checked, PHONE_NUMBER.replace_keys)
    left = fake.add(name=claim, sipUri="sip:left@sip.vapi.ai")  # the killed run's POST had committed
    result = provider.create({**PROVIDER, **checked})
    assert fake.calls("POST") == []
    assert result.id == left["id"] and list(fake.numbers) == [left["id"]]
    assert fake.numbers[left["id"]]["name"] == "Support line"
    assert fake.numbers[left["id"]]["assistantId"] == "a"


def test_a_retained_number_with_the_final_name_is_never_taken(fake: FakeVapi, provider):
    # A number an earlier incarnation of the stack kept (retainOnDelete) has the final name, not the claim.
    retained = fake.add(name="Support line", sipUri="sip:other@sip.vapi.ai")
    _inputs, result = _create(provider, {"name": "Support line", "sipUri": "sip:new@sip.vapi.ai"})
    assert result.id != retained["id"] and len(fake.calls("POST")) == 1


def test_two_numbers_with_the_claim_stop_with_their_ids(fake: FakeVapi, provider):
    news = {"name": "Support line", "sipUri": "sip:two@sip.vapi.ai"}
    checked = _opened(provider.check({}, {**PROVIDER, "autonameSeed": SEED, **news}).inputs)
    claim = claim_name(checked, PHONE_NUMBER.replace_keys)
    fake.add(name=claim)
    fake.add(name=claim)
    with pytest.raises(AmbiguousMatchError, match="claim name"):
        provider.create({**PROVIDER, **checked})
    assert fake.calls("POST") == []


def test_a_failed_rename_records_the_number_under_its_claim_and_the_next_diff_renames_it(fake, provider):
    handler = fake.handler

    def no_patch(request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            return httpx.Response(500, json={"message": "boom"})
        return handler(request)

    fake.handler = no_patch  # type: ignore[method-assign]
    inputs, result = _create(provider, {"name": "Support line", "sipUri": "sip:rename@sip.vapi.ai"})
    outs = _opened(result.outs)
    assert outs["name"] == fake.numbers[result.id]["name"] == claim_name(inputs, PHONE_NUMBER.replace_keys)
    fake.handler = handler  # type: ignore[method-assign]
    diff = provider.diff(result.id, outs, inputs)
    assert diff.changes and not diff.replaces
    provider.update(result.id, outs, inputs)
    assert fake.numbers[result.id]["name"] == "Support line"


def _real_clock(fake: FakeVapi) -> None:
    fake._now = lambda: format_time(datetime.now(UTC))  # type: ignore[method-assign]


def test_an_unknown_post_outcome_of_a_named_number_is_settled_by_its_claim(fake: FakeVapi, provider):
    _real_clock(fake)
    handler = fake.handler

    def dropped(request: httpx.Request) -> httpx.Response:
        response = handler(request)
        if request.method == "POST":
            raise httpx.RemoteProtocolError("dropped after the commit", request=request)
        return response

    fake.handler = dropped  # type: ignore[method-assign]
    _inputs, result = _create(provider, {"name": "Support line", "sipUri": "sip:dropped@sip.vapi.ai"})
    assert not is_in_doubt(result.id) and len(fake.numbers) == 1
    assert fake.numbers[result.id]["name"] == "Support line"


def test_an_in_doubt_named_create_records_its_claim_and_refresh_proves_it(fake: FakeVapi, provider):
    _real_clock(fake)
    handler = fake.handler
    state = {"lists": "fail"}

    def lagging(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/phone-number" and state["lists"] == "fail" and fake.calls("POST"):
            return httpx.Response(500, json={"message": "list down"})
        response = handler(request)
        if request.method == "POST":
            raise httpx.ReadTimeout("slow", request=request)
        return response

    fake.handler = lagging  # type: ignore[method-assign]
    inputs, result = _create(provider, {"name": "Support line", "sipUri": "sip:doubt@sip.vapi.ai"})
    outs = _opened(result.outs)
    assert is_in_doubt(result.id) and outs[CLAIM_KEY] == claim_name(inputs, PHONE_NUMBER.replace_keys)
    state["lists"] = "ok"
    fake.handler = handler  # type: ignore[method-assign]
    read = provider.read(result.id, outs)
    (bought,) = fake.numbers
    assert read.id == bought  # proven by the claim: no decision asked


def test_adopt_on_an_in_doubt_record_proven_by_its_claim_never_replaces_it(fake: FakeVapi, provider):
    # Replacing would delete the record first, and deleting a record proven by its claim releases the
    # very number `adopt` names. Refresh settles it instead (the update says so).
    outs = {"name": "Support line", "status": "in-doubt", CLAIM_KEY: "support-abcdefg", "autonameSeed": SEED}
    diff = provider.diff("in-doubt-0123456789abcdef", outs, {**outs, "adopt": "some-id"})
    assert diff.changes and not diff.replaces
