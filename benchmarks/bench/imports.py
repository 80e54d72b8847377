"""Cumulative import times, from `python -X importtime -c "import MODULE"`.

Each module is imported in a fresh interpreter (run from the repository root, so the checkout's own
packages are imported), once to warm the bytecode caches and then `rounds` times; the figure is the
median. The interpreter's own start-up imports are excluded: the command writes a marker to stderr
before the import statement, and only the import-time lines after it count. The cumulative time of the
statement is the sum of the cumulative times of its top-level lines (a dotted module imports its
package first). Self times are also summed per top-level package (`pydantic`, `httpx`, `pulumi`, ...)
to show where the time goes.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from typing import Any

from bench.common import REPO_ROOT

__all__ = ["IMPORT_MODULES", "REFERENCE_MODULES", "format_table", "import_profile", "measure_imports"]

IMPORT_MODULES = (
    "vapi_provider.client",
    "vapi_provider",
    "vapi_provider.provider",
    "vapi_provider.native.server",
    "pulumi_vapi",
)
"""What a dynamic program (`vapi_provider`), the dynamic-provider process (`vapi_provider.provider`), the
native plugin process (`vapi_provider.native.server`, through `vapi_provider.native.serve`) and a program
of the native provider (`pulumi_vapi`, the SDK) import."""
REFERENCE_MODULES = ("pulumi", "pulumi.dynamic", "pulumi.provider.experimental.server", "httpx", "pydantic")
"""For comparison: what every dynamic provider (and the dynamic floor) and every native Python plugin (and
the native floor) pay anyway, and two libraries."""

_MARKER = "--bench-import-marker--"
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$")


def import_profile(module: str) -> dict[str, Any]:
    """One fresh `import MODULE`: cumulative microseconds, and self microseconds per top-level package."""
    code = f"import sys; sys.stderr.write({_MARKER!r} + '\\n'); sys.stderr.flush(); import {module}"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"`import {module}` failed:\n{proc.stderr[-2000:]}")
    lines = proc.stderr.split(_MARKER + "\n", 1)[-1].splitlines()
    cumulative = 0
    by_package: dict[str, int] = {}
    modules = 0
    for line in lines:
        match = _LINE.match(line)
        if match is None:
            continue
        self_us, cum_us, indent, name = int(match[1]), int(match[2]), len(match[3]), match[4]
        modules += 1
        if indent <= 1:
            cumulative += cum_us
        package = name.split(".", 1)[0]
        by_package[package] = by_package.get(package, 0) + self_us
    return {"cumulative_us": cumulative, "modules": modules, "self_us_by_package": by_package}


def measure_imports(modules: tuple[str, ...], rounds: int = 7) -> dict[str, dict[str, Any]]:
    """{module: {"median_ms", "all_ms", "modules", "self_ms_by_package" (medians, largest first)}}."""
    out: dict[str, dict[str, Any]] = {}
    for module in modules:
        import_profile(module)  # warm-up: bytecode compiled, files in the page cache
        profiles = [import_profile(module) for _ in range(rounds)]
        packages = {p for prof in profiles for p in prof["self_us_by_package"]}
        by_package = {
            p: statistics.median(prof["self_us_by_package"].get(p, 0) for prof in profiles) / 1000
            for p in packages
        }
        out[module] = {
            "median_ms": statistics.median(p["cumulative_us"] for p in profiles) / 1000,
            "all_ms": [p["cumulative_us"] / 1000 for p in profiles],
            "modules": statistics.median(p["modules"] for p in profiles),
            "self_ms_by_package": dict(sorted(by_package.items(), key=lambda kv: kv[1], reverse=True)),
        }
    return out


def format_table(results: dict[str, dict[str, Any]], top: int = 6) -> list[str]:
    """Markdown rows: module, median cumulative ms, min–max, modules imported, largest packages."""
    rows = [
        "| import | cumulative (median) | min–max | modules | self time by package (largest first) |",
        "|---|---:|---:|---:|---|",
    ]
    for module, data in results.items():
        packages = ", ".join(
            f"{name} {ms:.0f}" for name, ms in list(data["self_ms_by_package"].items())[:top] if ms >= 0.5
        )
        rows.append(
            f"| `import {module}` | {data['median_ms']:.0f} ms | {min(data['all_ms']):.0f}–"
            f"{max(data['all_ms']):.0f} ms | {data['modules']:.0f} | {packages} (ms) |"
        )
    return rows
