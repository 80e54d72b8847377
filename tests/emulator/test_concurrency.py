"""Many parallel clients: no lost writes, no duplicate winners, and a data file that is always valid JSON."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from vapi_emulator import EmulatorConfig, serve_in_thread

from .conftest import auth, vapi_sip

THREADS = 20
REQUESTS_PER_THREAD = 25


def worker(url, index):
    """25 requests: 5 creates, 10 patches, 5 gets, 5 deletes (of the first two numbers, then 404s)."""
    created = []
    statuses = []
    with httpx.Client(base_url=url, headers=auth(), timeout=30) as client:
        for j in range(5):
            response = client.post("/phone-number", json=vapi_sip(f"t{index}-n{j}", name=f"t{index} n{j}"))
            statuses.append(response.status_code)
            created.append(response.json()["id"])
        for round_ in range(2):
            for j, number_id in enumerate(created):
                body = (
                    {"assistantId": f"asst-{index}-{j}"} if round_ == 0 else {"name": f"t{index} n{j} final"}
                )
                statuses.append(client.patch(f"/phone-number/{number_id}", json=body).status_code)
        for number_id in created:
            statuses.append(client.get(f"/phone-number/{number_id}").status_code)
        for number_id in [created[0], created[1], created[0], created[1], created[0]]:
            statuses.append(client.delete(f"/phone-number/{number_id}").status_code)
    assert len(statuses) == REQUESTS_PER_THREAD
    return index, created, statuses


def test_parallel_clients_lose_no_writes_and_keep_the_file_valid(tmp_path):
    data = tmp_path / "state.json"
    stop = threading.Event()
    file_errors = []

    def watch_file():
        # A reader must never see a half-written file.
        while not stop.is_set():
            if data.exists():
                try:
                    json.loads(data.read_text())
                except ValueError as err:
                    file_errors.append(err)

    with serve_in_thread(EmulatorConfig(data_file=data)) as emulator:
        watcher = threading.Thread(target=watch_file)
        watcher.start()
        try:
            with ThreadPoolExecutor(THREADS) as pool:
                results = list(pool.map(lambda i: worker(emulator.url, i), range(THREADS)))
        finally:
            stop.set()
            watcher.join()
        metrics = emulator.metrics()
        in_memory = {n["id"]: n for n in emulator.numbers()}

    assert file_errors == []
    assert metrics["total"] == THREADS * REQUESTS_PER_THREAD
    expected = {}
    for index, created, statuses in results:
        assert statuses == [201] * 5 + [200] * 10 + [200] * 5 + [200, 200, 404, 404, 404]
        for j, number_id in enumerate(created[2:], start=2):
            expected[number_id] = (f"t{index} n{j} final", f"asst-{index}-{j}")
    assert {k: (v["name"], v["assistantId"]) for k, v in in_memory.items()} == expected
    stored = json.loads(data.read_text())
    assert {
        n["data"]["id"]: (n["data"]["name"], n["data"]["assistantId"]) for n in stored["numbers"]
    } == expected
    with serve_in_thread(EmulatorConfig(data_file=data)) as restarted:
        assert {n["id"] for n in restarted.numbers()} == set(expected)


def test_concurrent_creates_of_one_sip_uri_have_exactly_one_winner(emulator):
    def create(_):
        with httpx.Client(base_url=emulator.url, headers=auth(), timeout=30) as client:
            return client.post("/phone-number", json=vapi_sip("contested")).status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(create, range(32)))
    assert sorted(statuses) == [201] + [400] * 31


def test_concurrent_area_code_creates_respect_the_quota(emulator):
    def create(_):
        with httpx.Client(base_url=emulator.url, headers=auth(), timeout=30) as client:
            return client.post(
                "/phone-number", json={"provider": "vapi", "numberDesiredAreaCode": "415"}
            ).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(create, range(24)))
    assert statuses.count(201) == 5
    assert statuses.count(400) == 19
