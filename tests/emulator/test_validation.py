"""One test per validation rule, each pinning the exact message (NestJS/class-validator wording)."""

from __future__ import annotations

import pytest

from .conftest import BODIES, SIP_PASSWORD, SIP_USER, vapi_area, vapi_sip

PROVIDERS_MESSAGE = (
    "provider must be one of the following values: byo-phone-number, twilio, vonage, vapi, telnyx"
)
URL_MESSAGE = "must be a valid URL. Hot tip, the protocol should be https://, but found "


def _number_destination(**extra):
    return {"type": "number", "number": "+14155550123", **extra}


CREATE_CASES = [
    ("unknown-property", vapi_sip(foo=1), ["property foo should not exist"]),
    (
        "legacy-serverUrl",
        vapi_sip(serverUrl="https://x.example.com"),
        ["property serverUrl should not exist"],
    ),
    ("read-only-on-create", vapi_sip(status="active"), ["property status should not exist"]),
    ("missing-provider", {"name": "x"}, [PROVIDERS_MESSAGE]),
    ("unknown-provider", {"provider": "plivo"}, [PROVIDERS_MESSAGE]),
    ("name-max-40", vapi_sip(name="n" * 41), ["name must be shorter than or equal to 40 characters"]),
    ("name-type", vapi_sip(name=5), ["name must be a string"]),
    ("assistantId-type", vapi_sip(assistantId=["a"]), ["assistantId must be a string"]),
    (
        "area-code-too-short",
        vapi_area("41"),
        ["numberDesiredAreaCode must be longer than or equal to 3 characters"],
    ),
    (
        "area-code-too-long",
        vapi_area("4155"),
        ["numberDesiredAreaCode must be shorter than or equal to 3 characters"],
    ),
    (
        "sip-username-too-short",
        vapi_sip(authentication={"username": "u" * 19, "password": SIP_PASSWORD}),
        ["authentication.username must be longer than or equal to 20 characters"],
    ),
    (
        "sip-username-too-long",
        vapi_sip(authentication={"username": "u" * 41, "password": SIP_PASSWORD}),
        ["authentication.username must be shorter than or equal to 40 characters"],
    ),
    (
        "sip-password-too-short",
        vapi_sip(authentication={"username": SIP_USER, "password": "p" * 19}),
        ["authentication.password must be longer than or equal to 20 characters"],
    ),
    (
        "sip-password-too-long",
        vapi_sip(authentication={"username": SIP_USER, "password": "p" * 41}),
        ["authentication.password must be shorter than or equal to 40 characters"],
    ),
    (
        "sip-password-missing",
        vapi_sip(authentication={"username": SIP_USER}),
        ["authentication.password must be a string"],
    ),
    ("authentication-not-object", vapi_sip(authentication="x"), ["authentication must be an object"]),
    (
        "nested-unknown-property",
        vapi_sip(authentication={"username": SIP_USER, "password": SIP_PASSWORD, "salt": "x"}),
        ["authentication.property salt should not exist"],
    ),
    (
        "e164-destination",
        vapi_sip(fallbackDestination=_number_destination(number="4155550123")),
        ["fallbackDestination.number must be a valid phone number"],
    ),
    (
        "e164-check-disabled-allows-loose",
        vapi_sip(fallbackDestination=_number_destination(number="ext42", numberE164CheckEnabled=False)),
        [],
    ),
    (
        "e164-check-disabled-still-needs-pattern",
        vapi_sip(fallbackDestination=_number_destination(number="41-555", numberE164CheckEnabled=False)),
        ["fallbackDestination.number must match /^\\+?[a-zA-Z0-9]+$/ regular expression"],
    ),
    (
        "destination-number-min-3",
        vapi_sip(fallbackDestination=_number_destination(number="+1")),
        ["fallbackDestination.number must be longer than or equal to 3 characters"],
    ),
    (
        "destination-unknown-type",
        vapi_sip(fallbackDestination={"type": "phone", "number": "+14155550123"}),
        ["fallbackDestination.type must be one of the following values: number, sip"],
    ),
    (
        "destination-sip-requires-sipUri",
        vapi_sip(fallbackDestination={"type": "sip"}),
        ["fallbackDestination.sipUri must be a string"],
    ),
    (
        "transfer-mode-enum",
        vapi_sip(fallbackDestination=_number_destination(transferPlan={"mode": "cold"})),
        [
            "fallbackDestination.transferPlan.mode must be one of the following values: blind-transfer, "
            "blind-transfer-add-summary-to-sip-header, warm-transfer-say-message, warm-transfer-say-summary, "
            "warm-transfer-twiml, warm-transfer-wait-for-operator-to-speak-first-and-then-say-message, "
            "warm-transfer-wait-for-operator-to-speak-first-and-then-say-summary, warm-transfer-experimental"
        ],
    ),
    (
        "sipVerb-is-a-string-enum",
        vapi_sip(
            fallbackDestination=_number_destination(
                transferPlan={"mode": "blind-transfer", "sipVerb": "dial"}
            )
        ),
        [],
    ),
    (
        "sipVerb-enum",
        vapi_sip(
            fallbackDestination=_number_destination(transferPlan={"mode": "blind-transfer", "sipVerb": "x"})
        ),
        ["fallbackDestination.transferPlan.sipVerb must be one of the following values: refer, bye, dial"],
    ),
    (
        "transfer-timeout-max",
        vapi_sip(
            fallbackDestination=_number_destination(transferPlan={"mode": "blind-transfer", "timeout": 601})
        ),
        ["fallbackDestination.transferPlan.timeout must not be greater than 600"],
    ),
    (
        "transfer-timeout-number",
        vapi_sip(
            fallbackDestination=_number_destination(transferPlan={"mode": "blind-transfer", "timeout": "9"})
        ),
        ["fallbackDestination.transferPlan.timeout must be a number conforming to the specified constraints"],
    ),
    (
        "message-string-or-object",
        vapi_sip(fallbackDestination=_number_destination(message=7)),
        ["fallbackDestination.message must be a string or an object"],
    ),
    (
        "custom-message-content-max",
        vapi_sip(
            fallbackDestination=_number_destination(message={"type": "custom-message", "content": "c" * 1001})
        ),
        ["fallbackDestination.message.content must be shorter than or equal to 1000 characters"],
    ),
    (
        "server-url-https",
        vapi_sip(server={"url": "http://hooks.example.com"}),
        [f"server.url {URL_MESSAGE}http://hooks.example.com"],
    ),
    (
        "server-url-needs-tld",
        vapi_sip(server={"url": "https://localhost:3000/x"}),
        [f"server.url {URL_MESSAGE}https://localhost:3000/x"],
    ),
    ("server-url-not-a-url", vapi_sip(server={"url": "not a url"}), [f"server.url {URL_MESSAGE}not a url"]),
    (
        "server-timeout-min",
        vapi_sip(server={"timeoutSeconds": 0}),
        ["server.timeoutSeconds must not be less than 1"],
    ),
    (
        "server-timeout-max",
        vapi_sip(server={"timeoutSeconds": 301}),
        ["server.timeoutSeconds must not be greater than 300"],
    ),
    ("server-headers-object", vapi_sip(server={"headers": "x"}), ["server.headers must be an object"]),
    (
        "server-boolean",
        vapi_sip(server={"staticIpAddressesEnabled": "yes"}),
        ["server.staticIpAddressesEnabled must be a boolean value"],
    ),
    (
        "server-encryptedPaths-items",
        vapi_sip(server={"encryptedPaths": ["a", 1]}),
        ["server.each value in encryptedPaths must be a string"],
    ),
    (
        "backoff-type-is-a-string-enum",
        vapi_sip(server={"backoffPlan": {"type": "fixed", "maxRetries": 1, "baseDelaySeconds": 1}}),
        [],
    ),
    (
        "backoff-type-enum",
        vapi_sip(server={"backoffPlan": {"type": "linear", "maxRetries": 1, "baseDelaySeconds": 1}}),
        ["server.backoffPlan.type must be one of the following values: fixed, exponential"],
    ),
    (
        "backoff-required",
        vapi_sip(server={"backoffPlan": {"type": "fixed"}}),
        [
            "server.backoffPlan.maxRetries must be a number conforming to the specified constraints",
            "server.backoffPlan.baseDelaySeconds must be a number conforming to the specified constraints",
        ],
    ),
    (
        "backoff-excludedStatusCodes-are-numbers",
        vapi_sip(
            server={
                "backoffPlan": {
                    "type": "fixed",
                    "maxRetries": 1,
                    "baseDelaySeconds": 1,
                    "excludedStatusCodes": [400, 404],
                }
            }
        ),
        [],
    ),
    (
        "backoff-excludedStatusCodes-items",
        vapi_sip(
            server={
                "backoffPlan": {
                    "type": "fixed",
                    "maxRetries": 1,
                    "baseDelaySeconds": 1,
                    "excludedStatusCodes": ["400"],
                }
            }
        ),
        [
            "server.backoffPlan.each value in excludedStatusCodes must be a number conforming to the "
            "specified constraints"
        ],
    ),
    ("hooks-array", vapi_sip(hooks={"on": "call.ringing"}), ["hooks must be an array"]),
    (
        "hook-on-enum",
        vapi_sip(hooks=[{"on": "call.started", "do": []}]),
        ["hooks.0.on must be one of the following values: call.ringing, call.ending"],
    ),
    ("ringing-hook-needs-do", vapi_sip(hooks=[{"on": "call.ringing"}]), ["hooks.0.do must be an array"]),
    (
        "say-action-exact-max",
        vapi_sip(hooks=[{"on": "call.ringing", "do": [{"type": "say", "exact": "e" * 4001}]}]),
        ["hooks.0.do.0.exact must be shorter than or equal to 4000 characters"],
    ),
    (
        "ringing-filter-prefix-max",
        vapi_sip(
            hooks=[
                {
                    "on": "call.ringing",
                    "do": [],
                    "filters": [{"type": "startsWith", "key": "number", "startsWith": ["1" * 21]}],
                }
            ]
        ),
        ["hooks.0.filters.0.each value in startsWith must be shorter than or equal to 20 characters"],
    ),
    (
        "ending-filter-reason-enum",
        vapi_sip(
            hooks=[
                {
                    "on": "call.ending",
                    "filters": [{"type": "oneOf", "key": "call.endedReason", "oneOf": ["hangup"]}],
                }
            ]
        ),
        [
            "hooks.0.filters.0.each value in oneOf must be one of the following values: "
            "assistant-request-failed, assistant-request-returned-error, "
            "assistant-request-returned-unspeakable-error, "
            "assistant-request-returned-invalid-assistant, assistant-request-returned-no-assistant, "
            "assistant-request-returned-forwarding-phone-number"
        ],
    ),
    (
        "twilio-required",
        {"provider": "twilio"},
        ["number must be a string", "twilioAccountSid must be a string"],
    ),
    (
        "twilio-smsEnabled-boolean",
        {**BODIES["twilio"], "smsEnabled": "no"},
        ["smsEnabled must be a boolean value"],
    ),
    ("vonage-required", {"provider": "vonage", "number": "1"}, ["credentialId must be a string"]),
    ("telnyx-required", {"provider": "telnyx", "credentialId": "c"}, ["number must be a string"]),
    ("byo-required", {"provider": "byo-phone-number"}, ["credentialId must be a string"]),
    (
        "byo-e164",
        {**BODIES["byo-phone-number"], "number": "4155550123"},
        ["number must be a valid phone number"],
    ),
    (
        "byo-e164-disabled",
        {**BODIES["byo-phone-number"], "number": "4155550123", "numberE164CheckEnabled": False},
        [],
    ),
    (
        "vapi-only-field-on-twilio",
        {**BODIES["twilio"], "sipUri": "sip:x@sip.vapi.ai"},
        ["property sipUri should not exist"],
    ),
    ("null-optional-is-absent", vapi_sip(assistantId=None), []),
    (
        "several-messages-at-once",
        vapi_sip(name="n" * 41, foo=1, server={"timeoutSeconds": 0}),
        [
            "property foo should not exist",
            "name must be shorter than or equal to 40 characters",
            "server.timeoutSeconds must not be less than 1",
        ],
    ),
]


