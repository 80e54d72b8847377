"""Every kind of imported number (twilio, vonage, telnyx, byo-phone-number): what create requires, what
PATCH may change, what read returns, and how secrets come back (as stored, or masked on request).

The field sets come from Vapi's OpenAPI document (the create, update and response DTOs of each provider);
every response is also checked against the response schema by the `client` fixture's hook.
"""

from __future__ import annotations

import pytest

from vapi_emulator import SECRET_MASK

from .conftest import BODIES, SIP_PASSWORD, SIP_USER, vapi_sip

IMPORTED = ("twilio", "vonage", "telnyx", "byo-phone-number")
TWILIO_CREDENTIALS = (
    "twilioAuthToken, or both twilioApiKey and twilioApiSecret, must be provided "
    "so that Vapi can configure the number on Twilio"
)
REQUIRED_MESSAGES = {
    "twilio": ["number must be a string", "twilioAccountSid must be a string"],
    "vonage": ["number must be a string", "credentialId must be a string"],
    "telnyx": ["number must be a string", "credentialId must be a string"],
    "byo-phone-number": ["credentialId must be a string"],
}
PATCHES = {
    "twilio": {
        "number": "+14155550200",
        "twilioAccountSid": "AC1111111111111111111111111111111",
        "twilioAuthToken": "new-token",
        "twilioApiKey": "SK1",
        "twilioApiSecret": "api-secret",
        "smsEnabled": False,
    },
    "vonage": {"number": "14155550201", "credentialId": "cred-vonage-2"},
    "telnyx": {"number": "+14155550202", "credentialId": "cred-telnyx-2"},
    "byo-phone-number": {
        "number": "+14155550203",
        "credentialId": "cred-byo-2",
        "numberE164CheckEnabled": True,
    },
}
"""Every provider-specific field that each update DTO allows."""


def _server_fields(body):
    return {k: v for k, v in body.items() if k not in ("id", "orgId", "createdAt", "updatedAt", "status")}


@pytest.mark.parametrize("provider", IMPORTED)
def test_create_needs_the_required_fields_of_its_kind(client, provider):
    response = client.post("/phone-number", json={"provider": provider})
    assert response.status_code == 400
    assert response.json()["message"] == REQUIRED_MESSAGES[provider]


@pytest.mark.parametrize("provider", IMPORTED)
def test_create_refuses_the_vapi_only_fields(client, provider):
    body = {**BODIES[provider], "sipUri": "sip:x@sip.vapi.ai", "numberDesiredAreaCode": "415"}
    response = client.post("/phone-number", json=body)
    assert response.status_code == 400
    assert response.json()["message"] == [
        "property sipUri should not exist",
        "property numberDesiredAreaCode should not exist",
    ]


@pytest.mark.parametrize("provider", IMPORTED)
def test_create_get_list_patch_delete(client, provider):
    created = client.post("/phone-number", json={**BODIES[provider], "name": f"{provider} line"})
    assert created.status_code == 201
    number = created.json()
    # imported numbers are active at once; the response echoes what was sent and adds no defaults
    assert number["status"] == "active"
    assert _server_fields(number) == {**BODIES[provider], "name": f"{provider} line"}
    assert client.get(f"/phone-number/{number['id']}").json() == number
    assert client.get("/phone-number").json() == [number]
    assert client.get("/v2/phone-number", params={"search": "line"}).json()["results"] == [number]

    patched = client.patch(f"/phone-number/{number['id']}", json={**PATCHES[provider], "name": None})
    assert patched.status_code == 200, patched.text
    after = patched.json()
    expected = {**BODIES[provider], **PATCHES[provider]}
    assert _server_fields(after) == expected  # `name: null` cleared the name
    assert after["updatedAt"] >= number["updatedAt"]
    assert client.get(f"/phone-number/{number['id']}").json() == after

    deleted = client.delete(f"/phone-number/{number['id']}")
    assert (deleted.status_code, deleted.json()) == (200, after)
    assert client.get(f"/phone-number/{number['id']}").status_code == 404
    assert client.get("/phone-number").json() == []


@pytest.mark.parametrize("provider", IMPORTED)
def test_patch_refuses_fields_of_other_kinds_and_another_provider(client, provider):
    number = client.post("/phone-number", json=BODIES[provider]).json()
    foreign = {"sipUri": "sip:x@sip.vapi.ai", "authentication": {}, "numberDesiredAreaCode": "415"}
    response = client.patch(f"/phone-number/{number['id']}", json=foreign)
    assert response.status_code == 400
    assert response.json()["message"] == [f"property {key} should not exist" for key in foreign]
    other = "vonage" if provider != "vonage" else "telnyx"
    response = client.patch(f"/phone-number/{number['id']}", json={"provider": other})
    assert response.json()["message"] == [f"provider must be one of the following values: {provider}"]
    assert client.get(f"/phone-number/{number['id']}").json() == number


@pytest.mark.parametrize(
    ("provider", "field"),
    [("twilio", "number"), ("twilio", "twilioAccountSid"), ("vonage", "credentialId"), ("telnyx", "number")],
)
def test_patch_cannot_clear_what_every_response_carries(client, provider, field):
    number = client.post("/phone-number", json=BODIES[provider]).json()
    response = client.patch(f"/phone-number/{number['id']}", json={field: None})
    assert response.status_code == 400
    assert response.json()["message"] == [f"{field} must be a string"]


