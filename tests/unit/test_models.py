from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from vapi_provider.models import (
    GenericPhoneNumberResponse,
    Server,
    SipAuthentication,
    TwilioPhoneNumberCreate,
    TwilioPhoneNumberResponse,
    VapiPhoneNumberCreate,
    VapiPhoneNumberResponse,
    VapiPhoneNumberUpdate,
    parse_phone_number,
    parse_request,
)

PASSWORD = "p" * 24
USERNAME = "u" * 24


def _response(**extra):
    return {
        "id": "11111111-1111-4111-8111-111111111111",
        "orgId": "org-1",
        "provider": "vapi",
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-01T00:00:00.000Z",
        **extra,
    }


def test_models_response_is_snake_case_in_python_and_camel_case_on_the_wire():
    number = parse_phone_number(_response(sipUri="sip:a@sip.vapi.ai", assistantId="a1"))
    assert isinstance(number, VapiPhoneNumberResponse)
    assert number.sip_uri == "sip:a@sip.vapi.ai"
    assert number.org_id == "org-1"
    dumped = number.model_dump(mode="json", exclude_none=True)
    assert dumped["sipUri"] == "sip:a@sip.vapi.ai"
    assert dumped["assistantId"] == "a1"
    assert "sip_uri" not in dumped


def test_models_response_tolerates_unknown_fields_at_every_depth():
    number = parse_phone_number(
        _response(
            brandNew=1,
            providerResourceId="x",
            server={"url": "http://localhost/no-format-rules-on-responses", "newThing": True},
            fallbackDestination={"type": "number", "number": "123", "future": 1},
        )
    )
    assert isinstance(number, VapiPhoneNumberResponse)
    assert number.server is not None and number.server.url.startswith("http://")


def test_models_response_for_every_provider_kind():
    base = _response()
    twilio = parse_phone_number(
        {
            **base,
            "provider": "twilio",
            "number": "+14155550123",
            "twilioAccountSid": "AC1",
            "twilioAuthToken": "zz-secret-zz",
        }
    )
    assert isinstance(twilio, TwilioPhoneNumberResponse)
    assert "zz-secret-zz" not in repr(twilio)
    for kind in ("vonage", "telnyx"):
        assert (
            parse_phone_number({**base, "provider": kind, "number": "+1", "credentialId": "c"}).provider
            == kind
        )
    assert parse_phone_number({**base, "provider": "byo-phone-number", "credentialId": "c"}).provider == (
        "byo-phone-number"
    )
    unknown = parse_phone_number({**base, "provider": "someday", "number": "+1"})
    assert isinstance(unknown, GenericPhoneNumberResponse)


def test_models_request_forbids_unknown_fields_at_every_depth():
    with pytest.raises(ValidationError) as info:
        parse_request(
            VapiPhoneNumberCreate, {"sipUri": "sip:a@sip.vapi.ai", "server": {"url": "https://a.io", "x": 1}}
        )
    assert [e["loc"] for e in info.value.errors()] == [("server", "x")]
    with pytest.raises(ValidationError):
        VapiPhoneNumberCreate.model_validate({"surprise": True})


def test_models_request_is_strict_about_types():
    with pytest.raises(ValidationError) as info:
        parse_request(
            VapiPhoneNumberCreate, {"sipUri": "sip:a@sip.vapi.ai", "server": {"timeoutSeconds": "20"}}
        )
    assert info.value.errors()[0]["type"] == "float_type"


def test_models_request_rejects_snake_case_keys_on_the_wire():
    with pytest.raises(ValidationError):
        parse_request(VapiPhoneNumberCreate, {"sip_uri": "sip:a@sip.vapi.ai"})


def test_models_secret_str_serialises_for_the_wire_and_masks_in_repr():
    body = parse_request(
        VapiPhoneNumberCreate,
        {
            "sipUri": "sip:a@sip.vapi.ai",
            "authentication": {"username": USERNAME, "password": PASSWORD},
            "server": {"url": "https://example.com/hook", "headers": {"X-Token": "header-secret"}},
        },
    )
    assert PASSWORD not in repr(body) and "header-secret" not in repr(body)
    assert PASSWORD not in str(body.model_dump())
    wire = body.to_wire()
    assert wire["authentication"]["password"] == PASSWORD
    assert wire["server"]["headers"] == {"X-Token": "header-secret"}
    assert isinstance(body.authentication, SipAuthentication)
    assert isinstance(body.authentication.password, SecretStr)


def test_models_to_wire_sends_set_fields_nulls_and_provider():
    update = VapiPhoneNumberUpdate(assistant_id=None, squad_id="squad-1")
    assert update.to_wire() == {"assistantId": None, "squadId": "squad-1", "provider": "vapi"}


def test_models_to_wire_whole_numbers_are_ints():
    body = parse_request(
        VapiPhoneNumberCreate, {"sipUri": "sip:a@sip.vapi.ai", "server": {"timeoutSeconds": 20.0}}
    )
    assert body.to_wire()["server"] == {"timeoutSeconds": 20}


def test_models_twilio_secrets_are_revealed_only_on_the_wire():
    body = TwilioPhoneNumberCreate(
        number="+14155550123", twilio_account_sid="AC1", twilio_auth_token=SecretStr("zz-secret-zz")
    )
    assert "zz-secret-zz" not in repr(body)
    assert body.to_wire()["twilioAuthToken"] == "zz-secret-zz"


def test_models_format_rules_apply_only_to_requests():
    server = Server.model_validate({"url": "http://plain.example.com"})
    assert server.url == "http://plain.example.com"
    with pytest.raises(ValidationError) as info:
        parse_request(
            VapiPhoneNumberCreate,
            {"sipUri": "sip:a@sip.vapi.ai", "server": {"url": "http://plain.example.com"}},
        )
    assert "https://" in info.value.errors()[0]["msg"]


@pytest.mark.parametrize(
    "destination",
    [
        {"type": "number", "number": "+14155550123"},
        {"type": "number", "number": "4155550123abc", "numberE164CheckEnabled": False},
        {"type": "sip", "sipUri": "sip:ops@example.com"},
    ],
)
def test_models_fallback_destination_variants_accepted(destination):
    body = parse_request(
        VapiPhoneNumberCreate, {"sipUri": "sip:a@sip.vapi.ai", "fallbackDestination": destination}
    )
    assert body.to_wire()["fallbackDestination"] == destination


def test_models_hooks_round_trip():
    hooks = [
        {
            "on": "call.ringing",
            "do": [{"type": "transfer", "destination": {"type": "number", "number": "+14155550123"}}],
            "filters": [{"type": "startsWith", "key": "number", "startsWith": ["1", "44"]}],
        },
        {
            "on": "call.ending",
            "do": {"type": "say", "exact": "Sorry, try again later."},
            "filters": [{"type": "oneOf", "key": "call.endedReason", "oneOf": ["assistant-request-failed"]}],
        },
    ]
    body = parse_request(VapiPhoneNumberCreate, {"sipUri": "sip:a@sip.vapi.ai", "hooks": hooks})
    assert body.to_wire()["hooks"] == hooks
