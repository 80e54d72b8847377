"""Provider benchmark: the Vapi dynamic provider against the engine floor and the API floor.

Run it from the repository root with the project's venv::

    .venv/bin/python benchmarks/provider_bench.py                 # N = 10, 50, 200; writes BENCHMARKS.md
    .venv/bin/python benchmarks/provider_bench.py --quick         # N = 3, to check that everything works
    .venv/bin/python benchmarks/provider_bench.py --from-json r.json   # re-render a saved run

For each N it measures five operations, each through the real `pulumi` CLI (isolated by
`tests.e2e.harness`): `pulumi up` (create), a no-change `pulumi preview`, `pulumi refresh`, an update that
changes every number's assistantId, and `pulumi destroy`. Three things are measured side by side against one
in-process emulator (`vapi_emulator.serve_in_thread`) that adds a fixed latency to every API request:

- ours: `benchmarks/programs/vapi` (N `VapiPhoneNumber` resources): wall time, API requests per operation by
  route and status (emulator metrics), the peak number of requests in flight, state bytes per resource
  (`pulumi stack export`, broken down), and the peak RSS of the dynamic-provider process (`VmHWM` of the
  `python -m pulumi.dynamic` process that this run's engine started, sampled from /proc);
- the engine floor: `benchmarks/programs/noop` (N no-op dynamic resources of the same shape, same steps);
- the API floor: the same HTTP requests made directly with one `httpx.Client` from a pool of as many threads
  as the provider process serves gRPC calls with (4), in a separate process so that it does not share a GIL
  with the emulator.

The report keeps the hand-written text between `<!-- analysis:start -->` and `<!-- analysis:end -->` of an
existing output file, so re-running does not lose the explanations.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(
        0, str(REPO_ROOT)
    )  # run as a script: make `tests.e2e.harness` and the packages importable

PROGRAMS = Path(__file__).resolve().parent / "programs"
OPS = ("create", "preview", "refresh", "update", "destroy")
OUR_TYPE = "pulumi-python:dynamic/vapi:VapiPhoneNumber"
NOOP_TYPE = "pulumi-python:dynamic/bench:Noop"
PROVIDER_KEY = "__provider"
PROVIDER_THREADS = 4
"""gRPC worker threads of `python -m pulumi.dynamic` (SDK: `futures.ThreadPoolExecutor(max_workers=4)`)."""
AREA_CODE_EVERY = 10
"""Number i is an area-code (activating) number when i % AREA_CODE_EVERY == AREA_CODE_EVERY - 1."""
TARGET_RATIO = 1.10
ANALYSIS_START = "<!-- analysis:start -->"
ANALYSIS_END = "<!-- analysis:end -->"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def is_area_code(i: int) -> bool:
    return i % AREA_CODE_EVERY == AREA_CODE_EVERY - 1


def assistant_for(variant: int) -> str:
    return f"00000000-0000-4000-8000-{variant:012d}"


# -- measuring instruments ---------------------------------------------------------------------------------


class InFlightTracker:
    """Peak number of public API requests the emulator is serving at once.

    Wraps the two per-request hooks of the emulator's middleware on the running instance: `roll_latency`
    (called when a request arrives) and `count` (called when it is answered).
    """

    def __init__(self, state: Any) -> None:
        self._lock = threading.Lock()
        self._current = 0
        self.peak = 0
        self.available = hasattr(state, "roll_latency") and hasattr(state, "count")
        if not self.available:
            return
        roll, count = state.roll_latency, state.count

        def roll_and_enter() -> float:
            with self._lock:
                self._current += 1
                self.peak = max(self.peak, self._current)
            return float(roll())

        def count_and_leave(key: str) -> None:
            with self._lock:
                self._current -= 1
            count(key)

        state.roll_latency = roll_and_enter
        state.count = count_and_leave

    def reset(self) -> None:
        with self._lock:
            self.peak = self._current


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ROLES = {"provider": b"pulumi.dynamic", "program": b"pulumi-language-python-exec"}
"""Processes of one pulumi run that are sampled, by a marker in their command line."""


class ProcessSampler:
    """Peak RSS and CPU time of the Python processes started by one isolated pulumi run.

    Scans /proc for the dynamic-provider process (`python -m pulumi.dynamic`) and the program process
    (`python .../pulumi-language-python-exec`) whose environment carries this run's PULUMI_HOME (other
    pulumi runs on the machine have their own). Keeps the largest `VmHWM` (the kernel's own peak-RSS
    counter, so a spike between two samples is not lost) and the last utime + stime seen per process (a
    process that exits loses at most one interval of CPU time).
    """

    def __init__(self, pulumi_home: Path, interval: float = 0.05) -> None:
        self._marker = f"PULUMI_HOME={pulumi_home}".encode()
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="proc-sampler", daemon=True)
        self._ignored: set[int] = set()
        self._role: dict[int, str] = {}
        self.peak_kib: dict[int, int] = {}
        self.cpu_s: dict[int, float] = {}

    def __enter__(self) -> ProcessSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mib(self, role: str) -> float | None:
        peaks = [kib for pid, kib in self.peak_kib.items() if self._role[pid] == role]
        return max(peaks) / 1024 if peaks else None

    def cpu(self, role: str) -> float:
        return sum(cpu for pid, cpu in self.cpu_s.items() if self._role[pid] == role)

    def processes(self, role: str) -> int:
        return sum(1 for r in self._role.values() if r == role)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self._interval)
        self._sample()

    def _classify(self, pid: int) -> str | None:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"pulumi" not in cmdline:
            self._ignored.add(pid)  # not (and never going to be) one of ours
            return None
        role = next((name for name, marker in ROLES.items() if marker in cmdline), None)
        if role is None:
            return None  # the CLI, a plugin shim, or a process between fork and exec: look again later
        if self._marker not in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            self._ignored.add(pid)  # someone else's pulumi run
            return None
        self._role[pid] = role
        return role

    def _sample(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            if pid in self._ignored:
                continue
            try:
                if pid not in self._role and self._classify(pid) is None:
                    continue
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), int(match.group(1)))
            fields = stat.rsplit(")", 1)[1].split()
            self.cpu_s[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


# -- the API floor (runs in a child process) ---------------------------------------------------------------


def api_floor_worker(params: dict[str, Any]) -> dict[str, Any]:
    """The provider's HTTP calls made directly: POST (+ polls), GET, PATCH, DELETE per number."""
    import httpx

    url: str = params["url"]
    n: int = params["n"]
    poll_interval: float = params["poll_interval"]
    headers = {"Authorization": f"Bearer {params['api_key']}", "Accept": "application/json"}
    counts: dict[str, dict[str, int]] = {op: {} for op in OPS}
    lock = threading.Lock()
    ids: dict[int, str] = {}

    def count(op: str, response: httpx.Response, route: str) -> None:
        key = f"{response.request.method} {route} {response.status_code}"
        with lock:
            counts[op][key] = counts[op].get(key, 0) + 1

    with (
        httpx.Client(base_url=url, headers=headers, timeout=30.0) as client,
        ThreadPoolExecutor(max_workers=params["concurrency"]) as pool,
    ):

        def create(i: int) -> None:
            body: dict[str, Any] = {
                "provider": "vapi",
                "name": f"floor-{i:03d}",
                "assistantId": assistant_for(0),
            }
            if is_area_code(i):
                body["numberDesiredAreaCode"] = "415"
            else:
                body["sipUri"] = f"sip:floor-{i:03d}@sip.vapi.ai"
            response = client.post("/phone-number", json=body)
            count("create", response, "/phone-number")
            response.raise_for_status()
            number = response.json()
            while number["status"] == "activating":
                time.sleep(poll_interval)
                response = client.get(f"/phone-number/{number['id']}")
                count("create", response, "/phone-number/{id}")
                response.raise_for_status()
                number = response.json()
            ids[i] = number["id"]

        def refresh(i: int) -> None:
            response = client.get(f"/phone-number/{ids[i]}")
            count("refresh", response, "/phone-number/{id}")
            response.raise_for_status()

        def update(i: int) -> None:
            response = client.patch(f"/phone-number/{ids[i]}", json={"assistantId": assistant_for(1)})
            count("update", response, "/phone-number/{id}")
            response.raise_for_status()

        def destroy(i: int) -> None:
            response = client.delete(f"/phone-number/{ids[i]}")
            count("destroy", response, "/phone-number/{id}")
            response.raise_for_status()

        steps: dict[str, Callable[[int], None] | None] = {
            "create": create,
            "preview": None,  # a no-change preview needs no API call at all
            "refresh": refresh,
            "update": update,
            "destroy": destroy,
        }
        ops: dict[str, Any] = {}
        diagnostics: dict[str, float] = {}
        for op, step in steps.items():
            started = time.perf_counter()
            if step is not None:
                list(pool.map(step, range(n)))
            ops[op] = {"wall_s": time.perf_counter() - started, "requests": dict(sorted(counts[op].items()))}
            if op == "create":
                # Not part of the floor: what one `GET /phone-number?limit=1000` costs with N numbers.
                started = time.perf_counter()
                listed = client.get("/phone-number", params={"limit": "1000"})
                diagnostics["list_s"] = time.perf_counter() - started
                diagnostics["list_bytes"] = len(listed.content)
                body = listed.json()
                items = body if isinstance(body, list) else body.get("results", [])
                diagnostics["list_items"] = len(items)
    return {"ops": ops, "diagnostics": diagnostics}