def test_twilio_needs_an_auth_token_or_an_api_key_and_secret(client):
    base = {"provider": "twilio", "number": "+14155550100", "twilioAccountSid": "AC1"}
    for extra in ({}, {"twilioApiKey": "SK1"}, {"twilioApiSecret": "s"}):
        response = client.post("/phone-number", json={**base, **extra})
        assert (response.status_code, response.json()["message"]) == (400, TWILIO_CREDENTIALS)
    with_key = client.post("/phone-number", json={**base, "twilioApiKey": "SK1", "twilioApiSecret": "s"})
    assert with_key.status_code == 201
    # clearing the last credential is refused too; swapping one way for the other is fine
    number = with_key.json()
    cleared = client.patch(f"/phone-number/{number['id']}", json={"twilioApiSecret": None})
    assert (cleared.status_code, cleared.json()["message"]) == (400, TWILIO_CREDENTIALS)
    swapped = client.patch(
        f"/phone-number/{number['id']}",
        json={"twilioAuthToken": "t", "twilioApiKey": None, "twilioApiSecret": None},
    )
    assert swapped.status_code == 200
    assert _server_fields(swapped.json()) == {**base, "twilioAuthToken": "t"}


def test_byo_number_is_optional_and_e164_unless_the_check_is_off(client):
    bare = client.post("/phone-number", json={"provider": "byo-phone-number", "credentialId": "c"})
    assert bare.status_code == 201
    assert "number" not in bare.json()
    short = {"provider": "byo-phone-number", "credentialId": "c", "number": "1234"}
    assert client.post("/phone-number", json=short).json()["message"] == [
        "number must be a valid phone number"
    ]
    loose = client.post("/phone-number", json={**short, "numberE164CheckEnabled": False})
    assert loose.status_code == 201
    # class-validator checks the body, not the stored number: a PATCH of `number` alone is E.164-checked
    # unless it says `numberE164CheckEnabled: false` again
    patch = client.patch(f"/phone-number/{loose.json()['id']}", json={"number": "5678"})
    assert patch.json()["message"] == ["number must be a valid phone number"]
    patch = client.patch(
        f"/phone-number/{loose.json()['id']}", json={"number": "5678", "numberE164CheckEnabled": False}
    )
    assert patch.json()["number"] == "5678"


def test_imported_numbers_never_count_against_the_free_quota(client, emulator):
    emulator.configure(free_number_quota=0)
    for provider in IMPORTED:
        assert client.post("/phone-number", json=BODIES[provider]).status_code == 201


# -- secrets -------------------------------------------------------------------------------------------

VAPI_WITH_SECRETS = vapi_sip(
    "secrets",
    authentication={"username": SIP_USER, "password": SIP_PASSWORD},
    server={"url": "https://hooks.example.com/vapi", "headers": {"X-Secret": "s3cret", "X-Other": "o"}},
)
TWILIO_WITH_SECRETS = {**BODIES["twilio"], "twilioApiKey": "SK1", "twilioApiSecret": "api-secret"}


def test_secrets_are_returned_as_stored_by_default(client):
    twilio = client.post("/phone-number", json=TWILIO_WITH_SECRETS).json()
    assert (twilio["twilioAuthToken"], twilio["twilioApiSecret"]) == ("token-secret", "api-secret")
    vapi = client.get(f"/phone-number/{client.post('/phone-number', json=VAPI_WITH_SECRETS).json()['id']}")
    assert vapi.json()["authentication"]["password"] == SIP_PASSWORD
    assert vapi.json()["server"]["headers"] == {"X-Secret": "s3cret", "X-Other": "o"}


def test_masked_secrets_on_every_route(client, emulator):
    emulator.configure(mask_secrets=True)
    twilio = client.post("/phone-number", json=TWILIO_WITH_SECRETS)
    vapi = client.post("/phone-number", json=VAPI_WITH_SECRETS)
    views = [twilio.json(), vapi.json()]
    views += [client.get(f"/phone-number/{v['id']}").json() for v in views[:2]]
    views += client.get("/phone-number").json() + client.get("/v2/phone-number").json()["results"]
    views.append(client.patch(f"/phone-number/{vapi.json()['id']}", json={"name": "m"}).json())
    views.append(client.delete(f"/phone-number/{twilio.json()['id']}").json())
    for view in views:
        if view["provider"] == "twilio":
            assert (view["twilioAuthToken"], view["twilioApiSecret"]) == (SECRET_MASK, SECRET_MASK)
            assert view["twilioApiKey"] == "SK1"  # an identifier, not a secret
            assert view["twilioAccountSid"] == BODIES["twilio"]["twilioAccountSid"]
        else:
            assert view["authentication"] == {"username": SIP_USER, "password": SECRET_MASK}
            assert view["server"]["headers"] == {"X-Secret": SECRET_MASK, "X-Other": SECRET_MASK}
    assert "s3cret" not in str(views) and SIP_PASSWORD not in str(views) and "token-secret" not in str(views)
    # the store keeps the real values; the admin view shows them, and unmasking shows them again
    stored = {n["provider"]: n for n in emulator.numbers()}
    assert stored["vapi"]["authentication"]["password"] == SIP_PASSWORD
    emulator.configure(mask_secrets=False)
    assert (
        client.get(f"/phone-number/{vapi.json()['id']}").json()["server"]["headers"]["X-Secret"] == "s3cret"
    )
