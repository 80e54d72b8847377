"""Area-code numbers activate after a delay; SIP-only numbers are active at once; quota; exhausted codes."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import BODIES, KEY_A, KEY_B, vapi_area, vapi_sip


def wait_for_status(client, number_id, status, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/phone-number/{number_id}").json()
        if body["status"] == status:
            return body
        time.sleep(0.02)
    raise AssertionError(f"{number_id} never became {status}")


def test_area_code_number_starts_activating_without_number(client):
    created = client.post("/phone-number", json=vapi_area("415", name="sales"))
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "activating"
    assert "number" not in body
    assert body["numberDesiredAreaCode"] == "415"


def test_area_code_number_becomes_active_with_a_number_in_its_area_code(client):
    body = client.post("/phone-number", json=vapi_area("212")).json()
    active = wait_for_status(client, body["id"], "active")
    assert re.fullmatch(r"\+1212\d{7}", active["number"])
    assert active["updatedAt"] > body["updatedAt"]
    assert active["createdAt"] == body["createdAt"]
    assert client.get("/phone-number").json()[0]["number"] == active["number"]


def test_activation_delay_is_configurable(client, emulator):
    emulator.configure(activation_delay_seconds=0)
    body = client.post("/phone-number", json=vapi_area("646")).json()
    assert body["status"] == "active"
    assert body["number"].startswith("+1646")


def test_slow_activation_stays_activating(client, emulator):
    emulator.configure(activation_delay_seconds=30)
    body = client.post("/phone-number", json=vapi_area("646")).json()
    time.sleep(0.1)
    assert client.get(f"/phone-number/{body['id']}").json()["status"] == "activating"


def test_sip_only_number_is_active_at_once_without_number(client):
    body = client.post("/phone-number", json=vapi_sip("withcherry", name="Cherry")).json()
    assert body["status"] == "active"
    assert "number" not in body
    assert body["sipUri"] == "sip:withcherry@sip.vapi.ai"


@pytest.mark.parametrize("provider", ["twilio", "vonage", "telnyx", "byo-phone-number"])
def test_imported_numbers_are_active_at_once_with_their_number(client, provider):
    body = client.post("/phone-number", json=BODIES[provider]).json()
    assert body["status"] == "active"
    assert body["number"] == BODIES[provider]["number"]


def test_assigned_numbers_are_distinct(client, emulator):
    emulator.configure(activation_delay_seconds=0, free_number_quota=50)
    numbers = {client.post("/phone-number", json=vapi_area("415")).json()["number"] for _ in range(30)}
    assert len(numbers) == 30


QUOTA_MESSAGE = (
    "You have reached the limit of {n} free Vapi phone numbers for this organization. "
    "Delete a number you no longer need or import one from Twilio, Vonage or Telnyx."
)


def test_free_number_quota_defaults_to_five_per_org(make_client):
    a, b = make_client(KEY_A), make_client(KEY_B)
    for _ in range(5):
        assert a.post("/phone-number", json=vapi_area("415")).status_code == 201
    sixth = a.post("/phone-number", json=vapi_area("415"))
    assert sixth.status_code == 400
    assert sixth.json() == {"message": QUOTA_MESSAGE.format(n=5), "error": "Bad Request", "statusCode": 400}
    assert b.post("/phone-number", json=vapi_area("415")).status_code == 201


def test_quota_counts_only_area_code_numbers_and_frees_up_on_delete(client, emulator):
    emulator.configure(free_number_quota=1)
    first = client.post("/phone-number", json=vapi_area("415")).json()
    assert client.post("/phone-number", json=vapi_sip("not-counted")).status_code == 201
    assert client.post("/phone-number", json=BODIES["twilio"]).status_code == 201
    assert client.post("/phone-number", json=vapi_area("415")).json()["message"] == QUOTA_MESSAGE.format(n=1)
    client.delete(f"/phone-number/{first['id']}")
    assert client.post("/phone-number", json=vapi_area("415")).status_code == 201


def test_exhausted_area_code_gets_a_no_numbers_available_400(client, emulator):
    emulator.configure(exhausted_area_codes={"212", "646"})
    response = client.post("/phone-number", json=vapi_area("212"))
    assert response.status_code == 400
    assert response.json() == {
        "message": "No phone numbers available for area code 212. Try a different area code.",
        "error": "Bad Request",
        "statusCode": 400,
    }
    # Third parties match this prose to fall back to another area code.
    assert re.search(r"no .*numbers? (are )?available", response.json()["message"], re.IGNORECASE)
    assert client.post("/phone-number", json=vapi_area("415")).status_code == 201
    assert emulator.numbers()[0]["numberDesiredAreaCode"] == "415"


def test_non_us_area_code_has_no_numbers(client):
    response = client.post("/phone-number", json=vapi_area("099"))
    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "No phone numbers available for area code 099. Try a different area code."
    )


def test_admin_can_block_a_number(client, emulator):
    body = client.post("/phone-number", json=vapi_sip("to-block")).json()
    blocked = emulator.block(body["id"])
    assert blocked["status"] == "blocked"
    assert client.get(f"/phone-number/{body['id']}").json()["status"] == "blocked"


def test_blocking_an_activating_number_cancels_activation(client, emulator):
    body = client.post("/phone-number", json=vapi_area("415")).json()
    emulator.block(body["id"])
    time.sleep(0.1)
    after = client.get(f"/phone-number/{body['id']}").json()
    assert after["status"] == "blocked"
    assert "number" not in after