def run_api_floor(url: str, api_key: str, n: int, concurrency: int, poll_interval: float) -> dict[str, Any]:
    params = {
        "url": url,
        "api_key": api_key,
        "n": n,
        "concurrency": concurrency,
        "poll_interval": poll_interval,
    }
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--api-floor-worker", json.dumps(params)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"API floor worker failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# -- pulumi runs -------------------------------------------------------------------------------------------


def resource_summary(stdout: str) -> dict[str, int]:
    """The `Resources:` block of a pulumi run: {"created": 201, "unchanged": 1, ...}."""
    summary: dict[str, int] = {}
    block = stdout.split("Resources:", 1)[-1] if "Resources:" in stdout else ""
    for match in re.finditer(r"^\s+(?:[-+~]|\+-)?\s*(\d+) (to \w+|[a-z]+)\s*$", block, re.MULTILINE):
        summary[match.group(2).removeprefix("to ")] = int(match.group(1))
    return summary


def compact(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), sort_keys=True))


def measure_state(stack: Any, type_token: str, n: int) -> dict[str, Any]:
    """Where the bytes of the checkpoint go, per resource of `type_token`."""
    exported = stack.export()
    plain = json.loads(stack.run("stack", "export", "--show-secrets", "--stack", stack.stack).stdout)
    resources = [r for r in exported["deployment"].get("resources") or [] if r["type"] == type_token]
    plain_resources = {
        r["urn"]: r for r in plain["deployment"].get("resources") or [] if r["type"] == type_token
    }
    stack_files = list((stack.workdir / "backend" / ".pulumi" / "stacks").rglob(f"{stack.stack}.json"))
    file_bytes = sum(p.stat().st_size for p in stack_files)
    parts = {"provider_in": 0, "provider_out": 0, "inputs": 0, "outputs": 0, "engine": 0, "total": 0}
    pickle_b64 = 0
    pickle_raw = 0
    key_bytes: dict[str, int] = {}
    engine_bytes: dict[str, int] = {}
    for res in resources:
        inputs = dict(res.get("inputs") or {})
        outputs = dict(res.get("outputs") or {})
        total = compact(res)
        pin = compact(inputs.pop(PROVIDER_KEY, None))
        pout = compact(outputs.pop(PROVIDER_KEY, None))
        ins = compact(inputs)
        outs = compact(outputs)
        parts["provider_in"] += pin
        parts["provider_out"] += pout
        parts["inputs"] += ins
        parts["outputs"] += outs
        parts["engine"] += total - pin - pout - ins - outs
        parts["total"] += total
        for key, value in outputs.items():
            key_bytes[key] = key_bytes.get(key, 0) + compact({key: value}) - 2
        for key, value in res.items():
            if key not in ("inputs", "outputs"):
                engine_bytes[key] = engine_bytes.get(key, 0) + compact({key: value}) - 2
        provider_plain = plain_resources.get(res["urn"], {}).get("inputs", {}).get(PROVIDER_KEY)
        if isinstance(provider_plain, dict) and isinstance(provider_plain.get("plaintext"), str):
            provider_plain = json.loads(provider_plain["plaintext"])  # a secret, shown by --show-secrets
        if isinstance(provider_plain, str):
            pickle_b64 += len(provider_plain)
            pickle_raw += len(base64.b64decode(provider_plain))
    count = max(len(resources), 1)
    return {
        "resources": len(resources),
        "checkpoint_file_bytes": file_bytes,
        "file_bytes_per_resource": file_bytes / n if n else 0,
        "per_resource": {k: v / count for k, v in parts.items()},
        "pickle_base64_bytes": pickle_b64 / count,
        "pickle_raw_bytes": pickle_raw / count,
        "output_key_bytes": _per_resource_sorted(key_bytes, count),
        "engine_key_bytes": _per_resource_sorted(engine_bytes, count),
    }


