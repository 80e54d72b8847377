"""The admin interface under /__admin/ (own token) and its in-process twin on RunningEmulator."""

from __future__ import annotations

import httpx
import pytest

from vapi_emulator import DEFAULT_ADMIN_TOKEN, DEMO_ORG_ID, EmulatorConfig, serve_in_thread

from .conftest import KEY_A, ORG_A, vapi_area, vapi_sip

ADMIN = {"X-Admin-Token": DEFAULT_ADMIN_TOKEN}


@pytest.fixture
def admin(emulator):
    with httpx.Client(base_url=f"{emulator.url}/__admin", headers=ADMIN, timeout=10) as admin_client:
        yield admin_client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/metrics"),
        ("POST", "/metrics/reset"),
        ("GET", "/config"),
        ("POST", "/config"),
        ("POST", "/reset"),
        ("POST", "/fail-next"),
        ("POST", "/faults"),
        ("GET", "/faults"),
        ("DELETE", "/faults"),
        ("GET", "/numbers"),
        ("POST", "/phone-number/00000000-0000-4000-8000-000000000000/block"),
    ],
)
@pytest.mark.parametrize(
    "headers", [{}, {"X-Admin-Token": "wrong"}, {"Authorization": "Bearer vapi-emulator-demo-key"}]
)
def test_admin_routes_need_the_admin_token(emulator, method, path, headers):
    response = httpx.request(method, f"{emulator.url}/__admin{path}", headers=headers, json={})
    assert response.status_code == 401
    assert response.json() == {
        "message": "Invalid or missing X-Admin-Token header.",
        "error": "Unauthorized",
        "statusCode": 401,
    }


def test_admin_token_is_configurable():
    with serve_in_thread(EmulatorConfig(admin_token="t0ken")) as emulator:
        assert httpx.get(f"{emulator.url}/__admin/metrics", headers=ADMIN).status_code == 401
        assert (
            httpx.get(f"{emulator.url}/__admin/metrics", headers={"X-Admin-Token": "t0ken"}).status_code
            == 200
        )


def test_metrics_count_each_public_request_by_route_and_status(client, emulator, admin):
    created = client.post("/phone-number", json=vapi_sip()).json()
    client.get(f"/phone-number/{created['id']}")
    client.get(f"/phone-number/{created['id']}")
    client.get("/phone-number/00000000-0000-4000-8000-000000000000")
    client.patch(f"/phone-number/{created['id']}", json={"name": "m"})
    client.get("/v2/phone-number")
    client.delete(f"/phone-number/{created['id']}")
    client.post("/phone-number", json={})
    client.put("/phone-number")
    client.get("/nowhere")
    expected = {
        "requests": {
            "DELETE /phone-number/{id} 200": 1,
            "GET /phone-number/{id} 200": 2,
            "GET /phone-number/{id} 404": 1,
            "GET /v2/phone-number 200": 1,
            "GET <unknown> 404": 1,
            "PATCH /phone-number/{id} 200": 1,
            "POST /phone-number 201": 1,
            "POST /phone-number 400": 1,
            "PUT /phone-number 404": 1,
        },
        "total": 10,
    }
    assert emulator.metrics() == expected
    assert admin.get("/metrics").json() == expected  # admin requests are not counted


def test_metrics_reset(client, emulator, admin):
    client.get("/phone-number")
    assert admin.post("/metrics/reset").json() == {"requests": {}, "total": 0}
    client.get("/phone-number")
    emulator.reset_metrics()
    assert emulator.metrics() == {"requests": {}, "total": 0}


def test_config_can_be_read_and_changed_over_http(client, admin):
    assert admin.get("/config").json()["free_number_quota"] == 5
    changed = admin.post("/config", json={"rate_503": 1.0, "exhausted_area_codes": ["212"]}).json()
    assert changed["rate_503"] == 1.0
    assert changed["exhausted_area_codes"] == ["212"]
    assert client.get("/phone-number").status_code == 503
    admin.post("/config", json={"rate_503": 0})
    assert client.post("/phone-number", json=vapi_area("212")).status_code == 400


def test_config_rejects_bad_fields_over_http(admin):
    response = admin.post("/config", json={"admin_token": "x"})
    assert response.status_code == 400
    assert response.json()["message"] == "unknown or fixed config field(s): admin_token"
    assert admin.post("/config", json={"latency_seconds": "slow"}).status_code == 400
    assert admin.post("/config", json=[1]).status_code == 400


def test_fail_next_over_http(client, admin):
    assert admin.post("/fail-next", json={"status": 500, "times": 2}).status_code == 200
    assert [client.get("/phone-number").status_code for _ in range(3)] == [500, 500, 200]
    assert admin.post("/fail-next", json={"status": 418}).status_code == 400
    assert admin.post("/fail-next", json={"status": "drop"}).status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/phone-number", json=vapi_sip("dropped"))


def test_numbers_lists_every_org_or_one(make_client, emulator, admin):
    make_client().post("/phone-number", json=vapi_sip("demo"))
    make_client(KEY_A).post("/phone-number", json=vapi_sip("org-a"))
    assert [n["orgId"] for n in admin.get("/numbers").json()] == [DEMO_ORG_ID, ORG_A]
    assert [n["orgId"] for n in admin.get("/numbers", params={"orgId": ORG_A}).json()] == [ORG_A]
    assert [n["orgId"] for n in emulator.numbers(ORG_A)] == [ORG_A]


def test_block_over_http(client, admin):
    number = client.post("/phone-number", json=vapi_sip("blockme")).json()
    blocked = admin.post(f"/phone-number/{number['id']}/block")
    assert blocked.status_code == 200
    assert blocked.json()["status"] == "blocked"
    assert client.get(f"/phone-number/{number['id']}").json()["status"] == "blocked"
    missing = admin.post("/phone-number/00000000-0000-4000-8000-000000000000/block")
    assert missing.status_code == 404


def test_block_in_process_raises_for_unknown_ids(emulator):
    with pytest.raises(KeyError):
        emulator.block("00000000-0000-4000-8000-000000000000")


def test_reset_over_http_empties_everything(client, emulator, admin):
    client.post("/phone-number", json=vapi_sip("x"))
    admin.post("/config", json={"rate_429": 1.0})
    assert admin.post("/reset").json() == {"requests": {}, "total": 0}
    assert emulator.numbers() == []
    assert client.get("/phone-number").json() == []
