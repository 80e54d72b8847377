"""Names shared by the measuring, reporting and charting parts of the provider benchmark."""

from __future__ import annotations

import math
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ANALYSIS_END",
    "ANALYSIS_START",
    "AREA_CODE_EVERY",
    "BENCH_DIR",
    "COMPARISONS",
    "DYN_TYPE",
    "ENTRY_SCRIPT",
    "KINDS",
    "LABELS",
    "NATFLOOR_TYPE",
    "NATIVE_TYPE",
    "NOOP_TYPE",
    "OPS",
    "OUR_TYPE",
    "PLUGINS",
    "PROGRAMS",
    "PROGRAM_KINDS",
    "PROVIDER_KEY",
    "PROVIDER_THREADS",
    "REPO_ROOT",
    "TARGET_RATIO",
    "Comparison",
    "area_code_count",
    "assistant_for",
    "expected_requests",
    "fmt_requests",
    "is_area_code",
    "log",
    "request_breakdown",
    "time_rows",
]

BENCH_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = BENCH_DIR.parent
ENTRY_SCRIPT = BENCH_DIR / "provider_bench.py"
PROGRAMS = BENCH_DIR / "programs"
PLUGINS = BENCH_DIR / "plugins"
OPS = ("create", "preview", "refresh", "update", "destroy")
KINDS = ("api", "engine", "dyn", "dynamic", "nat", "nraw", "native")
"""Results of one repetition: the API floor, the engine floor, the dynamic-provider floor, our dynamic
provider, the native-provider floor, our native provider with the floor's program (a diagnostic) and our
native provider."""
PROGRAM_KINDS = ("engine", "dyn", "dynamic", "native", "nraw", "nat")
"""The kinds that are Pulumi programs, in the order a repetition runs them (reversed every other one):
each of ours stays right next to its own floor."""
LABELS = {
    "api": "API floor",
    "engine": "engine floor",
    "dyn": "dynamic floor",
    "dynamic": "dynamic",
    "nat": "native floor",
    "nraw": "native, raw program",
    "native": "native",
}
OUR_TYPE = "pulumi-python:dynamic/vapi:VapiPhoneNumber"
NATIVE_TYPE = "vapi:index:PhoneNumber"
NOOP_TYPE = "pulumi-python:dynamic/bench:Noop"
DYN_TYPE = "pulumi-python:dynamic/bench:DynFloorNumber"
NATFLOOR_TYPE = "vapifloor:index:PhoneNumber"
PROVIDER_KEY = "__provider"
PROVIDER_THREADS = 4
"""gRPC worker threads of `python -m pulumi.dynamic` (SDK: `futures.ThreadPoolExecutor(max_workers=4)`)."""
AREA_CODE_EVERY = 10
"""Number i is an area-code (activating) number when i % AREA_CODE_EVERY == AREA_CODE_EVERY - 1."""
TARGET_RATIO = 1.10
"""Target: each provider <= TARGET_RATIO x its own tight floor at the largest N, for every operation."""
ANALYSIS_START = "<!-- analysis:start -->"
ANALYSIS_END = "<!-- analysis:end -->"


@dataclass(frozen=True)
class Comparison:
    """One ratio of the report: `ours` / `floor`, medians of the repetitions' paired ratios."""

    ours: str
    floor: str
    target: bool = False
    """Whether TARGET_RATIO applies (each provider against its own tight floor)."""
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.ours}/{self.floor}"

    @property
    def title(self) -> str:
        return f"{LABELS[self.ours]} / {LABELS[self.floor]}"


COMPARISONS = (
    Comparison("native", "nat", target=True, note="the native provider against its own tight floor"),
    Comparison("dynamic", "dyn", target=True, note="the dynamic provider against its own tight floor"),
    Comparison("native", "dyn", note="how far the native provider moves against the dynamic floor"),
    Comparison("nat", "dyn", note="what the native protocol alone gives, floor against floor"),
    Comparison("native", "dynamic", note="our two providers, side by side"),
    Comparison("nraw", "nat", note="diagnostic: the native provider's own cost (same program as its floor)"),
    Comparison("native", "nraw", note="diagnostic: the SDK's typed resource in the program"),
)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def is_area_code(i: int) -> bool:
    return i % AREA_CODE_EVERY == AREA_CODE_EVERY - 1


def area_code_count(n: int) -> int:
    return sum(1 for i in range(n) if is_area_code(i))


def assistant_for(variant: int) -> str:
    return f"00000000-0000-4000-8000-{variant:012d}"


# -- request accounting ------------------------------------------------------------------------------------


def _total(requests: dict[str, int]) -> int:
    return sum(requests.values())


def _matching(requests: dict[str, int], method: str, route: str) -> int:
    return sum(v for k, v in requests.items() if k.startswith(f"{method} {route} "))


def expected_requests(op: str, n: int) -> int:
    """The target: one request per number per operation (creates: POST only; polls are reported apart)."""
    return 0 if op == "preview" else n


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


def fmt_requests(requests: dict[str, int]) -> str:
    return ", ".join(f"{k} ×{v}" for k, v in requests.items()) or "none"


# -- the time table ----------------------------------------------------------------------------------------


def _all(run: dict[str, Any], kind: str, op: str, key: str = "wall_s") -> list[float]:
    data = run[kind]["ops"][op]
    values: list[float] = data.get(f"{key}_all") or [data[key]]
    return values


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def time_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (N, operation): every kind's median wall time and every comparison's ratio.

    `t[kind]` is the median wall time, `t_range[kind]` its smallest and largest; `r[key]` is the median of
    the paired repetitions' ratios of a `Comparison` (each repetition runs every program step by step,
    one right after the other, so a repetition's pair shares the machine's load), `r_range[key]` their
    smallest and largest; `cpu[key]` is the same median ratio of the commands' CPU seconds (the CLI and
    every process it waited for), which the load of other work on the machine moves less than wall time.
    Kinds or comparisons a run did not measure are left out.
    """
    rows = []
    for n_text, run in results["runs"].items():
        for op in OPS:
            row: dict[str, Any] = {"n": int(n_text), "op": op, "t": {}, "t_range": {}, "r": {}, "r_range": {}}
            row["cpu"] = {}
            for kind in KINDS:
                if kind in run:
                    values = _all(run, kind, op)
                    row["t"][kind] = run[kind]["ops"][op]["wall_s"]
                    row["t_range"][kind] = (min(values), max(values))
            for cmp in COMPARISONS:
                if cmp.ours in run and cmp.floor in run:
                    paired = [
                        _ratio(o, f)
                        for o, f in zip(_all(run, cmp.ours, op), _all(run, cmp.floor, op), strict=True)
                    ]
                    row["r"][cmp.key] = statistics.median(paired)
                    row["r_range"][cmp.key] = (min(paired), max(paired))
                    cpu = [
                        _ratio(o, f)
                        for o, f in zip(
                            _all(run, cmp.ours, op, "cpu_s"), _all(run, cmp.floor, op, "cpu_s"), strict=True
                        )
                    ]
                    row["cpu"][cmp.key] = statistics.median(cpu)
            rows.append(row)
    return rows
