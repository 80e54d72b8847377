"""`run_claims`: names and sipUris claimed in one run, and the providers' use of them."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from vapi_provider.errors import DuplicateNumberError
from vapi_provider.properties import PHONE_NUMBER, TWILIO_PHONE_NUMBER
from vapi_provider.run_claims import PROCESS_CLAIMS, Claim, RunClaims, claims_of, normalise
from vapi_provider.secrets import SECRET_SIG, SIG_KEY

A = "urn:pulumi:dev::proj::vapi:index:PhoneNumber::first"
B = "urn:pulumi:dev::proj::vapi:index:PhoneNumber::second"
DYNAMIC = "pulumi-python:dynamic/vapi:"


def name(value: str) -> list[Claim]:
    return claims_of(PHONE_NUMBER, {"name": value})


def test_normalise_is_the_one_rule_of_every_uniqueness_check() -> None:
    assert normalise("sipUri", " SIP:Desk@Sip.Vapi.ai ") == "sip:desk@sip.vapi.ai"
    assert normalise("number", " +14155550100 ") == "+14155550100"
    assert normalise("name", "Main Line ") == "Main Line "  # names: exactly as given
    assert normalise("name", "Main") != normalise("name", "main")


def test_claims_of_takes_name_sip_uri_and_an_imported_number() -> None:
    props = {"name": "Desk", "sipUri": "sip:Desk@sip.vapi.ai", "number": "+1", "assistantId": "a"}
    assert [(c.key, c.value) for c in claims_of(PHONE_NUMBER, props)] == [
        ("name", "Desk"),
        ("sipUri", "sip:desk@sip.vapi.ai"),
    ]  # a Vapi number's `number` is an output, never declared
    imported = claims_of(TWILIO_PHONE_NUMBER, {"name": "T", "number": "+14155550100"})
    assert [(c.key, c.value) for c in imported] == [("name", "T"), ("number", "+14155550100")]
    assert claims_of(PHONE_NUMBER, {"name": "", "sipUri": None}) == []


def test_claims_of_an_update_are_the_changed_values_only() -> None:
    old = {"name": "Desk", "sipUri": "sip:desk@sip.vapi.ai"}
    assert claims_of(PHONE_NUMBER, {"name": "Desk", "sipUri": "SIP:DESK@sip.vapi.ai"}, old) == []
    assert [c.key for c in claims_of(PHONE_NUMBER, {"name": "Front", "sipUri": old["sipUri"]}, old)] == [
        "name"
    ]


def test_a_second_resource_claiming_the_same_value_fails_naming_both_and_the_fix() -> None:
    claims = RunClaims()
    claims.claim(A, name("Shared Name"))
    with pytest.raises(DuplicateNumberError) as err:
        claims.claim(B, name("Shared Name"))
    message = str(err.value)
    assert "PhoneNumber 'second' has the same name as PhoneNumber 'first' ('Shared Name')" in message
    assert A in message
    assert "Nothing was sent to Vapi for PhoneNumber 'second'" in message
    assert "Give each number its own name" in message
    assert claims.holder("name", "Shared Name") == A


def test_a_sip_uri_clashes_case_insensitively() -> None:
    claims = RunClaims()
    claims.claim(A, claims_of(PHONE_NUMBER, {"sipUri": "sip:desk@sip.vapi.ai"}))
    with pytest.raises(DuplicateNumberError, match="same sipUri .* compared case-insensitively"):
        claims.claim(B, claims_of(PHONE_NUMBER, {"sipUri": "SIP:Desk@sip.vapi.ai"}))


def test_a_secret_value_is_never_shown() -> None:
    claims = RunClaims()
    sealed = {SIG_KEY: SECRET_SIG, "value": "Hidden Line"}
    claims.claim(A, claims_of(PHONE_NUMBER, {"name": sealed}))
    with pytest.raises(DuplicateNumberError) as err:
        claims.claim(B, claims_of(PHONE_NUMBER, {"name": sealed}))
    assert "Hidden Line" not in str(err.value) and "a secret value" in str(err.value)


def test_the_same_resource_may_claim_again() -> None:
    claims = RunClaims()
    assert claims.claim(A, name("Desk")) == name("Desk")
    assert claims.claim(A, name("Desk")) == []  # a retry, or a replacement's new number (same URN)


def test_a_claim_is_all_or_nothing() -> None:
    claims = RunClaims()
    claims.claim(A, name("Desk"))
    both = claims_of(PHONE_NUMBER, {"name": "Desk", "sipUri": "sip:b@sip.vapi.ai"})
    with pytest.raises(DuplicateNumberError):
        claims.claim(B, both)
    assert claims.holder("sipUri", "sip:b@sip.vapi.ai") is None


def test_a_failed_call_gives_back_what_it_claimed_and_a_resource_without_urn_claims_nothing() -> None:
    claims = RunClaims()
    claims.claim(A, name("Kept"))
    with pytest.raises(RuntimeError), claims.held(A, [*name("Kept"), *name("New")]):
        raise RuntimeError("create failed")
    assert claims.holder("name", "New") is None  # may be claimed again
    assert claims.holder("name", "Kept") == A  # claimed before this call: still held
    claims.claim(B, name("New"))
    assert claims.claim("", name("New")) == []


def test_concurrent_claims_of_one_value_let_exactly_one_resource_through() -> None:
    claims = RunClaims()
    won: list[str] = []
    start = threading.Barrier(16)

    def attempt(i: int) -> None:
        start.wait()
        try:
            claims.claim(f"urn:pulumi:dev::proj::vapi:index:PhoneNumber::n{i}", name("Shared"))
        except DuplicateNumberError:
            return
        won.append(str(i))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1


# --- the dynamic providers ------------------------------------------------------------------------------


def _seed(resource: str) -> dict[str, Any]:
    return {"autonamePrefix": resource, "autonameSeed": f"org/proj/dev/{resource}"}


def test_dynamic_create_of_a_duplicate_name_fails_before_any_api_call() -> None:
    from vapi_provider.provider import TwilioPhoneNumberProvider, VapiPhoneNumberProvider

    calls: list[str] = []

    class Recording(VapiPhoneNumberProvider):
        def _client(self) -> Any:
            calls.append("client")
            raise RuntimeError("no API in this test")

    first = {"name": "Shared Name", "sipUri": "sip:a@sip.vapi.ai", **_seed("first")}
    with pytest.raises(RuntimeError):
        Recording().create(first)
    assert calls == ["client"]
    assert PROCESS_CLAIMS.holder("name", "Shared Name") is None  # the failed create gave it back
    # While first's create runs, it holds the name (the URN is rebuilt from its seed):
    PROCESS_CLAIMS.claim(f"urn:pulumi:dev::proj::{DYNAMIC}VapiPhoneNumber::first", name("Shared Name"))
    second = {"name": "Shared Name", "sipUri": "sip:b@sip.vapi.ai", **_seed("second")}
    with pytest.raises(DuplicateNumberError, match="VapiPhoneNumber 'second' has the same name as Vapi"):
        Recording().create(second)
    assert calls == ["client"]  # nothing sent for second
    # Every kind in the dynamic host shares the process's claims.
    with pytest.raises(DuplicateNumberError, match="TwilioPhoneNumber 'third'"):
        TwilioPhoneNumberProvider().create(
            {"name": "Shared Name", "number": "+14155550100", **_seed("third")}
        )


def test_dynamic_update_claims_a_changed_name_only() -> None:
    from vapi_provider.provider import VapiPhoneNumberProvider

    PROCESS_CLAIMS.claim(f"urn:pulumi:dev::proj::{DYNAMIC}VapiPhoneNumber::other", name("Taken"))
    provider = VapiPhoneNumberProvider()
    olds = {"name": "Desk", "sipUri": "sip:a@sip.vapi.ai", **_seed("desk")}
    with pytest.raises(DuplicateNumberError, match="'desk' has the same name as VapiPhoneNumber 'other'"):
        provider.update("id-1", olds, {**olds, "name": "Taken"})
