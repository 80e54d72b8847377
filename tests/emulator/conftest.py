"""Fixtures for the emulator tests.

Every response that goes through the `client`/`make_client` fixtures is checked against the OpenAPI
document by an httpx response hook: 2xx bodies against the operation's response schema, errors against the
NestJS envelope. So every test is also a contract test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jsonschema
import pytest

from vapi_emulator import DEMO_API_KEY, DEMO_ORG_ID, EmulatorConfig, RunningEmulator, serve_in_thread
from vapi_emulator._spec import load_spec

SPEC = load_spec()
ENVELOPE_SCHEMA = {
    "type": "object",
    "required": ["message", "error", "statusCode"],
    "additionalProperties": False,
    "properties": {
        "message": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]
        },
        "error": {"type": "string"},
        "statusCode": {"type": "integer"},
    },
}
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_validators: dict[tuple[str, str, str], jsonschema.Draft7Validator] = {}


def template_for(path: str) -> str | None:
    if len(path) > 1:
        path = path.rstrip("/")
    if path in ("/phone-number", "/v2/phone-number"):
        return path
    if re.fullmatch(r"/phone-number/[^/]+", path):
        return "/phone-number/{id}"
    return None


def response_validator(path: str, method: str, status: str) -> jsonschema.Draft7Validator | None:
    key = (path, method, status)
    if key not in _validators:
        operation = SPEC["paths"][path][method]
        response = operation["responses"].get(status)
        if response is None:
            return None
        schema = dict(response["content"]["application/json"]["schema"])
        schema["components"] = SPEC["components"]
        _validators[key] = jsonschema.Draft7Validator(schema)
    return _validators[key]


def check_phone_number(item: dict[str, Any]) -> None:
    """The checks the schema cannot express: formats of id and timestamps."""
    assert UUID4_RE.match(item["id"]), item["id"]
    assert TIMESTAMP_RE.match(item["createdAt"]), item["createdAt"]
    assert TIMESTAMP_RE.match(item["updatedAt"]), item["updatedAt"]
    assert item["updatedAt"] >= item["createdAt"]


def validate_response(response: httpx.Response) -> None:
    """Assert that a response matches the OpenAPI document (2xx) or the NestJS envelope (errors)."""
    path = response.request.url.path
    if path.startswith("/__admin"):
        return
    body = response.json()
    if response.status_code >= 400:
        jsonschema.validate(body, ENVELOPE_SCHEMA)
        assert body["statusCode"] == response.status_code
        return
    template = template_for(path)
    assert template is not None, path
    validator = response_validator(template, response.request.method.lower(), str(response.status_code))
    assert validator is not None, f"{response.request.method} {template} never answers {response.status_code}"
    validator.validate(body)
    items = body if isinstance(body, list) else body.get("results", [body])
    for item in items:
        check_phone_number(item)


def _hook(response: httpx.Response) -> None:
    response.read()
    validate_response(response)


def auth(key: str = DEMO_API_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


ORG_A, ORG_B = "org-a", "org-b"
KEY_A, KEY_B = "key-a", "key-b"
TEST_CONFIG = EmulatorConfig(
    activation_delay_seconds=0.05, api_keys={DEMO_API_KEY: DEMO_ORG_ID, KEY_A: ORG_A, KEY_B: ORG_B}
)


@pytest.fixture(scope="session")
def served_emulator() -> Iterator[RunningEmulator]:
    """One emulator for the session on a free loopback port, in a thread."""
    with serve_in_thread(TEST_CONFIG) as running:
        yield running


@pytest.fixture
def emulator(served_emulator: RunningEmulator) -> RunningEmulator:
    """The session emulator, reset to an empty store, zero metrics and `TEST_CONFIG`."""
    served_emulator.reset()
    return served_emulator


@pytest.fixture
def make_client(emulator: RunningEmulator) -> Iterator[Callable[..., httpx.Client]]:
    """Build contract-checked clients for `emulator` (optionally with another key or none)."""
    clients: list[httpx.Client] = []

    def make(key: str | None = DEMO_API_KEY, **kwargs: Any) -> httpx.Client:
        headers = {**(auth(key) if key is not None else {}), **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 10)
        hooks = {"response": [_hook]}
        client = httpx.Client(base_url=emulator.url, headers=headers, event_hooks=hooks, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., httpx.Client]) -> httpx.Client:
    """A contract-checked client with the demo key."""
    return make_client()


@pytest.fixture
def raw_client(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    """A client without contract checks (for malformed requests)."""
    with httpx.Client(base_url=emulator.url, timeout=10) as raw:
        yield raw


SIP_USER = "emulator-user-0001-abcd"  # 23 characters: within SipAuthentication's 20-40
SIP_PASSWORD = "emulator-password-0001"


def vapi_sip(username: str = "support", **extra: Any) -> dict[str, Any]:
    return {"provider": "vapi", "sipUri": f"sip:{username}@sip.vapi.ai", **extra}


def vapi_area(code: str = "415", **extra: Any) -> dict[str, Any]:
    return {"provider": "vapi", "numberDesiredAreaCode": code, **extra}


BODIES: dict[str, dict[str, Any]] = {
    "vapi": vapi_sip("bodies"),
    "twilio": {
        "provider": "twilio",
        "number": "+14155550100",
        "twilioAccountSid": "AC0000000000000000000000000000000",
        "twilioAuthToken": "token-secret",
    },
    "vonage": {"provider": "vonage", "number": "14155550101", "credentialId": "cred-vonage"},
    "telnyx": {"provider": "telnyx", "number": "+14155550102", "credentialId": "cred-telnyx"},
    "byo-phone-number": {
        "provider": "byo-phone-number",
        "number": "+14155550103",
        "credentialId": "cred-byo",
    },
}
