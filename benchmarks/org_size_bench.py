"""Does a create cost more in a bigger org? 50 explicitly named numbers created in orgs of 0, 1,000 and 5,000.

Each create searches for its claim name (`GET /v2/phone-number?search=...`, whose answer holds only the
numbers containing it), POSTs, and renames the number with one PATCH: nothing lists the whole org. This
runs `pulumi up` of 50 named SIP numbers through the real CLI, with the project's program (dynamic
provider) and its native twin (`tests/e2e/programs/native_config`, the `vapi` plugin), against one
in-process emulator per run that already holds 0, 1,000 or 5,000 numbers of another stack, and reports
the requests by route and the wall time of each `up`. Run from the repository root with the project's venv::

    .venv/bin/python benchmarks/org_size_bench.py                    # 0, 1000, 5000; 50 numbers; 50 ms
    .venv/bin/python benchmarks/org_size_bench.py --sizes 0 200 --numbers 10 --latency 0
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# Run as a script: make `pulumi_harness` and the packages (the repository root) importable.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402

from pulumi_harness import REPO_ROOT, PulumiStack, engine_dir, native_plugin_dir, native_plugin_yaml  # noqa: E402
from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread  # noqa: E402

PROGRAMS = {"dynamic": REPO_ROOT / "__main__.py", "native": REPO_ROOT / "tests/e2e/programs/native_config"}


def _fill(url: str, count: int) -> None:
    """`count` numbers of another stack (SIP numbers, named like ours would never be)."""
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for i in range(count):
            body = {"provider": "vapi", "name": f"other {i}", "sipUri": f"sip:other-{i:05d}@sip.vapi.ai"}
            client.post("/phone-number", json=body).raise_for_status()


def run(provider: str, org_size: int, count: int, latency: float) -> tuple[float, dict[str, int]]:
    """Wall seconds of one `pulumi up` of `count` named numbers, and its requests by route."""
    numbers = {
        f"n{i:03d}": {"name": f"line {i}", "sipUri": f"sip:line-{i:03d}@sip.vapi.ai"} for i in range(count)
    }
    with (
        serve_in_thread(EmulatorConfig(free_number_quota=10_000)) as emulator,
        tempfile.TemporaryDirectory() as work,
    ):
        _fill(emulator.url, org_size)
        extra = {}
        if provider == "native":
            extra["project_yaml_extra"] = native_plugin_yaml(native_plugin_dir(Path(work)))
        stack = PulumiStack(
            engine=engine_dir(),
            workdir=Path(work) / "run",
            program=PROGRAMS[provider],
            project="vapi-phone-numbers",
            config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
            secret_config={"vapi:apiKey": DEMO_API_KEY},
            **extra,
        )
        stack.set_config_object("vapi-phone-numbers:numbers", numbers)
        emulator.configure(latency_seconds=latency)
        emulator.reset_metrics()
        started = time.perf_counter()
        stack.up()
        seconds = time.perf_counter() - started
        requests = dict(sorted(emulator.metrics()["requests"].items()))
        assert len(emulator.numbers()) == org_size + count
        return seconds, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 5000])
    parser.add_argument("--numbers", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the emulator adds per request")
    parser.add_argument("--providers", nargs="+", default=["dynamic", "native"])
    args = parser.parse_args()
    print(f"| provider | org size | `pulumi up` of {args.numbers} named numbers (s) | requests |")
    print("|---|---:|---:|---|")
    for provider in args.providers:
        for size in args.sizes:
            seconds, requests = run(provider, size, args.numbers, args.latency)
            listed = ", ".join(f"{route}: {n}" for route, n in requests.items())
            print(f"| {provider} | {size:,} | {seconds:.2f} | {listed} |", flush=True)


if __name__ == "__main__":
    main()
