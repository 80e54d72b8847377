"""Latency, injected 429/500/503, and the ambiguous create (stored, then the connection dropped)."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from vapi_emulator import EmulatorConfig, serve_in_thread

from .conftest import KEY_A, vapi_sip


def test_injected_429_has_the_envelope_and_retry_after(client, emulator):
    emulator.configure(rate_429=1.0, retry_after_seconds=3)
    response = client.get("/phone-number")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert response.json() == {
        "message": "Rate limit exceeded",
        "error": "Too Many Requests",
        "statusCode": 429,
    }


@pytest.mark.parametrize(
    ("field", "status", "body"),
    [
        (
            "rate_500",
            500,
            {"message": "Internal server error", "error": "Internal Server Error", "statusCode": 500},
        ),
        (
            "rate_503",
            503,
            {"message": "Service Unavailable", "error": "Service Unavailable", "statusCode": 503},
        ),
    ],
)
def test_injected_server_errors(client, emulator, field, status, body):
    emulator.configure(**{field: 1.0})
    response = client.post("/phone-number", json=vapi_sip())
    assert response.status_code == status
    assert response.json() == body
    assert emulator.numbers() == []  # a fault is answered before anything is stored


def test_fault_rates_are_reproducible_with_a_seed(client, emulator):
    def run():
        emulator.configure(rate_429=0.2, rate_500=0.2, rate_503=0.2, fault_seed=7)
        return [client.get("/phone-number").status_code for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert {200, 429, 500, 503} <= set(first)


def test_fault_rates_roughly_match(client, emulator):
    emulator.configure(rate_503=0.5, fault_seed=1)
    statuses = [client.get("/phone-number").status_code for _ in range(200)]
    assert 60 < statuses.count(503) < 140


def test_fail_next_injects_exactly_n_faults(client, emulator):
    emulator.fail_next(429, times=2)
    statuses = [client.get("/phone-number").status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    with pytest.raises(ValueError):
        emulator.fail_next(404)


def test_fail_next_can_set_headers(client, emulator):
    emulator.fail_next(429, headers={"Retry-After": "0", "X-RateLimit-Reset": "5"})
    response = client.get("/phone-number")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "0"
    assert response.headers["x-ratelimit-reset"] == "5"
    admin = httpx.post(
        f"{emulator.url}/__admin/fail-next",
        json={"status": 503, "headers": {"Retry-After": "2"}},
        headers={"X-Admin-Token": "vapi-emulator-admin"},
    )
    assert admin.status_code == 200
    response = client.get("/phone-number")
    assert (response.status_code, response.headers["retry-after"]) == (503, "2")


def test_latency_is_added_to_public_routes_only(client, emulator):
    emulator.configure(latency_seconds=0.15)
    start = time.perf_counter()
    client.get("/phone-number")
    assert time.perf_counter() - start >= 0.15
    start = time.perf_counter()
    httpx.get(f"{emulator.url}/__admin/metrics", headers={"X-Admin-Token": "vapi-emulator-admin"})
    assert time.perf_counter() - start < 0.15


def test_jittered_latency_stays_in_range(client, emulator):
    emulator.configure(latency_seconds=0.02, latency_jitter_seconds=0.05, fault_seed=3)
    for _ in range(5):
        start = time.perf_counter()
        client.get("/phone-number")
        assert 0.02 <= time.perf_counter() - start < 0.5


def test_latency_does_not_serialise_concurrent_requests(emulator, make_client):
    emulator.configure(latency_seconds=0.3)
    import concurrent.futures

    client = make_client(limits=httpx.Limits(max_connections=10))
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: client.get("/phone-number").status_code, range(8)))
    assert statuses == [200] * 8
    assert time.perf_counter() - start < 1.5


def test_faults_never_apply_to_admin_routes(emulator):
    emulator.configure(rate_500=1.0)
    response = httpx.get(f"{emulator.url}/__admin/metrics", headers={"X-Admin-Token": "vapi-emulator-admin"})
    assert response.status_code == 200


def test_ambiguous_create_stores_the_number_then_drops_the_connection(client, emulator):
    emulator.configure(drop_after_create_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/phone-number", json=vapi_sip("ambiguous", name="ambiguous"))
    stored = emulator.numbers()
    assert [n["name"] for n in stored] == ["ambiguous"]
    emulator.configure(drop_after_create_rate=0)
    listed = client.get("/phone-number").json()
    assert [n["id"] for n in listed] == [stored[0]["id"]]
    assert emulator.metrics()["requests"] == {"POST /phone-number dropped": 1, "GET /phone-number 200": 1}


def test_drop_applies_only_to_successful_creates(client, emulator):
    emulator.configure(drop_after_create_rate=1.0)
    assert client.post("/phone-number", json={"provider": "vapi"}).status_code == 400
    assert client.get("/phone-number").status_code == 200


def test_dropped_create_seen_from_a_raw_socket_gets_no_bytes(emulator):
    emulator.fail_next("drop")
    host, port = emulator.url.removeprefix("http://").split(":")
    body = b'{"provider":"vapi","sipUri":"sip:raw@sip.vapi.ai"}'
    request = (
        b"POST /phone-number HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + KEY_A.encode()
        + b"\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
    assert received == b""
    assert [n["sipUri"] for n in emulator.numbers()] == ["sip:raw@sip.vapi.ai"]


def test_a_client_can_reconcile_after_a_dropped_create(client, emulator):
    emulator.fail_next("drop")
    with pytest.raises(httpx.TransportError):
        client.post("/phone-number", json=vapi_sip("reconcile"))
    found = [n for n in client.get("/phone-number").json() if n.get("sipUri") == "sip:reconcile@sip.vapi.ai"]
    assert len(found) == 1
    # the server is healthy afterwards, on new and pooled connections alike
    assert client.post("/phone-number", json=vapi_sip("after")).status_code == 201


def test_faults_can_be_configured_at_start():
    config = EmulatorConfig(rate_429=1.0, retry_after_seconds=0.5)
    with serve_in_thread(config) as emulator:
        response = httpx.get(f"{emulator.url}/phone-number")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "1"


def test_configure_rejects_unknown_or_fixed_fields(emulator):
    with pytest.raises(ValueError, match="unknown or fixed"):
        emulator.configure(data_file="x")
    with pytest.raises(ValueError, match="between 0 and 1"):
        emulator.configure(rate_429=2)
    with pytest.raises(ValueError, match="must not exceed 1"):
        emulator.configure(rate_429=0.6, rate_500=0.6)
