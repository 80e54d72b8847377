"""Measuring: the instruments, the API floor, the pulumi runs and the whole benchmark run.

Four things are measured per N, against one in-process emulator (`vapi_emulator.serve_in_thread`) that
adds a fixed latency to every API request:

- ours: `benchmarks/programs/vapi` (N `VapiPhoneNumber` resources);
- the dynamic-provider floor: `benchmarks/programs/dynfloor`, N resources of a no-op dynamic provider
  that makes the same HTTP calls as ours (POST and activation polls, GET, PATCH, DELETE; nothing for a
  no-change preview) with one shared `httpx.Client` and no validation: the best any dynamic provider
  could do, in the same host, at the same concurrency;
- the engine floor: `benchmarks/programs/noop` (N no-op dynamic resources that make no call);
- the API floor: the same HTTP requests made directly with one `httpx.Client` from as many threads as the
  provider process serves gRPC calls with (4), in a child process so that it does not share a GIL with
  the emulator.

The three programs run step by step, interleaved (create of each, then preview of each, ...), so that the
load of the shared machine hits ours and its floors alike; the order alternates between repetitions.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.common import (
    AREA_CODE_EVERY,
    DYN_TYPE,
    ENTRY_SCRIPT,
    KINDS,
    NATFLOOR_TYPE,
    NATIVE_TYPE,
    NOOP_TYPE,
    OPS,
    OUR_TYPE,
    PLUGINS,
    PROGRAM_KINDS,
    PROGRAMS,
    PROVIDER_KEY,
    PROVIDER_THREADS,
    REPO_ROOT,
    assistant_for,
    is_area_code,
    log,
)
from bench.imports import IMPORT_MODULES, REFERENCE_MODULES, measure_imports
from pulumi_harness import PulumiStack, engine_dir

__all__ = ["InFlightTracker", "ProcessSampler", "aggregate", "api_floor_worker", "run_benchmark"]

# -- measuring instruments ---------------------------------------------------------------------------------


class InFlightTracker:
    """Peak number of public API requests the emulator is serving at once.

    Wraps two per-request hooks of the running emulator: `state.faults.plan` (called when a public request
    arrives, before its latency) and `state.count` (called exactly once per request, when it is answered).
    """

    def __init__(self, state: Any) -> None:
        self._lock = threading.Lock()
        self._current = 0
        self.peak = 0
        faults = getattr(state, "faults", None)
        self.available = hasattr(faults, "plan") and hasattr(state, "count")
        if not self.available:
            return
        plan, count = faults.plan, state.count

        def plan_and_enter(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self._current += 1
                self.peak = max(self.peak, self._current)
            return plan(*args, **kwargs)

        def count_and_leave(key: str) -> None:
            with self._lock:
                self._current = max(self._current - 1, 0)
            count(key)

        faults.plan = plan_and_enter
        state.count = count_and_leave

    def reset(self) -> None:
        with self._lock:
            self.peak = self._current


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DYNAMIC_PROVIDER_MARKER = b"pulumi.dynamic"
PROGRAM_MARKER = b"pulumi-language-python-exec"
"""Processes of one pulumi run that are sampled, by a marker in their command line: the dynamic-provider
process (`python -m pulumi.dynamic`), a native plugin (`python <plugin folder>`: the folder is the marker)
and the program."""


class ProcessSampler:
    """Peak RSS and CPU time of the Python processes started by one isolated pulumi run.

    Scans /proc for the provider process (`python -m pulumi.dynamic`, or `python <plugin folder>` for a
    native plugin: `provider_marker`) and the program process (`python .../pulumi-language-python-exec`)
    whose environment carries this run's PULUMI_HOME (other pulumi runs on the machine have their own).
    Keeps the largest `VmHWM` (the kernel's own peak-RSS counter, so a spike between two samples is not
    lost) and the last utime + stime seen per process (a process that exits loses at most one interval
    of CPU time).
    """

    def __init__(
        self, pulumi_home: Path, provider_marker: bytes = DYNAMIC_PROVIDER_MARKER, interval: float = 0.05
    ) -> None:
        self._marker = f"PULUMI_HOME={pulumi_home}".encode()
        self._roles = {"provider": provider_marker, "program": PROGRAM_MARKER}
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
        role = next((name for name, marker in self._roles.items() if marker in cmdline), None)
        if role is None:
            if b"pulumi" not in cmdline:
                self._ignored.add(pid)  # not (and never going to be) one of ours
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
        [sys.executable, str(ENTRY_SCRIPT), "--api-floor-worker", json.dumps(params)],
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
        pin = compact(inputs.pop(PROVIDER_KEY)) if PROVIDER_KEY in inputs else 0
        pout = compact(outputs.pop(PROVIDER_KEY)) if PROVIDER_KEY in outputs else 0
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


@dataclass(frozen=True)
class ProgramSpec:
    """What one kind of program is: its folder, resource type, config namespace and provider plugin."""

    kind: str
    label: str
    program: Path
    type_token: str
    config_namespace: str | None = None
    """`vapi` or `vapifloor`: the program talks to the emulator and gets its base URL and key there."""
    plugin: tuple[str, Path] | None = None
    """A native provider plugin: its package name and the source folder of its PulumiPlugin.yaml."""


PROGRAM_SPECS = {
    "engine": ProgramSpec("engine", "noop", PROGRAMS / "noop", NOOP_TYPE),
    "dyn": ProgramSpec("dyn", "dynfloor", PROGRAMS / "dynfloor", DYN_TYPE, "vapi"),
    "dynamic": ProgramSpec("dynamic", "vapi", PROGRAMS / "vapi", OUR_TYPE, "vapi"),
    "native": ProgramSpec(
        "native", "native", PROGRAMS / "native", NATIVE_TYPE, "vapi", ("vapi", REPO_ROOT / "plugin")
    ),
    "nraw": ProgramSpec(
        "nraw", "nativeraw", PROGRAMS / "native_raw", NATIVE_TYPE, "vapi", ("vapi", REPO_ROOT / "plugin")
    ),
    "nat": ProgramSpec(
        "nat",
        "natfloor",
        PROGRAMS / "natfloor",
        NATFLOOR_TYPE,
        "vapifloor",
        ("vapifloor", PLUGINS / "vapifloor"),
    ),
}


def plugin_copy(source: Path, dest: Path) -> Path:
    """A copy of a PulumiPlugin.yaml plugin folder whose runtime runs it with this interpreter's venv.

    The committed PulumiPlugin.yaml says `runtime: python`; the copy names `sys.prefix` as its
    `virtualenv` (our language host then runs `<venv>/bin/python <folder> <engine address>`).
    """
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "PulumiPlugin.yaml").write_text(
        f"runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: {sys.prefix}\n"
    )
    return dest


@dataclass
class ProgramRun:
    """One program's stack, measured one operation at a time (so that programs can be interleaved)."""

    spec: ProgramSpec
    n: int
    stack: PulumiStack
    emulator: Any
    tracker: InFlightTracker
    provider_marker: bytes
    result: dict[str, Any] = field(default_factory=lambda: {"ops": {}})

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def label(self) -> str:
        return self.spec.label

    @classmethod
    def start(
        cls,
        spec: ProgramSpec,
        *,
        n: int,
        engine: Path,
        workroot: Path,
        emulator: Any,
        tracker: InFlightTracker,
        api_key: str,
        poll_interval: float,
    ) -> ProgramRun:
        config = {"bench:count": str(n), "bench:variant": "0"}
        secret_config = {}
        if spec.config_namespace:
            config[f"{spec.config_namespace}:baseUrl"] = emulator.url
            config[f"{spec.config_namespace}:pollIntervalSeconds"] = str(poll_interval)
            secret_config[f"{spec.config_namespace}:apiKey"] = api_key
        extra = ""
        marker = DYNAMIC_PROVIDER_MARKER
        if spec.plugin:
            name, source = spec.plugin
            folder = plugin_copy(source, workroot / f"{spec.label}-{n}-plugin")
            marker = str(folder).encode()
            extra = f"plugins:\n  providers:\n    - name: {name}\n      path: {folder}\n"
        stack = PulumiStack(
            engine=engine,
            workdir=workroot / f"{spec.label}-{n}",
            program=spec.program,
            stack="bench",
            project=f"bench-{spec.label}",
            config=config,
            secret_config=secret_config,
            project_yaml_extra=extra,
        )
        return cls(spec, n, stack, emulator, tracker, marker)

    def step(self, op: str) -> None:
        stack, emulator, tracker = self.stack, self.emulator, self.tracker
        steps: dict[str, Callable[[], subprocess.CompletedProcess[str]]] = {
            "create": stack.up,
            "preview": stack.preview,
            "refresh": stack.refresh,
            "update": stack.up,
            "destroy": stack.destroy,
        }
        if op == "update":
            stack.run("config", "set", "bench:variant", "1")
        emulator.reset_metrics()
        tracker.reset()
        cpu_before = _children_cpu()
        with ProcessSampler(stack.workdir / "pulumi-home", self.provider_marker) as sampler:
            started = time.perf_counter()
            proc = steps[op]()
            wall = time.perf_counter() - started
        cpu_total = _children_cpu() - cpu_before
        metrics = emulator.metrics()
        self.result["ops"][op] = {
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
            f"{self.label:8} N={self.n:<4} {op:8} {wall:7.2f} s  requests={metrics['total']:<4} "
            f"in-flight<={tracker.peak}  rss={sampler.peak_mib('provider') or 0:.0f} MiB  "
            f"cpu={cpu_total:.2f} s (provider {sampler.cpu('provider'):.2f}, program "
            f"{sampler.cpu('program'):.2f})  {self.result['ops'][op]['summary']}"
        )
        if op == "create":
            self.result["state"] = measure_state(stack, self.spec.type_token, self.n)
        if op == "update":
            self.result["state_after_update"] = measure_state(stack, self.spec.type_token, self.n)


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