def _children_cpu() -> float:
    """CPU seconds of every waited-for descendant so far (the CLI and, through it, its plugins)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _per_resource_sorted(totals: dict[str, int], count: int) -> dict[str, float]:
    return {k: v / count for k, v in sorted(totals.items(), key=lambda kv: kv[1], reverse=True)}


def run_program(
    *,
    engine: Path,
    workroot: Path,
    label: str,
    program: Path,
    type_token: str,
    n: int,
    emulator: Any,
    tracker: InFlightTracker,
    config: dict[str, str],
    secret_config: dict[str, str],
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    from tests.e2e.harness import PulumiStack

    workdir = workroot / f"{label}-{n}"
    stack = PulumiStack(
        engine=engine,
        workdir=workdir,
        program=program,
        stack="bench",
        project=f"bench-{label}",
        config={"bench:count": str(n), "bench:variant": "0", **config},
        secret_config=secret_config,
        extra_env=dict(extra_env or {}),
    )
    steps: dict[str, Callable[[], subprocess.CompletedProcess[str]]] = {
        "create": stack.up,
        "preview": stack.preview,
        "refresh": stack.refresh,
        "update": stack.up,
        "destroy": stack.destroy,
    }
    result: dict[str, Any] = {"ops": {}}
    for op in OPS:
        if op == "update":
            stack.run("config", "set", "bench:variant", "1")
        emulator.reset_metrics()
        tracker.reset()
        cpu_before = _children_cpu()
        with ProcessSampler(workdir / "pulumi-home") as sampler:
            started = time.perf_counter()
            proc = steps[op]()
            wall = time.perf_counter() - started
        cpu_total = _children_cpu() - cpu_before
        metrics = emulator.metrics()
        result["ops"][op] = {
            "wall_s": wall,
            "requests": metrics["requests"],
            "peak_in_flight": tracker.peak if tracker.available else None,
            "provider_peak_rss_mib": sampler.peak_mib("provider"),
            "provider_processes": sampler.processes("provider"),
            "cpu_s": cpu_total,
            "provider_cpu_s": sampler.cpu("provider"),
            "program_cpu_s": sampler.cpu("program"),
            "summary": resource_summary(proc.stdout),
        }
        log(
            f"{label:6} N={n:<4} {op:8} {wall:7.2f} s  requests={metrics['total']:<4} "
            f"in-flight<={tracker.peak}  rss={sampler.peak_mib('provider') or 0:.0f} MiB  "
            f"cpu={cpu_total:.2f} s (provider {sampler.cpu('provider'):.2f}, program "
            f"{sampler.cpu('program'):.2f})  {result['ops'][op]['summary']}"
        )
        if op == "create":
            result["state"] = measure_state(stack, type_token, n)
        if op == "update":
            result["state_after_update"] = measure_state(stack, type_token, n)
    return result


# -- the whole run -----------------------------------------------------------------------------------------


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def httpx_client_cost_ms(rounds: int = 20) -> float:
    """Median wall time of `httpx.Client()` + `.close()` (it builds an SSL context from certifi)."""
    import httpx

    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        httpx.Client().close()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def import_cost_s(module: str, rounds: int = 3) -> float:
    """Median wall time of a fresh `python -c "import MODULE"`, minus a bare interpreter start."""

    def timed(code: str) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return timed(f"import {module}") - timed("pass")


def provider_fingerprint() -> str:
    """A hash of the provider's source files, to notice when they change during a run."""
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "vapi_provider").rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def machine_info(engine: Path) -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    cli = subprocess.run([str(engine / "pulumi"), "version"], capture_output=True, text=True, check=False)
    help_text = subprocess.run(
        [str(engine / "pulumi"), "up", "--help"], capture_output=True, text=True, check=False
    ).stdout
    parallel = re.search(r"--parallel.*\(default (\d+)\)", help_text)
    commit = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "loadavg_start": os.getloadavg(),
        "pulumi_cli": cli.stdout.strip(),
        "pulumi_sdk": _version("pulumi"),
        "python": platform.python_version(),
        "httpx": _version("httpx"),
        "dill": _version("dill"),
        "grpcio": _version("grpcio"),
        "uvicorn": _version("uvicorn"),
        "engine_parallel_default": int(parallel.group(1)) if parallel else None,
        "httpx_client_ms": httpx_client_cost_ms(),
        "import_s": {m: import_cost_s(m) for m in ("pulumi.dynamic", "vapi_provider")},
        "git_commit": commit,
        "provider_commit": subprocess.run(
            ["git", "-C", str(REPO_ROOT), "log", "-1", "--format=%h %s", "--", "vapi_provider"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
        "provider_fingerprint": provider_fingerprint(),
    }


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    from tests.e2e.harness import engine_dir
    from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread

    engine = engine_dir()
    info = machine_info(engine)
    settings = {
        "latency_s": args.latency,
        "activation_delay_s": args.activation_delay,
        "poll_interval_s": args.poll_interval,
        "free_number_quota": 1000,
        "api_floor_concurrency": args.concurrency,
        "area_code_every": AREA_CODE_EVERY,
        "provider_threads": PROVIDER_THREADS,
    }
    log(f"engine {info['pulumi_cli']} at {engine}; settings {settings}")
    results: dict[str, Any] = {"meta": info, "settings": settings, "runs": {}}
    emulator = serve_in_thread(
        EmulatorConfig(
            latency_seconds=args.latency,
            activation_delay_seconds=args.activation_delay,
            free_number_quota=1000,
        )
    )
    tracker = InFlightTracker(emulator.state)
    settings["repeat"] = args.repeat
    try:
        with tempfile.TemporaryDirectory(prefix="vapi-bench-") as tmp:
            for n in args.sizes:
                reps = []
                for rep in range(args.repeat):
                    workroot = Path(tmp) / f"rep{rep}"
                    reps.append(measure_size(args, n, rep, engine, workroot, emulator, tracker, DEMO_API_KEY))
                results["runs"][str(n)] = aggregate(reps)
    finally:
        emulator.stop()
    info["loadavg_end"] = os.getloadavg()
    if provider_fingerprint() != info["provider_fingerprint"]:
        info["provider_changed_during_run"] = True
        log("warning: vapi_provider changed while the benchmark ran; the results mix two versions")
    return results


def measure_size(
    args: argparse.Namespace,
    n: int,
    rep: int,
    engine: Path,
    workroot: Path,
    emulator: Any,
    tracker: InFlightTracker,
    api_key: str,
) -> dict[str, Any]:
    """One repetition at one N: the API floor, then the engine floor and ours (alternating order)."""
    run: dict[str, Any] = {}
    emulator.reset()
    tracker.reset()
    run["api"] = run_api_floor(emulator.url, api_key, n, args.concurrency, args.poll_interval)
    run["api"]["peak_in_flight"] = tracker.peak if tracker.available else None
    for op, data in run["api"]["ops"].items():
        log(f"api    N={n:<4} {op:8} {data['wall_s']:7.2f} s  {data['requests']}  (rep {rep + 1})")

    def engine_floor() -> None:
        emulator.reset()
        run["engine"] = run_program(
            engine=engine,
            workroot=workroot,
            label="noop",
            program=PROGRAMS / "noop",
            type_token=NOOP_TYPE,
            n=n,
            emulator=emulator,
            tracker=tracker,
            config={},
            secret_config={},
        )

    def ours() -> None:
        if args.skip_ours:
            return
        emulator.reset()
        run["ours"] = run_program(
            engine=engine,
            workroot=workroot,
            label="vapi",
            program=PROGRAMS / "vapi",
            type_token=OUR_TYPE,
            n=n,
            emulator=emulator,
            tracker=tracker,
            config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": str(args.poll_interval)},
            secret_config={"vapi:apiKey": api_key},
        )
        leftover = emulator.numbers()
        if leftover:
            log(f"warning: {len(leftover)} numbers left in the emulator after destroy")
        run["ours"]["leftover_numbers"] = len(leftover)

    steps = (engine_floor, ours)
    for step in steps if rep % 2 == 0 else tuple(reversed(steps)):
        step()
    return run


def aggregate(reps: list[dict[str, Any]]) -> dict[str, Any]:
    """Median wall and CPU times over the repetitions (all values kept); requests, state from the first.

    Peak RSS and peak in-flight are the maxima; `requests_consistent` says whether every repetition
    made the same requests.
    """
    out: dict[str, Any] = {"repetitions": len(reps)}
    for kind in ("api", "engine", "ours"):
        if kind not in reps[0]:
            continue
        merged = json.loads(json.dumps(reps[0][kind]))
        for op, data in merged["ops"].items():
            for key in ("wall_s", "cpu_s", "provider_cpu_s", "program_cpu_s"):
                if key in data:
                    values = [rep[kind]["ops"][op][key] for rep in reps]
                    data[key] = statistics.median(values)
                    data[f"{key}_all"] = values
            for key in ("provider_peak_rss_mib", "peak_in_flight"):
                values = [v for rep in reps if (v := rep[kind]["ops"][op].get(key)) is not None]
                if values:
                    data[key] = max(values)
            data["requests_consistent"] = all(
                rep[kind]["ops"][op]["requests"] == data["requests"] for rep in reps
            )
            if not data["requests_consistent"]:
                data["requests_all"] = [rep[kind]["ops"][op]["requests"] for rep in reps]
        out[kind] = merged
    return out


# -- the report --------------------------------------------------------------------------------------------


def _total(requests: dict[str, int]) -> int:
    return sum(requests.values())


def _matching(requests: dict[str, int], method: str, route: str) -> int:
    return sum(v for k, v in requests.items() if k.startswith(f"{method} {route} "))


def expected_requests(op: str, n: int) -> int:
    """The target: one request per number per operation (creates: POST only; polls are reported apart)."""
    return 0 if op == "preview" else n


def area_code_count(n: int) -> int:
    return sum(1 for i in range(n) if is_area_code(i))


def request_breakdown(op: str, requests: dict[str, int]) -> tuple[int, int, int]:
    """(requests that count against the target, status polls during create, everything else)."""
    total = _total(requests)
    if op == "create":
        posts = _matching(requests, "POST", "/phone-number")
        polls = _matching(requests, "GET", "/phone-number/{id}")
        return posts, polls, total - posts - polls
    primary = {"refresh": ("GET", "/phone-number/{id}"), "update": ("PATCH", "/phone-number/{id}")}
    primary["destroy"] = ("DELETE", "/phone-number/{id}")
    if op not in primary:
        return 0, 0, total
    main = _matching(requests, *primary[op])
    return main, 0, total - main


def fmt_s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.2f}"


