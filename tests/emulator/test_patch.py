"""PATCH semantics: omitted fields unchanged, null clears, nested objects and hooks replaced wholesale."""

from __future__ import annotations

import time

import pytest

from .conftest import BODIES, SIP_PASSWORD, SIP_USER, vapi_sip

SERVER = {"url": "https://hooks.example.com/a", "timeoutSeconds": 10, "headers": {"X-A": "1"}}
FALLBACK = {"type": "number", "number": "+14155550111", "extension": "9"}
HOOKS = [
    {"on": "call.ringing", "do": [{"type": "say", "exact": "one"}]},
    {"on": "call.ending", "do": {"type": "say", "exact": "two"}},
]


@pytest.fixture
def number(client):
    body = vapi_sip(
        "patchme",
        name="before",
        assistantId="asst-1",
        squadId="squad-1",
        workflowId="wf-1",
        server=SERVER,
        fallbackDestination=FALLBACK,
        hooks=HOOKS,
        authentication={"username": SIP_USER, "password": SIP_PASSWORD},
    )
    return client.post("/phone-number", json=body).json()


def patch(client, number, body):
    response = client.patch(f"/phone-number/{number['id']}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_omitted_fields_are_unchanged(client, number):
    after = patch(client, number, {"name": "after"})
    assert after["name"] == "after"
    for key in ("assistantId", "squadId", "workflowId", "server", "fallbackDestination", "hooks", "sipUri"):
        assert after[key] == number[key]


def test_empty_patch_only_bumps_updated_at(client, number):
    time.sleep(0.002)
    after = patch(client, number, {})
    assert after["updatedAt"] > number["updatedAt"]
    assert {k: v for k, v in after.items() if k != "updatedAt"} == {
        k: v for k, v in number.items() if k != "updatedAt"
    }


def test_patch_with_the_same_provider_is_accepted(client, number):
    assert patch(client, number, {"provider": "vapi", "name": "x"})["provider"] == "vapi"


@pytest.mark.parametrize("field", ["assistantId", "squadId", "workflowId", "server", "fallbackDestination"])
def test_null_clears_routing_and_server_fields(client, number, field):
    after = patch(client, number, {field: None})
    assert field not in after
    assert client.get(f"/phone-number/{number['id']}").json().get(field) is None


def test_nested_objects_are_replaced_not_merged(client, number):
    after = patch(client, number, {"server": {"url": "https://hooks.example.com/b"}})
    assert after["server"] == {"url": "https://hooks.example.com/b"}
    after = patch(client, number, {"fallbackDestination": {"type": "sip", "sipUri": "sip:desk@example.com"}})
    assert after["fallbackDestination"] == {"type": "sip", "sipUri": "sip:desk@example.com"}


def test_hooks_are_replaced_wholesale_and_empty_list_clears(client, number):
    after = patch(client, number, {"hooks": [HOOKS[1]]})
    assert after["hooks"] == [HOOKS[1]]
    assert patch(client, number, {"hooks": []})["hooks"] == []


def test_authentication_is_replaced(client, number):
    new_auth = {"username": "u" * 20, "password": "p" * 20, "realm": "sip.vapi.ai"}
    assert patch(client, number, {"authentication": new_auth})["authentication"] == new_auth


def test_twilio_number_and_credentials_are_patchable(client):
    twilio = client.post("/phone-number", json=BODIES["twilio"]).json()
    after = patch(client, twilio, {"provider": "twilio", "number": "+14155550999", "smsEnabled": False})
    assert after["number"] == "+14155550999"
    assert after["smsEnabled"] is False


def test_patch_of_missing_number_is_404(client):
    response = client.patch("/phone-number/00000000-0000-4000-8000-000000000000", json={"name": "x"})
    assert response.status_code == 404
    assert response.json() == {"message": "Phone number not found", "error": "Not Found", "statusCode": 404}


def test_second_delete_is_404(client, number):
    assert client.delete(f"/phone-number/{number['id']}").status_code == 200
    assert client.delete(f"/phone-number/{number['id']}").status_code == 404
