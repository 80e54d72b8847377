"""A client that goes away halfway through its request: no unhandled exception, no 500, and the server
keeps serving."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from .conftest import KEY_A, vapi_sip


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def server_log():
    """Warnings and errors that uvicorn logs (its loggers do not propagate to pytest's caplog)."""
    handler = _Records()
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def _address(url):
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def _send_half_a_body(url, method="POST", path="/phone-number", declared=4096, sent=b'{"provider": "va'):
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY_A}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n"
    ).encode() + sent
    with socket.create_connection(_address(url), timeout=5) as sock:
        sock.sendall(request)
        time.sleep(0.05)  # let the server start reading the body before the client vanishes


def _wait_for_count(emulator, key, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if key in emulator.metrics()["requests"]:
            return
        time.sleep(0.01)
    raise AssertionError(f"{key!r} never counted: {emulator.metrics()}")


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_client_that_disconnects_mid_body_gets_no_500_and_no_traceback(client, emulator, server_log, method):
    path = "/phone-number"
    if method == "PATCH":
        path = f"/phone-number/{client.post('/phone-number', json=vapi_sip('patched')).json()['id']}"
        emulator.reset_metrics()
    _send_half_a_body(emulator.url, method, path)
    template = "/phone-number" if method == "POST" else "/phone-number/{id}"
    _wait_for_count(emulator, f"{method} {template} abandoned")
    assert emulator.metrics() == {"requests": {f"{method} {template} abandoned": 1}, "total": 1}
    assert [r.getMessage() for r in server_log] == []
    # the server keeps serving, and nothing half-sent was stored
    assert client.post("/phone-number", json=vapi_sip("after")).status_code == 201
    assert [n.get("sipUri") for n in emulator.numbers()][-1] == "sip:after@sip.vapi.ai"
    assert len(emulator.numbers()) == (2 if method == "PATCH" else 1)


def test_many_half_sent_bodies_in_a_row_leave_the_server_healthy(client, emulator, server_log):
    for _ in range(10):
        _send_half_a_body(emulator.url)
    _wait_for_count(emulator, "POST /phone-number abandoned")
    deadline = time.monotonic() + 5
    while emulator.metrics()["total"] < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert emulator.metrics()["requests"] == {"POST /phone-number abandoned": 10}
    assert server_log == []
    assert client.get("/phone-number").status_code == 200


def test_oversized_body_then_disconnect_is_not_a_500(client, emulator, server_log):
    emulator.configure(max_body_bytes=10)
    _send_half_a_body(emulator.url, declared=1000, sent=b'{"provider": "vapi", "name": "xxxxxxxx')
    _wait_for_count(emulator, "POST /phone-number abandoned")
    assert "POST /phone-number 500" not in emulator.metrics()["requests"]
    assert server_log == []
    assert client.get("/phone-number").status_code == 200