def fmt_requests(requests: dict[str, int]) -> str:
    return ", ".join(f"{k} ×{v}" for k, v in requests.items()) or "none"


def time_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for n_text, run in results["runs"].items():
        if "ours" not in run:
            continue
        for op in OPS:
            ours_all = run["ours"]["ops"][op].get("wall_s_all") or [run["ours"]["ops"][op]["wall_s"]]
            floor_all = [
                e + a
                for e, a in zip(
                    run["engine"]["ops"][op].get("wall_s_all") or [run["engine"]["ops"][op]["wall_s"]],
                    run["api"]["ops"][op].get("wall_s_all") or [run["api"]["ops"][op]["wall_s"]],
                    strict=True,
                )
            ]
            ours = run["ours"]["ops"][op]["wall_s"]
            engine = run["engine"]["ops"][op]["wall_s"]
            api = run["api"]["ops"][op]["wall_s"]
            floor = engine + api
            rows.append(
                {
                    "n": int(n_text),
                    "op": op,
                    "ours": ours,
                    "engine": engine,
                    "api": api,
                    "floor": floor,
                    "ratio": ours / floor if floor else math.nan,
                    "ours_range": (min(ours_all), max(ours_all)),
                    "floor_range": (min(floor_all), max(floor_all)),
                }
            )
    return rows