@pytest.mark.parametrize(
    ("body", "expected"), [c[1:] for c in CREATE_CASES], ids=[c[0] for c in CREATE_CASES]
)
def test_create_validation_message(client, body, expected):
    response = client.post("/phone-number", json=body)
    if not expected:
        assert response.status_code == 201, response.text
        return
    assert response.status_code == 400
    assert response.json() == {"message": expected, "error": "Bad Request", "statusCode": 400}


def test_vapi_create_needs_area_code_or_sip_uri(client):
    response = client.post("/phone-number", json={"provider": "vapi", "name": "nothing"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "At least one of numberDesiredAreaCode, sipUri must be provided",
        "error": "Bad Request",
        "statusCode": 400,
    }


def test_duplicate_sip_uri_is_rejected_case_insensitively(client):
    assert client.post("/phone-number", json=vapi_sip("Desk")).status_code == 201
    response = client.post("/phone-number", json={"provider": "vapi", "sipUri": "SIP:desk@SIP.VAPI.AI"})
    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "sipUri SIP:desk@SIP.VAPI.AI is already in use. Choose a different SIP username."
    )


def test_duplicate_sip_uri_is_rejected_across_orgs(make_client, emulator):
    assert make_client("key-a").post("/phone-number", json=vapi_sip("shared")).status_code == 201
    response = make_client("key-b").post("/phone-number", json=vapi_sip("shared"))
    assert response.status_code == 400


