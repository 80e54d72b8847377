"""Names shared by the measuring, reporting and charting parts of the provider benchmark."""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

__all__ = [
    "ANALYSIS_END",
    "ANALYSIS_START",
    "AREA_CODE_EVERY",
    "BENCH_DIR",
    "DYN_TYPE",
    "ENTRY_SCRIPT",
    "KINDS",
    "NOOP_TYPE",
    "OPS",
    "OUR_TYPE",
    "PROGRAMS",
    "PROVIDER_KEY",
    "PROVIDER_THREADS",
    "REPO_ROOT",
    "TARGET_RATIO",
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
OPS = ("create", "preview", "refresh", "update", "destroy")
KINDS = ("api", "engine", "dyn", "ours")
"""Results of one repetition: the API floor, the engine floor, the dynamic-provider floor and ours."""
OUR_TYPE = "pulumi-python:dynamic/vapi:VapiPhoneNumber"
NOOP_TYPE = "pulumi-python:dynamic/bench:Noop"
DYN_TYPE = "pulumi-python:dynamic/bench:DynFloorNumber"
PROVIDER_KEY = "__provider"
PROVIDER_THREADS = 4
"""gRPC worker threads of `python -m pulumi.dynamic` (SDK: `futures.ThreadPoolExecutor(max_workers=4)`)."""
AREA_CODE_EVERY = 10
"""Number i is an area-code (activating) number when i % AREA_CODE_EVERY == AREA_CODE_EVERY - 1."""
TARGET_RATIO = 1.10
"""Target: ours <= TARGET_RATIO x the dynamic-provider floor at the largest N, for every operation."""
ANALYSIS_START = "<!-- analysis:start -->"
ANALYSIS_END = "<!-- analysis:end -->"


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


def _all(run: dict[str, Any], kind: str, op: str) -> list[float]:
    data = run[kind]["ops"][op]
    values: list[float] = data.get("wall_s_all") or [data["wall_s"]]
    return values


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def time_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (N, operation) with ours, every floor, and the ratios (medians of the repetitions).

    `ratio` is ours / dynamic-provider floor (the target's ratio), `ratio_sum` ours / (engine floor +
    API floor), `dyn_ratio_sum` dynamic floor / (engine floor + API floor). Ratios are medians of the
    paired repetitions' ratios (each repetition runs ours and its floors step by step, one right after
    the other, so a repetition's pair shares the machine's load); `*_range` are their smallest and
    largest. Times are medians. Runs recorded before the dynamic floor existed have no `dyn`: their
    `ratio` is `ratio_sum`.
    """
    rows = []
    for n_text, run in results["runs"].items():
        if "ours" not in run:
            continue
        has_dyn = "dyn" in run
        for op in OPS:
            ours_all = _all(run, "ours", op)
            sum_all = [e + a for e, a in zip(_all(run, "engine", op), _all(run, "api", op), strict=True)]
            dyn_all = _all(run, "dyn", op) if has_dyn else sum_all
            ours = run["ours"]["ops"][op]["wall_s"]
            engine = run["engine"]["ops"][op]["wall_s"]
            api = run["api"]["ops"][op]["wall_s"]
            dyn = run["dyn"]["ops"][op]["wall_s"] if has_dyn else math.nan
            floor_sum = engine + api
            paired = [_ratio(o, d) for o, d in zip(ours_all, dyn_all, strict=True)]
            paired_sum = [_ratio(o, s) for o, s in zip(ours_all, sum_all, strict=True)]
            dyn_sum = [_ratio(d, s) for d, s in zip(dyn_all, sum_all, strict=True)]
            rows.append(
                {
                    "n": int(n_text),
                    "op": op,
                    "ours": ours,
                    "dyn": dyn,
                    "engine": engine,
                    "api": api,
                    "floor_sum": floor_sum,
                    "floor": dyn if has_dyn else floor_sum,
                    "ratio": statistics.median(paired if has_dyn else paired_sum),
                    "ratio_range": (min(paired), max(paired)),
                    "ratio_sum": statistics.median(paired_sum),
                    "ratio_sum_range": (min(paired_sum), max(paired_sum)),
                    "dyn_ratio_sum": statistics.median(dyn_sum) if has_dyn else math.nan,
                    "ours_range": (min(ours_all), max(ours_all)),
                    "dyn_range": (min(dyn_all), max(dyn_all)),
                    "floor_sum_range": (min(sum_all), max(sum_all)),
                }
            )
    return rows