def render_report(results: dict[str, Any], previous: str | None, chart: Path, out: Path) -> str:
    meta, settings = results["meta"], results["settings"]
    sizes = [int(n) for n in results["runs"]]
    largest = max(sizes)
    rows = time_rows(results)
    lines: list[str] = []
    add = lines.append
    add("# Benchmarks")
    add("")
    add(
        "Generated by `benchmarks/provider_bench.py` (one real run; numbers below are from that run). "
        "Re-run with `.venv/bin/python benchmarks/provider_bench.py` (about 8 minutes on the machine "
        "below); `--quick` runs N = 3 only."
    )
    add("")
    add("## Machine and versions")
    add("")
    add("| | |")
    add("|---|---|")
    add(f"| date | {meta['date']} |")
    add(f"| CPU | {meta['cpu']}, {meta['nproc']} cores (shared with other work) |")
    add(f"| memory | {meta['memory_gib']} GiB |")
    load_start = ", ".join(f"{x:.2f}" for x in meta["loadavg_start"])
    load_end = ", ".join(f"{x:.2f}" for x in meta.get("loadavg_end", meta["loadavg_start"]))
    add(f"| load average (1, 5, 15 min) | at start {load_start}; at end {load_end} |")
    add(f"| kernel | Linux {meta['kernel']} |")
    add(f"| pulumi CLI | {meta['pulumi_cli']} (built by `scripts/bootstrap-engine`) |")
    add(f"| pulumi SDK (Python) | {meta['pulumi_sdk']} |")
    add(f"| Python | {meta['python']} |")
    add(
        "| httpx / dill / grpcio / uvicorn | "
        f"{meta['httpx']} / {meta['dill']} / {meta['grpcio']} / {meta['uvicorn']} |"
    )
    add(f"| repository commit | {meta['git_commit']} (plus uncommitted work in progress, if any) |")
    if meta.get("provider_commit"):
        add(f"| last provider commit | {meta['provider_commit']} |")
    if meta.get("provider_changed_during_run"):
        add("| ⚠️ | `vapi_provider` changed during this run: results mix two versions |")
    add("")
    add("## Setup")
    add("")
    add(
        f"- Emulator: `vapi_emulator.serve_in_thread` in the benchmark process, "
        f"**{settings['latency_s'] * 1000:.0f} ms** added to every API request, "
        f"activation delay {settings['activation_delay_s']} s for area-code numbers, free-number quota "
        f"{settings['free_number_quota']}."
    )
    add(
        f"- Programs: `benchmarks/programs/vapi` declares N `VapiPhoneNumber`s; every "
        f"{settings['area_code_every']}th is a free number in area code 415 (status `activating` for "
        f"{settings['activation_delay_s']} s after the POST, polled every "
        f"{settings['poll_interval_s']} s via `vapi:pollIntervalSeconds`), the others SIP numbers "
        "`sip:bench-<i>@sip.vapi.ai`; names are left to autonaming (the default). The update step "
        "changes every number's `assistantId`. "
        "`benchmarks/programs/noop` declares N no-op dynamic resources of the same shape (engine floor)."
    )
    add(
        "- Each operation is one real CLI command through `tests.e2e.harness` (isolated PULUMI_HOME, file "
        "backend, passphrase secrets): `up --skip-preview` (create), `preview` (no change), "
        "`refresh --skip-preview`, `up --skip-preview` after changing `bench:variant` (update), "
        "`destroy --skip-preview`. Times are wall times of the whole command (CLI start, program, "
        "provider process, checkpoint writes)."
    )
    add(
        f"- Concurrency: the engine's default `--parallel` here is {meta['engine_parallel_default']}, but "
        f"the dynamic-provider process serves gRPC with {settings['provider_threads']} worker threads, so "
        f"at most {settings['provider_threads']} provider calls (and API requests) run at once. The API "
        f"floor therefore uses {settings['api_floor_concurrency']} threads sharing one `httpx.Client`, in a "
        "child process. Peak requests in flight measured at the emulator: "
        + peak_in_flight_text(results)
        + "."
    )
    add(
        f"- Each cell is the median of {settings.get('repeat', 1)} repetitions (the order of engine "
        "floor and "
        "ours alternates between repetitions); min–max columns show the spread on this shared machine."
    )
    add("")

    add("## Wall time (seconds)")
    add("")
    add(
        f"Target: ours ≤ {TARGET_RATIO:.2f} × (engine floor + API floor) at N = {largest}. "
        "Ratio = ours / (engine floor + API floor)."
    )
    add("")
    add(
        "| N | operation | ours | engine floor | API floor | floor sum | ratio | over floor | "
        "ours min–max | floor sum min–max |"
    )
    add("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        verdict = ""
        if row["n"] == largest:
            verdict = " ✅" if row["ratio"] <= TARGET_RATIO else " ❌"
        add(
            f"| {row['n']} | {row['op']} | {row['ours']:.2f} | {row['engine']:.2f} | {row['api']:.2f} | "
            f"{row['floor']:.2f} | {row['ratio']:.2f}{verdict} | {row['ours'] - row['floor']:+.2f} s | "
            f"{row['ours_range'][0]:.2f}–{row['ours_range'][1]:.2f} | "
            f"{row['floor_range'][0]:.2f}–{row['floor_range'][1]:.2f} |"
        )
    add("")
    add(f"![wall time and API requests]({os.path.relpath(chart, out.parent)})")
    add("")

    add("## Where the time goes: CPU seconds")
    add("")
    add(
        "CPU time (user + system, median) of the whole command (the CLI and every process it waited for), "
        "of the dynamic-provider process and of the program process, ours / noop. The machine has "
        f"{meta['nproc']} cores, which the CLI, the program, the provider and the emulator share."
    )
    add("")
    add("| N | operation | command CPU | provider CPU | program CPU |")
    add("|---:|---|---:|---:|---:|")
    for n_text, run in results["runs"].items():
        if "ours" not in run:
            continue
        for op in OPS:
            o, e = run["ours"]["ops"][op], run["engine"]["ops"][op]
            add(
                f"| {n_text} | {op} | {o.get('cpu_s', 0):.2f} / {e.get('cpu_s', 0):.2f} | "
                f"{o.get('provider_cpu_s', 0):.2f} / {e.get('provider_cpu_s', 0):.2f} | "
                f"{o.get('program_cpu_s', 0):.2f} / {e.get('program_cpu_s', 0):.2f} |"
            )
    add("")
    diag = results["runs"][str(largest)]["api"].get("diagnostics", {})
    if diag or meta.get("httpx_client_ms"):
        add(
            f"Measured in the same run: creating and closing one `httpx.Client()` costs "
            f"{meta.get('httpx_client_ms', math.nan):.1f} ms (it loads certifi's CA bundle into a new SSL "
            f"context); one `GET /phone-number?limit=1000` with {diag.get('list_items', 0):.0f} numbers "
            f"in the org returns {diag.get('list_bytes', 0) / 1024:.0f} KiB in "
            f"{diag.get('list_s', 0) * 1000:.0f} ms."
            + "".join(
                f" A fresh `import {m}` takes {t:.2f} s." for m, t in (meta.get("import_s") or {}).items()
            )
        )
        add("")

    add("## API requests per operation (emulator metrics)")
    add("")
    add(
        "Target: exactly one request per create (POST; status polls only for numbers that are still "
        "activating, counted apart), per update (PATCH), per delete (DELETE) and per refreshed number "
        "(GET); none for a no-change preview."
    )
    add("")
    add("| N | operation | requests (route, status ×count) | counted | target | polls | other | verdict |")
    add("|---:|---|---|---:|---:|---:|---:|---|")
    for n_text, run in results["runs"].items():
        if "ours" not in run:
            continue
        n = int(n_text)
        for op in OPS:
            requests = run["ours"]["ops"][op]["requests"]
            main, polls, other = request_breakdown(op, requests)
            target = expected_requests(op, n)
            ok = main == target and other == 0
            if op == "create":
                activating = area_code_count(n)
                polls_text = (
                    f"{polls} ({polls / activating:.1f}/activating number)" if activating else str(polls)
                )
            else:
                polls_text = "–"
            verdict = "✅" if ok else f"❌ {(main + other) / max(n, 1):.2f}/number"
            add(
                f"| {n} | {op} | {fmt_requests(requests)} | {main} | {target} | {polls_text} | "
                f"{other} | {verdict} |"
            )
    add("")
    api_large = results["runs"][str(largest)]["api"]["ops"]
    add(
        f"The API floor made, at N = {largest}: "
        + "; ".join(f"{op}: {fmt_requests(api_large[op]['requests'])}" for op in OPS)
        + "."
    )
    add("")

    add("## State per resource")
    add("")
    add(
        "From `pulumi stack export` after the create step: compact-JSON bytes of each resource, split into "
        "the pickled provider (`__provider`, an encrypted secret, stored in both inputs and outputs), our "
        "inputs and outputs (without `__provider`), and the engine's own fields (urn, type, id, parent, "
        "provider reference, property dependencies, timestamps …). “File/N” is the size of the "
        "checkpoint file on the backend (compact JSON, including the stack and default-provider resources) "
        "divided by N."
    )
    add("")
    add(
        "| N | program | total | `__provider` in | `__provider` out | our inputs | our outputs | engine | "
        "pickle (raw / base64) | file/N |"
    )
    add("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n_text, run in results["runs"].items():
        for label, key in (("ours", "ours"), ("noop floor", "engine")):
            if key not in run or "state" not in run[key]:
                continue
            st = run[key]["state"]
            pr = st["per_resource"]
            add(
                f"| {n_text} | {label} | {pr['total']:.0f} | {pr['provider_in']:.0f} | "
                f"{pr['provider_out']:.0f} | {pr['inputs']:.0f} | {pr['outputs']:.0f} | {pr['engine']:.0f} | "
                f"{st['pickle_raw_bytes']:.0f} / {st['pickle_base64_bytes']:.0f} | "
                f"{st['file_bytes_per_resource']:.0f} |"
            )
    if "ours" in results["runs"][str(largest)]:
        st = results["runs"][str(largest)]["ours"]["state"]
        pr = st["per_resource"]
        share = (pr["provider_in"] + pr["provider_out"]) / pr["total"] if pr["total"] else 0
        ours_share = (pr["inputs"] + pr["outputs"]) / pr["total"] if pr["total"] else 0
        add("")
        add(
            f"At N = {largest}: `__provider` is {share:.0%} of each resource's bytes, our inputs and outputs "
            f"{ours_share:.0%}, the engine's fields the rest. Output keys by size (bytes per resource, "
            "compact JSON): "
            + ", ".join(f"`{k}` {v:.0f}" for k, v in list(st["output_key_bytes"].items())[:12])
            + ". Engine fields by size: "
            + ", ".join(f"`{k}` {v:.0f}" for k, v in list(st.get("engine_key_bytes", {}).items())[:8])
            + "."
        )
    add("")

    add("## Peak memory of the provider process")
    add("")
    add(
        "Largest `VmHWM` (peak RSS) of the `python -m pulumi.dynamic` process started by each command, in "
        "MiB; the noop column is the same process serving the no-op provider."
    )
    add("")
    add("| N | " + " | ".join(f"{op} ours / noop" for op in OPS) + " |")
    add("|---:|" + "---:|" * len(OPS))
    for n_text, run in results["runs"].items():
        if "ours" not in run:
            continue
        cells = []
        for op in OPS:
            ours = run["ours"]["ops"][op]["provider_peak_rss_mib"]
            noop = run["engine"]["ops"][op]["provider_peak_rss_mib"]
            cells.append(f"{ours or 0:.0f} / {noop or 0:.0f}")
        add(f"| {n_text} | " + " | ".join(cells) + " |")
    add("")

    add("## Targets")
    add("")
    add(targets_text(results))
    add("")
    add("## Analysis")
    add("")
    add(ANALYSIS_START)
    add(previous.strip() if previous else "_Not written yet: explain misses here; re-runs keep this text._")
    add(ANALYSIS_END)
    add("")
    return "\n".join(lines)


def peak_in_flight_text(results: dict[str, Any]) -> str:
    peaks = [
        run["ours"]["ops"][op]["peak_in_flight"]
        for run in results["runs"].values()
        if "ours" in run
        for op in OPS
        if run["ours"]["ops"][op]["peak_in_flight"] is not None
    ]
    api = [run["api"].get("peak_in_flight") for run in results["runs"].values()]
    ours_text = f"ours up to {max(peaks)}" if peaks else "ours not measured"
    api_text = f"API floor up to {max(a for a in api if a is not None)}" if any(api) else ""
    return ", ".join(t for t in (ours_text, api_text) if t)


def targets_text(results: dict[str, Any]) -> str:
    sizes = [int(n) for n in results["runs"]]
    largest = max(sizes)
    run = results["runs"][str(largest)]
    if "ours" not in run:
        return "_The provider was not measured in this run._"
    out = []
    for row in time_rows(results):
        if row["n"] != largest:
            continue
        margin = (row["ratio"] - TARGET_RATIO) * row["floor"]
        if row["ratio"] <= TARGET_RATIO:
            out.append(
                f"- ✅ time, {row['op']} at N = {largest}: {row['ratio']:.2f} × floor "
                f"({-margin:.2f} s under the {TARGET_RATIO:.2f} × limit)."
            )
        else:
            out.append(
                f"- ❌ time, {row['op']} at N = {largest}: {row['ratio']:.2f} × floor, "
                f"{margin:.2f} s ({row['ratio'] / TARGET_RATIO - 1:.0%}) over the {TARGET_RATIO:.2f} × limit "
                f"({row['ours']:.2f} s vs {row['engine']:.2f} s engine + {row['api']:.2f} s API)."
            )
    for n_text, nrun in results["runs"].items():
        if "ours" not in nrun:
            continue
        n = int(n_text)
        for op in OPS:
            main, polls, other = request_breakdown(op, nrun["ours"]["ops"][op]["requests"])
            target = expected_requests(op, n)
            if main == target and other == 0:
                continue
            extra = main + other - target
            out.append(
                f"- ❌ requests, {op} at N = {n}: {main + other} against a target of {target} "
                f"({extra:+d}, {(main + other) / max(n, 1):.2f} per number): "
                f"{fmt_requests(nrun['ours']['ops'][op]['requests'])}."
            )
    create = run["ours"]["ops"]["create"]["requests"]
    polls = request_breakdown("create", create)[1]
    activating = area_code_count(largest)
    settings = results["settings"]
    if activating:
        out.append(
            f"- {'✅' if polls <= activating * 2 else '❌'} status polls at N = {largest}: {polls} for "
            f"{activating} activating numbers ({polls / activating:.1f} each; activation delay "
            f"{settings['activation_delay_s']} s, poll interval {settings['poll_interval_s']} s)."
        )
    if not any(line.startswith("- ❌ requests") for line in out):
        out.append("- ✅ requests: every operation at every N made exactly the target number of requests.")
    return "\n".join(out)


def render_chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [int(n) for n in results["runs"] if "ours" in results["runs"][n]]
    if not sizes:
        return
    largest = max(sizes)
    rows = [r for r in time_rows(results) if r["n"] == largest]
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    ax = axes[0][0]
    x = list(range(len(rows)))
    width = 0.38
    floor_x = [i + width / 2 for i in x]
    ours_x = [i - width / 2 for i in x]
    ax.bar(ours_x, [r["ours"] for r in rows], width, label="ours", color="#d9534f")
    ax.bar(floor_x, [r["engine"] for r in rows], width, label="engine floor", color="#5b8def")
    ax.bar(
        floor_x,
        [r["api"] for r in rows],
        width,
        bottom=[r["engine"] for r in rows],
        label="API floor (stacked)",
        color="#9ecae1",
    )
    for i, r in enumerate(rows):
        ax.hlines(
            r["floor"] * TARGET_RATIO, i - 1.5 * width, i + 1.5 * width, colors="black", linestyles="dashed"
        )
        top = max(r["ours"], r["floor"] * TARGET_RATIO)
        ax.annotate(
            f"{r['ratio']:.2f}×",
            (ours_x[i], top),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.plot([], [], "k--", label=f"target {TARGET_RATIO:.2f} × floor")
    ax.set_xticks(x, [r["op"] for r in rows])
    ax.set_ylabel("wall time (s)")
    ax.set_title(f"Wall time per operation, N = {largest}")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.legend(fontsize=8, loc="upper left", ncol=2)

    ax = axes[0][1]
    for op in OPS:
        points = [(r["n"], r["ratio"]) for r in time_rows(results) if r["op"] == op]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=op)
    ax.axhline(TARGET_RATIO, color="black", linestyle="--", label=f"target at N = {largest}")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_xlabel("N (numbers)")
    ax.set_ylabel("ours / (engine floor + API floor)")
    ax.set_title("Time ratio vs N")
    ax.legend(fontsize=8)

    ax = axes[1][0]
    run = results["runs"][str(largest)]["ours"]["ops"]
    counted, polls, other = [], [], []
    for op in OPS:
        main, poll, extra = request_breakdown(op, run[op]["requests"])
        counted.append(main / largest)
        polls.append(poll / largest)
        other.append(extra / largest)
    ax.bar(OPS, counted, label="per-number request (POST/GET/PATCH/DELETE)", color="#d9534f")
    ax.bar(OPS, polls, bottom=counted, label="status polls (activating numbers)", color="#f0ad4e")
    ax.bar(
        OPS,
        other,
        bottom=[a + b for a, b in zip(counted, polls, strict=True)],
        label="other requests",
        color="#777777",
    )
    targets = [expected_requests(op, largest) / largest for op in OPS]
    for i, t in enumerate(targets):
        ax.hlines(t, i - 0.4, i + 0.4, colors="black", linestyles="dashed")
    ax.plot([], [], "k--", label="target")
    ax.set_ylabel("API requests per number")
    ax.set_title(f"API requests per number, N = {largest}")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.legend(fontsize=8, loc="upper right")

    ax = axes[1][1]
    labels, stacks = [], []
    parts = ("provider_in", "provider_out", "inputs", "outputs", "engine")
    names = (
        "pickled provider (inputs)",
        "pickled provider (outputs)",
        "our inputs",
        "our outputs",
        "engine fields",
    )
    for key, label in (("ours", "ours"), ("engine", "noop floor")):
        state = results["runs"][str(largest)].get(key, {}).get("state")
        if state:
            labels.append(label)
            stacks.append([state["per_resource"][p] for p in parts])
    bottoms = [0.0] * len(labels)
    colors = ("#6a51a3", "#9e9ac8", "#d9534f", "#f4a582", "#bdbdbd")
    for j, (name, color) in enumerate(zip(names, colors, strict=True)):
        values = [s[j] for s in stacks]
        ax.barh(labels, values, left=bottoms, label=name, color=color)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for i, total in enumerate(bottoms):
        ax.annotate(f"{total:.0f} B", (total, i), va="center", ha="left", fontsize=9)
    ax.set_xlabel("bytes per resource (compact JSON of `pulumi stack export`)")
    ax.set_title("Where the state bytes go")
    ax.set_xlim(0, max(bottoms) * 1.18 if bottoms else 1)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)

    meta, settings = results["meta"], results["settings"]
    fig.suptitle(
        f"Vapi dynamic provider vs floors — {settings['latency_s'] * 1000:.0f} ms API latency, "
        f"{meta['pulumi_cli']}, {meta['nproc']} cores, {meta['date']}",
        fontsize=11,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def previous_analysis(path: Path) -> str | None:
    if not path.exists():
        return None
    text = path.read_text()
    if ANALYSIS_START in text and ANALYSIS_END in text:
        body = text.split(ANALYSIS_START, 1)[1].split(ANALYSIS_END, 1)[0].strip()
        if body and not body.startswith("_Not written yet"):
            return body
    return None


# -- command line ------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="10,50,200", help="comma-separated N values (default 10,50,200)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added per API request")
    parser.add_argument(
        "--activation-delay", type=float, default=0.1, help="seconds an area-code number activates"
    )
    parser.add_argument(
        "--poll-interval", type=float, default=0.1, help="provider's vapi:pollIntervalSeconds"
    )
    parser.add_argument("--concurrency", type=int, default=PROVIDER_THREADS, help="API floor threads")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "BENCHMARKS.md")
    parser.add_argument("--chart", type=Path, default=REPO_ROOT / "docs" / "benchmarks.png")
    parser.add_argument("--json", type=Path, help="also save the raw results here")
    parser.add_argument("--from-json", type=Path, help="render the report and chart from saved raw results")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per N; medians are reported")
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 3 only, once")
    parser.add_argument("--skip-ours", action="store_true", help="measure only the floors (debugging)")
    parser.add_argument("--api-floor-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [3] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        args.repeat = 1
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.api_floor_worker:
        print(json.dumps(api_floor_worker(json.loads(args.api_floor_worker))))
        return 0
    if args.from_json:
        results = json.loads(args.from_json.read_text())
    else:
        results = run_benchmark(args)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
            log(f"raw results in {args.json}")
    render_chart(results, args.chart)
    args.out.write_text(render_report(results, previous_analysis(args.out), args.chart, args.out))
    log(f"wrote {args.out} and {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
