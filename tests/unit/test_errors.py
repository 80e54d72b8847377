from __future__ import annotations

import httpx
import pytest

from vapi_provider import errors
from vapi_provider.errors import APIStatusError, InternalServerError, make_status_error


def _response(status: int, body: object | None = None) -> httpx.Response:
    if body is None:
        return httpx.Response(status, text="plain text")
    return httpx.Response(status, json=body)


@pytest.mark.parametrize(("status", "cls"), sorted(errors._STATUS_TO_ERROR.items()))
def test_errors_every_status_map_entry_is_reachable(status, cls):
    err = make_status_error(
        "GET", "/phone-number/x", _response(status, {"message": "m", "statusCode": status})
    )
    assert type(err) is cls
    assert err.status_code == status
    assert cls.status_code == status


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
def test_errors_5xx_is_internal_server_error(status):
    assert type(make_status_error("GET", "/p", _response(status))) is InternalServerError


def test_errors_unmapped_4xx_is_the_base_status_error():
    err = make_status_error("GET", "/p", _response(418, {"message": "teapot"}))
    assert type(err) is APIStatusError
    assert err.status_code == 418


def test_errors_message_names_method_path_status_and_vapi_message():
    err = make_status_error(
        "PATCH",
        "/phone-number/abc",
        _response(404, {"message": "Phone number not found", "error": "Not Found"}),
    )
    assert str(err) == "PATCH /phone-number/abc failed with 404: Phone number not found"


def test_errors_message_joins_class_validator_arrays():
    body = {"message": ["name must be shorter", "property x should not exist"], "error": "Bad Request"}
    assert str(make_status_error("POST", "/phone-number", _response(400, body))).endswith(
        "name must be shorter; property x should not exist"
    )


def test_errors_message_masks_echoed_secrets():
    body = {"message": "bad password supersecretvalue123"}
    err = make_status_error("POST", "/phone-number", _response(400, body), secrets=("supersecretvalue123",))
    assert "supersecretvalue123" not in str(err)


def test_errors_non_json_body_falls_back_to_reason_phrase():
    assert str(make_status_error("GET", "/p", _response(502))).endswith("failed with 502: Bad Gateway")


def test_errors_tree_is_documented_for_every_public_class():
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type):
            assert name in (errors.__doc__ or ""), name
            assert obj.__doc__
