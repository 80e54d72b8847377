"""Bad input gets a Vapi-style 4xx: never a 500, never a crash, never a corrupted data file."""

from __future__ import annotations

import json

import httpx
import pytest

from vapi_emulator import MAX_BODY_BYTES, EmulatorConfig, serve_in_thread

from .conftest import auth, vapi_sip

JSON = {"content-type": "application/json"}


def envelope(status, message):
    return {
        "message": message,
        "error": {400: "Bad Request", 404: "Not Found", 413: "Payload Too Large"}[status],
        "statusCode": status,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{bad", "Unexpected token in JSON at position 1"),
        # trailing commas: at the character after the comma, as V8 says, on every Python (3.13's json
        # module points at the comma itself)
        (b'{"provider": "vapi",}', "Unexpected token in JSON at position 20"),
        (b"[1,]", "Unexpected token in JSON at position 3"),
        (b'{"a": 1 ,  }', "Unexpected token in JSON at position 11"),
        (b"[1, 2 ,\n]", "Unexpected token in JSON at position 8"),
        (b'{"a": [1,], "b": 2}', "Unexpected token in JSON at position 9"),
        (b'{"a":}', "Unexpected token in JSON at position 5"),
        (b'{"a": NaN}', "Unexpected token N in JSON"),
        (b"\xff\xfe{}", "Invalid UTF-8 in JSON at position 0"),
    ],
)
def test_malformed_json_is_400(client, content, message):
    response = client.post("/phone-number", content=content, headers=JSON)
    assert response.status_code == 400
    assert response.json() == envelope(400, message)


def test_malformed_json_on_patch_is_400(client):
    number = client.post("/phone-number", json=vapi_sip()).json()
    response = client.patch(f"/phone-number/{number['id']}", content=b"[", headers=JSON)
    assert response.status_code == 400


def test_deeply_nested_json_is_400(client):
    response = client.post("/phone-number", content=b"[" * 100_000 + b"]" * 100_000, headers=JSON)
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_400(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/phone-number", content=json.dumps(vapi_sip()).encode(), headers=headers)
    assert response.status_code == 400
    shown = content_type or "none"
    assert response.json() == envelope(
        400, f"Unsupported Content-Type {shown}. Send the body as application/json."
    )


def test_json_content_type_with_charset_is_fine(client):
    response = client.post(
        "/phone-number",
        content=json.dumps(vapi_sip()).encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201


def test_empty_body_is_an_empty_object(client):
    response = client.post("/phone-number")
    assert response.status_code == 400
    assert response.json()["message"] == [
        "provider must be one of the following values: byo-phone-number, twilio, vonage, vapi, telnyx"
    ]


@pytest.mark.parametrize("body", [[], "text", 42, None])
def test_non_object_json_body_is_400(client, body):
    response = client.post("/phone-number", json=body)
    assert response.status_code == 400


def test_body_over_one_megabyte_is_413(client, emulator):
    body = vapi_sip(name="x" * (MAX_BODY_BYTES + 10))
    response = client.post("/phone-number", json=body)
    assert response.status_code == 413
    assert response.json() == envelope(413, "request entity too large")
    assert emulator.numbers() == []


def test_streamed_body_over_one_megabyte_without_length_is_413(client):
    def chunks():
        yield b'{"provider": "vapi", "name": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    response = client.post("/phone-number", content=chunks(), headers=JSON)
    assert response.status_code == 413


def test_body_of_exactly_one_megabyte_is_accepted_for_parsing(client):
    prefix = b'{"provider": "vapi", "sipUri": "sip:big@sip.vapi.ai", "name": "'
    filler = b"x" * (MAX_BODY_BYTES - len(prefix) - 2)
    response = client.post("/phone-number", content=prefix + filler + b'"}', headers=JSON)
    assert response.status_code == 400  # parsed and validated: the name is too long
    assert response.json()["message"] == ["name must be shorter than or equal to 40 characters"]


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "00000000-0000-4000-8000-00000000000g", "%20"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_non_uuid_id_is_404(client, method, bad_id):
    response = client.request(method, f"/phone-number/{bad_id}", json={} if method == "PATCH" else None)
    assert response.status_code == 404
    assert response.json() == envelope(404, "Phone number not found")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/phone-number/00000000-0000-4000-8000-000000000000"),
        ("POST", "/phone-number/00000000-0000-4000-8000-000000000000"),
        ("DELETE", "/phone-number"),
        ("PATCH", "/phone-number"),
        ("POST", "/v2/phone-number"),
        ("GET", "/phone-numbers"),
        ("GET", "/phone-number/a/b"),
    ],
)
def test_wrong_method_or_unknown_route_is_nestjs_404(client, method, path):
    response = client.request(method, path)
    assert response.status_code == 404
    assert response.json() == envelope(404, f"Cannot {method} {path}")


def test_trailing_slash_is_tolerated(client):
    assert client.get("/phone-number/").status_code == 200


def test_bad_input_never_corrupts_the_data_file(tmp_path):
    data = tmp_path / "state.json"
    with serve_in_thread(EmulatorConfig(data_file=data)) as emulator:
        with httpx.Client(base_url=emulator.url, headers=auth()) as client:
            client.post("/phone-number", json=vapi_sip("solid"))
            for content in [b"{", b"\x00\x01", b"[" * 5000, b'{"provider":"vapi","sipUri":5}']:
                assert client.post("/phone-number", content=content, headers=JSON).status_code == 400
            assert (
                client.post("/phone-number", json=vapi_sip(name="x" * (2 * MAX_BODY_BYTES))).status_code
                == 413
            )
    stored = json.loads(data.read_text())
    assert [n["data"]["sipUri"] for n in stored["numbers"]] == ["sip:solid@sip.vapi.ai"]
