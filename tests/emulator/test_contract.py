"""Every route, for every provider, answers with Vapi's status codes and schema-valid bodies.

The response hook of the `client` fixture (conftest) validates each body against the OpenAPI document.
"""

from __future__ import annotations

import copy

import pytest

from vapi_emulator import DEMO_ORG_ID
from vapi_emulator._spec import SPEC_FIXES, load_raw_spec, load_spec

from .conftest import BODIES, SIP_PASSWORD, SIP_USER, check_phone_number, vapi_area, vapi_sip

FULL_VAPI = vapi_sip(
    "full",
    name="Support line",
    assistantId="asst-1",
    authentication={"realm": "sip.vapi.ai", "username": SIP_USER, "password": SIP_PASSWORD},
    server={
        "url": "https://hooks.example.com/vapi",
        "timeoutSeconds": 20,
        "headers": {"X-Secret": "s3cret"},
        "credentialId": "cred-1",
        "staticIpAddressesEnabled": False,
        "encryptedPaths": ["message.call"],
        "backoffPlan": {
            "type": "exponential",
            "maxRetries": 3,
            "baseDelaySeconds": 1,
            "excludedStatusCodes": [400],
        },
    },
    fallbackDestination={
        "type": "number",
        "number": "+14155550199",
        "extension": "12",
        "callerId": "{{customer.number}}",
        "message": {"type": "custom-message", "content": "Transferring", "contents": []},
        "transferPlan": {
            "mode": "warm-transfer-say-summary",
            "sipVerb": "dial",
            "timeout": 30,
            "contextEngineeringPlan": {"type": "lastNMessages", "maxMessages": 5},
            "summaryPlan": {"enabled": True, "timeoutSeconds": 5, "messages": [{"role": "system"}]},
            "fallbackPlan": {"message": "Sorry", "endCallEnabled": True},
        },
        "description": None,
    },
    hooks=[
        {
            "on": "call.ringing",
            "do": [{"type": "say", "exact": "Hello"}],
            "filters": [{"type": "startsWith", "key": "number", "startsWith": ["91", "7"]}],
        },
        {
            "on": "call.ending",
            "do": {"type": "transfer", "destination": {"type": "sip", "sipUri": "sip:desk@example.com"}},
            "filters": [{"type": "oneOf", "key": "call.endedReason", "oneOf": ["assistant-request-failed"]}],
        },
    ],
)


@pytest.mark.parametrize("provider", sorted(BODIES))
def test_crud_round_trip_for_every_provider(client, provider):
    created = client.post("/phone-number", json=BODIES[provider])
    assert created.status_code == 201
    number = created.json()
    assert number["provider"] == provider
    assert number["orgId"] == DEMO_ORG_ID
    assert number["status"] == "active"
    fetched = client.get(f"/phone-number/{number['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == number
    patched = client.patch(f"/phone-number/{number['id']}", json={"provider": provider, "name": "renamed"})
    assert patched.status_code == 200
    assert patched.json()["name"] == "renamed"
    listed = client.get("/phone-number")
    assert listed.status_code == 200
    assert [n["id"] for n in listed.json()] == [number["id"]]
    paged = client.get("/v2/phone-number")
    assert paged.status_code == 200
    assert paged.json()["results"] == listed.json()
    deleted = client.delete(f"/phone-number/{number['id']}")
    assert deleted.status_code == 200
    assert deleted.json() == patched.json()
    assert client.get(f"/phone-number/{number['id']}").status_code == 404


def test_full_vapi_body_is_echoed_and_secrets_are_returned_as_stored(client):
    response = client.post("/phone-number", json=FULL_VAPI)
    assert response.status_code == 201, response.text
    body = response.json()
    expected = copy.deepcopy(FULL_VAPI)
    del expected["fallbackDestination"]["description"]  # null on an optional property is dropped
    for key, value in expected.items():
        assert body[key] == value
    assert body["authentication"]["password"] == SIP_PASSWORD
    assert body["server"]["headers"] == {"X-Secret": "s3cret"}
    assert "number" not in body


def test_twilio_secrets_are_returned_as_stored(client):
    body = client.post("/phone-number", json=BODIES["twilio"]).json()
    assert body["twilioAuthToken"] == "token-secret"


def test_create_answers_201_with_server_generated_fields(client):
    body = client.post("/phone-number", json=vapi_sip("fields")).json()
    check_phone_number(body)
    assert body["createdAt"] == body["updatedAt"]
    assert set(body) == {"id", "orgId", "provider", "sipUri", "createdAt", "updatedAt", "status"}


def test_v1_list_is_a_bare_array(client):
    client.post("/phone-number", json=vapi_sip("a"))
    body = client.get("/phone-number").json()
    assert isinstance(body, list)


def test_v2_list_has_results_and_metadata(client):
    client.post("/phone-number", json=vapi_sip("a"))
    body = client.get("/v2/phone-number").json()
    assert body["metadata"] == {
        "itemsPerPage": 100,
        "totalItems": 1,
        "currentPage": 1,
        "totalPages": 1,
        "hasNextPage": False,
        "sortOrder": "DESC",
    }


def test_activating_and_active_area_code_numbers_are_schema_valid(client, emulator):
    emulator.configure(activation_delay_seconds=60)
    activating = client.post("/phone-number", json=vapi_area("212")).json()
    assert activating["status"] == "activating"
    emulator.configure(activation_delay_seconds=0)
    active = client.post("/phone-number", json=vapi_area("646")).json()
    assert active["status"] == "active"
    client.get("/phone-number")


def test_spec_fixes_touch_only_the_known_generator_bugs():
    raw = load_raw_spec()
    fixed = load_spec()
    for schema, prop, replacement in SPEC_FIXES:
        target = raw["components"]["schemas"][schema]["properties"][prop]
        for key, value in replacement.items():
            assert target.get(key) != value
            if value is None:
                del target[key]
            else:
                target[key] = value
    assert raw == fixed
    assert [(s, p) for s, p, _ in SPEC_FIXES] == [
        ("TransferPlan", "sipVerb"),
        ("BackoffPlan", "type"),
        ("BackoffPlan", "excludedStatusCodes"),
        ("PhoneNumberCallEndingHookFilter", "oneOf"),
    ]
