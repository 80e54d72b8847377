"""Armed fault rules (a status on the Nth request of a route, auth failure from request K, delays, drops),
the list lag and the configurable body limit, in process and over the admin API, including a separate
`python -m vapi_emulator` process."""

from __future__ import annotations

import time

import httpx
import pytest

from vapi_emulator import DEFAULT_ADMIN_TOKEN, ROUTES

from .conftest import KEY_A, auth, vapi_sip
from .test_persistence import start_cli, stop_cli

ADMIN = {"X-Admin-Token": DEFAULT_ADMIN_TOKEN}
NOT_FOUND = {"message": "Phone number not found", "error": "Not Found", "statusCode": 404}
INVALID_KEY = {
    "message": (
        "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa."
    ),
    "error": "Unauthorized",
    "statusCode": 401,
}


@pytest.fixture
def admin(emulator):
    with httpx.Client(base_url=f"{emulator.url}/__admin", headers=ADMIN, timeout=10) as admin_client:
        yield admin_client


def test_routes_are_named_as_the_metrics_name_them():
    assert ROUTES == (
        "POST /phone-number",
        "GET /phone-number",
        "GET /v2/phone-number",
        "GET /phone-number/{id}",
        "PATCH /phone-number/{id}",
        "DELETE /phone-number/{id}",
    )


# -- a status on the Nth request of a route ------------------------------------------------------------


def test_404_on_the_second_get_by_id_the_activation_poll(client, emulator):
    emulator.fail_on("GET /phone-number/{id}", 404, nth=2)
    number = client.post("/phone-number", json=vapi_sip()).json()
    first = client.get(f"/phone-number/{number['id']}")
    second = client.get(f"/phone-number/{number['id']}")
    third = client.get(f"/phone-number/{number['id']}")
    assert [first.status_code, second.status_code, third.status_code] == [200, 404, 200]
    assert second.json() == NOT_FOUND
    assert emulator.metrics()["requests"] == {
        "POST /phone-number 201": 1,
        "GET /phone-number/{id} 200": 2,
        "GET /phone-number/{id} 404": 1,
    }
    assert emulator.numbers()[0]["id"] == number["id"]  # the number itself is untouched


def test_401_on_the_second_get_by_id_has_vapis_envelope(client, emulator):
    emulator.fail_on("GET /phone-number/{id}", 401, nth=2)
    number = client.post("/phone-number", json=vapi_sip()).json()
    assert client.get(f"/phone-number/{number['id']}").status_code == 200
    response = client.get(f"/phone-number/{number['id']}")
    assert (response.status_code, response.json()) == (401, INVALID_KEY)


def test_500_on_the_first_list_only_counts_that_route(client, emulator):
    emulator.fail_on("GET /phone-number", 500)
    assert client.post("/phone-number", json=vapi_sip()).status_code == 201
    assert client.get("/v2/phone-number").status_code == 200  # another route: not counted
    response = client.get("/phone-number")
    assert response.status_code == 500
    assert response.json() == {
        "message": "Internal server error",
        "error": "Internal Server Error",
        "statusCode": 500,
    }
    assert client.get("/phone-number").status_code == 200
    assert emulator.faults()["rules"] == []  # used up, disarmed


def test_status_with_own_message_body_and_headers(client, emulator):
    emulator.fail_on("GET /phone-number", 409, message="Conflict happened", headers={"X-Why": "test"})
    emulator.fail_on("GET /phone-number", 502, nth=1, body={"weird": True})
    emulator.fail_on("GET /phone-number", 429, nth=3)
    first = client.get("/phone-number")
    assert first.status_code == 409
    assert first.json() == {"message": "Conflict happened", "error": "Conflict", "statusCode": 409}
    assert first.headers["x-why"] == "test"
    # the second rule also counted the first request (it lost to the first rule), so its turn is over
    assert client.get("/phone-number").status_code == 200
    third = client.get("/phone-number")
    assert (third.status_code, third.headers["retry-after"]) == (429, "1")
    assert third.json()["message"] == "Rate limit exceeded"


def test_verbatim_body(raw_client, emulator):
    emulator.fail_on("GET /phone-number", 502, body={"weird": True})
    response = raw_client.get("/phone-number", headers=auth())
    assert (response.status_code, response.json()) == (502, {"weird": True})