def test_patch_to_a_taken_sip_uri_is_rejected_but_keeping_its_own_is_fine(client):
    client.post("/phone-number", json=vapi_sip("taken"))
    mine = client.post("/phone-number", json=vapi_sip("mine")).json()
    response = client.patch(f"/phone-number/{mine['id']}", json={"sipUri": "sip:TAKEN@sip.vapi.ai"})
    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "sipUri sip:TAKEN@sip.vapi.ai is already in use. Choose a different SIP username."
    )
    same = client.patch(f"/phone-number/{mine['id']}", json={"sipUri": "sip:Mine@sip.vapi.ai"})
    assert same.status_code == 200


def test_create_only_field_is_rejected_on_patch(client):
    number = client.post("/phone-number", json=vapi_sip("patch-create-only")).json()
    response = client.patch(f"/phone-number/{number['id']}", json={"numberDesiredAreaCode": "415"})
    assert response.status_code == 400
    assert response.json()["message"] == ["property numberDesiredAreaCode should not exist"]


@pytest.mark.parametrize("field", ["id", "orgId", "status", "number", "createdAt", "updatedAt"])
def test_read_only_field_is_rejected_on_patch(client, field):
    number = client.post("/phone-number", json=vapi_sip(f"ro-{field.lower()}")).json()
    response = client.patch(f"/phone-number/{number['id']}", json={field: "x"})
    assert response.status_code == 400
    assert response.json()["message"] == [f"property {field} should not exist"]


