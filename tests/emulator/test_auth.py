"""Bearer keys, several orgs, and the 401 bodies Vapi answers."""

from __future__ import annotations

import httpx

import vapi_emulator
from vapi_emulator import DEMO_API_KEY, DEMO_ORG_ID, EmulatorConfig, serve_in_thread

from .conftest import KEY_A, KEY_B, ORG_A, vapi_sip

MISSING = {"message": "Missing Authorization Header.", "error": "Unauthorized", "statusCode": 401}
INVALID = {
    "message": (
        "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa."
    ),
    "error": "Unauthorized",
    "statusCode": 401,
}


def test_demo_key_is_a_module_constant_mapped_to_the_demo_org():
    assert vapi_emulator.DEMO_API_KEY == "vapi-emulator-demo-key"
    with serve_in_thread() as emulator:
        response = httpx.post(
            f"{emulator.url}/phone-number",
            json=vapi_sip(),
            headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
        )
        assert response.status_code == 201
        assert response.json()["orgId"] == DEMO_ORG_ID


def test_missing_authorization_header_gets_401(make_client):
    for method, path in [("GET", "/phone-number"), ("POST", "/phone-number"), ("GET", "/v2/phone-number")]:
        response = make_client(None).request(method, path)
        assert response.status_code == 401
        assert response.json() == MISSING


def test_unknown_key_gets_401_invalid_key(make_client):
    response = make_client("not-a-key").get("/phone-number")
    assert response.status_code == 401
    assert response.json() == INVALID


def test_malformed_authorization_header_gets_401_invalid_key(make_client):
    for header in ["Basic abc", "Bearer", DEMO_API_KEY]:
        response = make_client(None, headers={"Authorization": header}).get("/phone-number")
        assert response.status_code == 401
        assert response.json() == INVALID


def test_auth_is_checked_before_validation_and_lookup(make_client):
    anonymous = make_client(None)
    assert anonymous.post("/phone-number", json={"provider": "nope"}).status_code == 401
    assert anonymous.get("/phone-number/00000000-0000-4000-8000-000000000000").status_code == 401
    assert anonymous.delete("/phone-number/not-a-uuid").status_code == 401


def test_configured_keys_replace_the_demo_key():
    config = EmulatorConfig(api_keys={"k1": "org-1"})
    with serve_in_thread(config) as emulator:
        demo = httpx.get(f"{emulator.url}/phone-number", headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
        assert demo.status_code == 401
        own = httpx.get(f"{emulator.url}/phone-number", headers={"Authorization": "Bearer k1"})
        assert own.status_code == 200


def test_each_org_sees_only_its_numbers(make_client):
    a, b = make_client(KEY_A), make_client(KEY_B)
    number = a.post("/phone-number", json=vapi_sip("org-a-line")).json()
    assert number["orgId"] == ORG_A
    assert [n["id"] for n in a.get("/phone-number").json()] == [number["id"]]
    assert b.get("/phone-number").json() == []
    assert b.get("/v2/phone-number").json()["metadata"]["totalItems"] == 0


def test_another_orgs_number_looks_missing(make_client):
    a, b = make_client(KEY_A), make_client(KEY_B)
    number = a.post("/phone-number", json=vapi_sip("private")).json()
    not_found = {"message": "Phone number not found", "error": "Not Found", "statusCode": 404}
    assert b.get(f"/phone-number/{number['id']}").json() == not_found
    assert b.patch(f"/phone-number/{number['id']}", json={"name": "stolen"}).json() == not_found
    assert b.delete(f"/phone-number/{number['id']}").json() == not_found
    assert a.get(f"/phone-number/{number['id']}").status_code == 200


def test_two_keys_may_share_one_org():
    config = EmulatorConfig(api_keys={"k1": "org-x", "k2": "org-x"})
    with serve_in_thread(config) as emulator:
        created = httpx.post(
            f"{emulator.url}/phone-number", json=vapi_sip(), headers={"Authorization": "Bearer k1"}
        ).json()
        fetched = httpx.get(
            f"{emulator.url}/phone-number/{created['id']}", headers={"Authorization": "Bearer k2"}
        )
        assert fetched.status_code == 200