def provider_fingerprint() -> str:
    """A hash of the provider's source files, to notice when they change during a run."""
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "vapi_provider").rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _git(*args: str) -> str:
    proc = subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, check=False)
    return proc.stdout.strip()


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
        "pydantic": _version("pydantic"),
        "dill": _version("dill"),
        "grpcio": _version("grpcio"),
        "uvicorn": _version("uvicorn"),
        "engine_parallel_default": int(parallel.group(1)) if parallel else None,
        "httpx_client_ms": httpx_client_cost_ms(),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--", "vapi_provider", "benchmarks")),
        "provider_commit": _git("log", "-1", "--format=%h %s", "--", "vapi_provider"),
        "native_commit": _git("log", "-1", "--format=%h %s", "--", "vapi_provider/native", "plugin"),
        "provider_fingerprint": provider_fingerprint(),
    }


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """The whole run: machine facts, import times, then every N: `args.repeat` times at the largest N,
    `args.repeat_small` times (at most `args.repeat`) at the others."""
    from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread

    started = time.perf_counter()
    engine = engine_dir()
    info = machine_info(engine)
    modules = IMPORT_MODULES + REFERENCE_MODULES
    log(f"import times of {', '.join(modules)} ({args.import_rounds} runs each)")
    info["imports"] = measure_imports(modules, rounds=args.import_rounds)
    settings = {
        "latency_s": args.latency,
        "activation_delay_s": args.activation_delay,
        "poll_interval_s": args.poll_interval,
        "free_number_quota": 1000,
        "api_floor_concurrency": args.concurrency,
        "area_code_every": AREA_CODE_EVERY,
        "provider_threads": PROVIDER_THREADS,
        "repeat": args.repeat,
        "repeat_small": min(args.repeat, args.repeat_small),
        "sizes": args.sizes,
        "programs": args.programs,
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
    try:
        with tempfile.TemporaryDirectory(prefix="vapi-bench-") as tmp:
            for n in args.sizes:
                reps = []
                repeat = args.repeat if n == max(args.sizes) else min(args.repeat, args.repeat_small)
                for rep in range(repeat):
                    workroot = Path(tmp) / f"rep{rep}"
                    reps.append(measure_size(args, n, rep, engine, workroot, emulator, tracker, DEMO_API_KEY))
                results["runs"][str(n)] = aggregate(reps)
    finally:
        emulator.stop()
    info["loadavg_end"] = os.getloadavg()
    info["duration_s"] = time.perf_counter() - started
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
    """One repetition at one N: the API floor, then the programs, interleaved step by step."""
    run: dict[str, Any] = {}
    emulator.reset()
    tracker.reset()
    run["api"] = run_api_floor(emulator.url, api_key, n, args.concurrency, args.poll_interval)
    run["api"]["peak_in_flight"] = tracker.peak if tracker.available else None
    for op, data in run["api"]["ops"].items():
        log(f"api      N={n:<4} {op:8} {data['wall_s']:7.2f} s  {data['requests']}  (rep {rep + 1})")

    emulator.reset()
    programs = [
        ProgramRun.start(
            PROGRAM_SPECS[kind],
            n=n,
            engine=engine,
            workroot=workroot,
            emulator=emulator,
            tracker=tracker,
            api_key=api_key,
            poll_interval=args.poll_interval,
        )
        for kind in PROGRAM_KINDS
        if kind in args.programs
    ]
    if rep % 2:
        programs.reverse()  # each of ours and its floor stay neighbours in both orders
    for op in OPS:
        for program in programs:
            program.step(op)
    leftover = emulator.numbers()
    if leftover:
        log(f"warning: {len(leftover)} numbers left in the emulator after destroy")
    for program in programs:
        run[program.kind] = program.result
        if program.spec.config_namespace:
            run[program.kind]["leftover_numbers"] = len(leftover)
    return run


def aggregate(reps: list[dict[str, Any]]) -> dict[str, Any]:
    """Median wall and CPU times over the repetitions (all values kept); requests, state from the first.

    Peak RSS and peak in-flight are the maxima; `requests_consistent` says whether every repetition
    made the same requests.
    """
    out: dict[str, Any] = {"repetitions": len(reps)}
    for kind in KINDS:
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