def test_patch_with_another_provider_is_rejected(client):
    number = client.post("/phone-number", json=vapi_sip("other-provider")).json()
    response = client.patch(f"/phone-number/{number['id']}", json={"provider": "twilio"})
    assert response.status_code == 400
    assert response.json()["message"] == ["provider must be one of the following values: vapi"]


def test_patch_validates_nested_values(client):
    number = client.post("/phone-number", json=vapi_sip("patch-nested")).json()
    response = client.patch(f"/phone-number/{number['id']}", json={"server": {"url": "ftp://x.example.com"}})
    assert response.status_code == 400
    assert response.json()["message"] == [f"server.url {URL_MESSAGE}ftp://x.example.com"]


def test_patch_cannot_null_a_field_every_response_carries(client):
    number = client.post("/phone-number", json=BODIES["twilio"]).json()
    response = client.patch(f"/phone-number/{number['id']}", json={"twilioAccountSid": None})
    assert response.status_code == 400
    assert response.json()["message"] == ["twilioAccountSid must be a string"]


QUERY_CASES = [
    ("/phone-number", {"limit": "1001"}, ["limit must not be greater than 1000"]),
    ("/phone-number", {"limit": "-1"}, ["limit must not be less than 0"]),
    ("/phone-number", {"limit": "ten"}, ["limit must be a number conforming to the specified constraints"]),
    ("/phone-number", {"createdAtGt": "yesterday"}, ["createdAtGt must be a valid ISO 8601 date string"]),
    ("/phone-number", {"page": "2"}, ["property page should not exist"]),
    ("/v2/phone-number", {"page": "0"}, ["page must not be less than 1"]),
    ("/v2/phone-number", {"sortOrder": "UP"}, ["sortOrder must be one of the following values: ASC, DESC"]),
    ("/v2/phone-number", {"search": "s" * 101}, ["search must be shorter than or equal to 100 characters"]),
    (
        "/v2/phone-number",
        {"sortBy": "name"},
        ["sortBy must be one of the following values: createdAt, duration, cost"],
    ),
    ("/v2/phone-number", {"cursor": "abc"}, ["property cursor should not exist"]),
]


@pytest.mark.parametrize(("path", "params", "expected"), QUERY_CASES)
def test_query_validation_message(client, path, params, expected):
    response = client.get(path, params=params)
    assert response.status_code == 400
    assert response.json() == {"message": expected, "error": "Bad Request", "statusCode": 400}
