"""Throughput of vapi_emulator under mixed CRUD from concurrent keep-alive clients on loopback.

Usage::

    .venv/bin/python benchmarks/emulator_throughput.py            # emulator in a separate process
    .venv/bin/python benchmarks/emulator_throughput.py --in-thread --requests 3000 --concurrency 8

Each worker repeats one cycle of five requests against the API (create, get, patch, list with limit 10,
delete), so the mix is 20 % POST, 40 % GET, 20 % PATCH, 20 % DELETE. Creates alternate between SIP-only vapi
numbers and imported numbers (vonage, twilio), so no quota or activation gets in the way. The run stops after
`--requests` requests or `--seconds` seconds, whichever comes first, and prints one summary line plus the
status counts. Latency injection is off (latency 0) and no faults are configured.

By default the emulator runs as its own process (`python -m vapi_emulator --port 0`), the way users and the
e2e tests run it, and the load comes from `--processes` client processes with `--concurrency` threads each;
with `--in-thread`, it is served by `serve_in_thread` inside the benchmark process instead (so client and
server share one interpreter and its GIL, which understates the server's capacity).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread  # noqa: E402


def _body(worker: str, cycle: int) -> dict[str, Any]:
    kind = cycle % 3
    if kind == 0:
        return {"provider": "vapi", "sipUri": f"sip:bench-{worker}-{cycle}@sip.vapi.ai", "name": "bench"}
    if kind == 1:
        return {"provider": "vonage", "number": f"1415{cycle:07d}", "credentialId": "cred", "name": "bench"}
    return {
        "provider": "twilio",
        "number": f"+1415{cycle % 10_000_000:07d}",
        "twilioAccountSid": "AC" + "0" * 32,
        "twilioAuthToken": "token",
    }


def _worker(
    url: str, name: str, budget: list[int], lock: threading.Lock, deadline: float
) -> tuple[Counter[str], list[float]]:
    statuses: Counter[str] = Counter()
    latencies: list[float] = []

    def take() -> bool:
        with lock:
            if budget[0] < 5 or time.monotonic() >= deadline:
                return False
            budget[0] -= 5
            return True

    def timed(client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
        start = time.perf_counter()
        response = client.request(method, path, **kwargs)
        latencies.append(time.perf_counter() - start)
        statuses[f"{method} {response.status_code}"] += 1
        return response

    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        cycle = 0
        while take():
            created = timed(client, "POST", "/phone-number", json=_body(name, cycle)).json()
            number_id = created["id"]
            timed(client, "GET", f"/phone-number/{number_id}")
            timed(client, "PATCH", f"/phone-number/{number_id}", json={"name": f"bench {cycle}"})
            timed(client, "GET", "/phone-number", params={"limit": 10})
            timed(client, "DELETE", f"/phone-number/{number_id}")
            cycle += 1
    return statuses, latencies


def _client_process(
    url: str, index: int, concurrency: int, requests: int, seconds: float, queue: Any
) -> None:
    budget = [requests]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    results: list[tuple[Counter[str], list[float]]] = []

    def run(thread: int) -> None:
        results.append(_worker(url, f"p{index}t{thread}", budget, lock, deadline))

    threads = [threading.Thread(target=run, args=(t,)) for t in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    for counts, lats in results:
        statuses.update(counts)
        latencies.extend(lats)
    queue.put((dict(statuses), latencies))


def _start_server(data: Path | None) -> tuple[subprocess.Popen[str], str]:
    extra = ["--data", str(data)] if data is not None else []
    process = subprocess.Popen(
        [sys.executable, "-m", "vapi_emulator", "--host", "127.0.0.1", "--port", "0", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("vapi_emulator listening on "):
        process.kill()
        raise SystemExit(f"emulator did not start: {line!r}")
    return process, line.rsplit(" ", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=10_000, help="total request budget (default 10000)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time budget (default 30 s)")
    parser.add_argument("--processes", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads per process (default 8)")
    parser.add_argument("--in-thread", action="store_true", help="serve the emulator in this process")
    parser.add_argument("--data", type=Path, help="persist to this data file (measures the fsync cost)")
    args = parser.parse_args()

    running = None
    server = None
    if args.in_thread:
        running = serve_in_thread(EmulatorConfig(data_file=args.data))
        url = running.url
    else:
        server, url = _start_server(args.data)
    try:
        httpx.get(
            f"{url}/phone-number", headers={"Authorization": f"Bearer {DEMO_API_KEY}"}
        ).raise_for_status()
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        per_process = args.requests // args.processes
        started = time.perf_counter()
        processes = [
            context.Process(
                target=_client_process, args=(url, i, args.concurrency, per_process, args.seconds, queue)
            )
            for i in range(args.processes)
        ]
        for process in processes:
            process.start()
        collected = [queue.get() for _ in processes]
        elapsed = time.perf_counter() - started
        for process in processes:
            process.join()
    finally:
        if running is not None:
            running.stop()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=15)

    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    for counts, lats in collected:
        statuses.update(counts)
        latencies.extend(lats)
    total = sum(statuses.values())
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    mode = "in-thread" if args.in_thread else "separate process"
    if args.data is not None:
        mode += ", with --data"
    print(
        f"{total} requests in {elapsed:.2f} s = {total / elapsed:.0f} req/s "
        f"(server: {mode}; clients: {args.processes} processes x {args.concurrency} threads; "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; cpus {os.cpu_count()})"
    )
    print("statuses:", dict(sorted(statuses.items())))


if __name__ == "__main__":
    main()