def test_times_and_forever(client, emulator):
    emulator.fail_on("DELETE /phone-number/{id}", 503, nth=2, times=2)
    emulator.fail_on("PATCH /phone-number/{id}", 500, times=None)
    ids = [client.post("/phone-number", json=vapi_sip(f"n{i}")).json()["id"] for i in range(4)]
    assert [client.delete(f"/phone-number/{i}").status_code for i in ids] == [200, 503, 503, 200]
    assert [client.patch(f"/phone-number/{ids[1]}", json={}).status_code for _ in range(3)] == [500] * 3
    emulator.clear_faults()
    assert client.patch(f"/phone-number/{ids[1]}", json={}).status_code == 200


def test_commit_then_fail_stores_the_create_and_answers_the_error(client, emulator):
    emulator.fail_on("POST /phone-number", 500, commit=True)
    response = client.post("/phone-number", json=vapi_sip("committed"))
    assert response.status_code == 500
    assert [n["sipUri"] for n in emulator.numbers()] == ["sip:committed@sip.vapi.ai"]
    assert emulator.metrics()["requests"] == {"POST /phone-number 500": 1}


def test_without_commit_nothing_is_stored(client, emulator):
    emulator.fail_on("POST /phone-number", 500)
    assert client.post("/phone-number", json=vapi_sip()).status_code == 500
    assert emulator.numbers() == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"route": "GET /phone-numbers", "status": 500}, "route must be one of POST /phone-number"),
        ({"route": "GET /phone-number", "status": 200}, "status must be an HTTP error status"),
        ({"route": "GET /phone-number", "status": 500, "nth": 0}, "nth must be an integer >= 1"),
        ({"route": "GET /phone-number", "status": 500, "times": 0}, "times must be an integer >= 1"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(emulator, kwargs, message):
    with pytest.raises(ValueError, match=message):
        emulator.fail_on(**kwargs)
    assert emulator.faults()["rules"] == []


# -- auth failure from request K -----------------------------------------------------------------------


def test_auth_fails_from_request_k_on_over_all_routes_until_reset(client, emulator):
    emulator.fail_auth_from(3)
    number = client.post("/phone-number", json=vapi_sip()).json()  # 1
    assert client.get("/phone-number").status_code == 200  # 2
    answers = [
        client.get(f"/phone-number/{number['id']}"),
        client.patch(f"/phone-number/{number['id']}", json={"name": "x"}),
        client.get("/v2/phone-number"),
        client.delete(f"/phone-number/{number['id']}"),
        client.post("/phone-number", json=vapi_sip("other")),
    ]
    assert [(r.status_code, r.json()) for r in answers] == [(401, INVALID_KEY)] * 5
    assert len(emulator.numbers()) == 1
    # admin routes are never faulted
    assert httpx.get(f"{emulator.url}/__admin/metrics", headers=ADMIN).status_code == 200
    emulator.reset()
    assert client.get("/phone-number").status_code == 200


def test_auth_failure_from_the_next_request_and_clear(client, emulator):
    emulator.fail_auth_from()
    assert client.get("/phone-number").status_code == 401
    emulator.clear_faults()
    assert client.get("/phone-number").status_code == 200


# -- lists that lag behind creates ---------------------------------------------------------------------


def test_lists_lag_behind_creates_but_get_by_id_finds_them(client, emulator):
    old = client.post("/phone-number", json=vapi_sip("old")).json()
    time.sleep(0.5)
    emulator.configure(list_lag_seconds=0.4)  # `old` is older than the lag: listed
    new = client.post("/phone-number", json=vapi_sip("new")).json()
    assert [n["id"] for n in client.get("/phone-number").json()] == [old["id"]]
    paged = client.get("/v2/phone-number").json()
    assert [n["id"] for n in paged["results"]] == [old["id"]]
    assert paged["metadata"]["totalItems"] == 1
    assert client.get(f"/phone-number/{new['id']}").status_code == 200
    time.sleep(0.45)
    assert [n["id"] for n in client.get("/phone-number").json()] == [new["id"], old["id"]]


# -- responses slower than the client's timeout --------------------------------------------------------


def _wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_delay_without_commit_leaves_nothing_behind_a_client_that_timed_out(emulator, make_client):
    emulator.delay_on("POST /phone-number", 0.6)
    impatient = make_client(timeout=0.2)
    with pytest.raises(httpx.ReadTimeout):
        impatient.post("/phone-number", json=vapi_sip("late"))
    _wait_for(lambda: emulator.metrics()["total"] == 1)
    time.sleep(0.6)  # past the delay: the request was not handled after all
    assert emulator.numbers() == []
    assert emulator.metrics()["requests"] == {"POST /phone-number abandoned": 1}


def test_delay_with_commit_stores_the_create_before_the_client_times_out(emulator, make_client):
    emulator.delay_on("POST /phone-number", 0.8, commit=True)
    impatient = make_client(timeout=0.2)
    with pytest.raises(httpx.ReadTimeout):
        impatient.post("/phone-number", json=vapi_sip("ghost", name="ghost"))
    assert [n["name"] for n in emulator.numbers()] == ["ghost"]  # committed while the answer waited
    reconciled = make_client().get("/phone-number").json()
    assert [n["name"] for n in reconciled] == ["ghost"]
    # the held answer is sent (to nobody) when the delay is over, and counted with its status
    _wait_for(lambda: "POST /phone-number 201" in emulator.metrics()["requests"])


@pytest.mark.parametrize("commit", [False, True])
def test_delay_for_a_patient_client_is_just_slow(client, emulator, commit):
    emulator.delay_on("GET /phone-number", 0.3, nth=2, commit=commit)
    start = time.perf_counter()
    assert client.get("/phone-number").status_code == 200
    assert time.perf_counter() - start < 0.3
    start = time.perf_counter()
    assert client.post("/phone-number", json=vapi_sip()).status_code == 201  # other route: not delayed
    assert client.get("/phone-number").status_code == 200
    assert time.perf_counter() - start >= 0.3
    assert emulator.metrics()["requests"] == {"GET /phone-number 200": 2, "POST /phone-number 201": 1}


def test_delayed_request_keeps_its_body(client, emulator):
    number = client.post("/phone-number", json=vapi_sip()).json()
    emulator.delay_on("PATCH /phone-number/{id}", 0.1)
    patched = client.patch(f"/phone-number/{number['id']}", json={"name": "after the wait"})
    assert patched.status_code == 200
    assert patched.json()["name"] == "after the wait"


# -- dropped connections -------------------------------------------------------------------------------


def test_drop_without_commit_stores_nothing(client, emulator):
    emulator.drop_on("POST /phone-number", commit=False)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/phone-number", json=vapi_sip())
    assert emulator.numbers() == []
    assert emulator.metrics()["requests"] == {"POST /phone-number dropped": 1}


def test_drop_with_commit_on_another_route(client, emulator):
    number = client.post("/phone-number", json=vapi_sip()).json()
    emulator.drop_on("DELETE /phone-number/{id}")
    with pytest.raises(httpx.RemoteProtocolError):
        client.delete(f"/phone-number/{number['id']}")
    assert emulator.numbers() == []  # the delete happened; its answer never came


def test_queued_drop_waits_for_a_successful_create(client, emulator):
    emulator.fail_next("drop")
    assert client.post("/phone-number", json={"provider": "vapi"}).status_code == 400
    assert emulator.faults()["queuedDrops"] == 1
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/phone-number", json=vapi_sip("dropped"))
    assert emulator.faults()["queuedDrops"] == 0
    assert client.post("/phone-number", json=vapi_sip("answered")).status_code == 201


def test_rules_come_before_the_fail_next_queue(client, emulator):
    emulator.fail_next(503)
    emulator.fail_on("GET /phone-number", 404)
    assert [client.get("/phone-number").status_code for _ in range(3)] == [404, 503, 200]


# -- the body limit ------------------------------------------------------------------------------------


def test_body_limit_is_configurable_and_answers_413_with_the_envelope(client, emulator):
    emulator.configure(max_body_bytes=64)
    small = client.post("/phone-number", json=vapi_sip())
    assert small.status_code == 201
    response = client.post("/phone-number", json=vapi_sip("big", name="x" * 60))
    assert response.status_code == 413
    assert response.json() == {
        "message": "request entity too large",
        "error": "Payload Too Large",
        "statusCode": 413,
    }
    assert len(emulator.numbers()) == 1
    with pytest.raises(ValueError, match="max_body_bytes must be at least 1"):
        emulator.configure(max_body_bytes=0)


# -- over the admin API --------------------------------------------------------------------------------


def test_every_fault_kind_over_http(client, emulator, admin):
    rules = [
        {"kind": "status", "route": "GET /phone-number/{id}", "status": 404, "nth": 2},
        {"kind": "delay", "route": "GET /phone-number", "seconds": 0.2},
        {"kind": "drop", "route": "DELETE /phone-number/{id}", "commit": False},
        {"kind": "auth", "nth": 7},
    ]
    for rule in rules:
        response = admin.post("/faults", json=rule)
        assert response.status_code == 201, response.text
    listed = admin.get("/faults").json()
    assert [r["kind"] for r in listed["rules"]] == ["status", "delay", "drop", "auth"]
    assert listed["rules"][3] == {
        "kind": "auth",
        "route": None,
        "nth": 7,
        "times": None,
        "status": 401,
        "commit": False,
        "seen": 0,
        "fired": 0,
    }
    number = client.post("/phone-number", json=vapi_sip()).json()  # 1
    assert client.get(f"/phone-number/{number['id']}").status_code == 200  # 2
    assert client.get(f"/phone-number/{number['id']}").status_code == 404  # 3
    start = time.perf_counter()
    assert client.get("/phone-number").status_code == 200  # 4
    assert time.perf_counter() - start >= 0.2
    with pytest.raises(httpx.RemoteProtocolError):
        client.delete(f"/phone-number/{number['id']}")  # 5
    assert len(emulator.numbers()) == 1  # dropped before it was handled
    assert client.get("/phone-number").status_code == 200  # 6
    assert client.get("/phone-number").status_code == 401  # 7
    assert admin.get("/faults").json()["rules"][0]["kind"] == "auth"  # the others are used up
    assert admin.delete("/faults").json() == {"rules": [], "queued": [], "queuedDrops": 0}
    assert client.get("/phone-number").status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "kind must be one of status, auth, delay, drop; got None"),
        ({"kind": "status", "route": "GET /phone-number"}, "status must be an HTTP error status"),
        ({"kind": "delay", "route": "GET /phone-number"}, "seconds must be a number of seconds"),
        ({"kind": "delay", "seconds": 1, "status": 500}, "unknown field(s) for a delay fault: status"),
        ({"kind": "auth", "route": "GET /phone-number"}, "unknown field(s) for a auth fault: route"),
        ({"kind": "drop", "commit": "yes"}, "commit must be true or false"),
        ({"kind": "status", "status": 500, "headers": {"a": 1}}, "headers must be an object of strings"),
    ],
)
def test_bad_faults_over_http_get_400_naming_the_field(admin, body, message):
    response = admin.post("/faults", json=body)
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    assert admin.get("/faults").json()["rules"] == []


def test_new_config_fields_over_http(client, admin):
    changed = admin.post("/config", json={"list_lag_seconds": 5, "max_body_bytes": 100, "mask_secrets": True})
    assert changed.status_code == 200
    assert (changed.json()["list_lag_seconds"], changed.json()["max_body_bytes"]) == (5.0, 100)
    assert changed.json()["mask_secrets"] is True
    client.post("/phone-number", json=vapi_sip())
    assert client.get("/phone-number").json() == []
    assert admin.post("/config", json={"mask_secrets": "yes"}).status_code == 400


def test_a_separate_process_is_driven_over_the_admin_api():
    process, url = start_cli("--activation-delay", "0", "--api-key", f"{KEY_A}=org-a")
    try:
        with (
            httpx.Client(base_url=url, headers=auth(KEY_A), timeout=5) as client,
            httpx.Client(base_url=f"{url}/__admin", headers=ADMIN, timeout=5) as admin,
        ):
            assert admin.post("/faults", json={"kind": "status", "route": "POST /phone-number",
                                               "status": 500, "commit": True}).status_code == 201  # fmt: skip
            assert admin.post("/faults", json={"kind": "auth", "nth": 3}).status_code == 201
            assert client.post("/phone-number", json=vapi_sip("cli")).status_code == 500
            assert [n["sipUri"] for n in client.get("/phone-number").json()] == ["sip:cli@sip.vapi.ai"]
            assert client.get("/phone-number").status_code == 401
            assert admin.get("/metrics").json()["requests"] == {
                "GET /phone-number 200": 1,
                "GET /phone-number 401": 1,
                "POST /phone-number 500": 1,
            }
    finally:
        stop_cli(process)
