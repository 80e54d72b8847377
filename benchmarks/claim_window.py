"""How wide is the window in which a kill leaves an explicitly named number without proof?

A create is sent under its claim name and renamed to its declared name by one PATCH once it can be
recorded (docs/provider.md, "Claim names"). A kill after that PATCH's answer and before the engine's
checkpoint holds the resource leaves a number whose name proves nothing. This measures, through the real
`pulumi` CLI and the project's program against the in-process emulator, per number:

- the window: from the rename (the number's `updatedAt` at the emulator) to the first checkpoint that
  holds its id (the backend's checkpoint file is read every 2 ms);
- the create: from the emulator's `createdAt` to that checkpoint.

It prints both, and the window's share of the create's time: the chance that a kill landing uniformly
within that create needs a decision. Run from the repository root with the project's venv::

    .venv/bin/python benchmarks/claim_window.py            # 20 named SIP numbers, 3 runs
    .venv/bin/python benchmarks/claim_window.py --numbers 50 --runs 1 --latency 0.05
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

# Run as a script: make `pulumi_harness` and the packages (the repository root) importable.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from pulumi_harness import REPO_ROOT, PulumiStack, engine_dir  # noqa: E402
from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread  # noqa: E402


def _when(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def _watch(backend: Path, seen: dict[str, float], stop: threading.Event) -> None:
    while not stop.is_set():
        for checkpoint in backend.rglob("*.json"):
            try:
                data = json.loads(checkpoint.read_text())
            except (OSError, ValueError):
                continue
            for resource in (data.get("checkpoint", {}).get("latest") or {}).get("resources") or []:
                rid = resource.get("id")
                if rid and rid not in seen:
                    seen[rid] = time.time()
        time.sleep(0.002)


def measure(count: int, latency: float) -> list[tuple[float, float]]:
    """(window, create) seconds per number of one `pulumi up` of `count` named SIP numbers."""
    numbers = {
        f"w{i:02d}": {"name": f"window line {i}", "sipUri": f"sip:window-{i:02d}@sip.vapi.ai"}
        for i in range(count)
    }
    config = EmulatorConfig(activation_delay_seconds=0.0, latency_seconds=latency, free_number_quota=1000)
    with serve_in_thread(config) as emulator, tempfile.TemporaryDirectory() as work:
        stack = PulumiStack(
            engine=engine_dir(),
            workdir=Path(work),
            program=REPO_ROOT / "__main__.py",
            project="vapi-phone-numbers",
            config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
            secret_config={"vapi:apiKey": DEMO_API_KEY},
        )
        stack.set_config_object("vapi-phone-numbers:numbers", numbers)
        seen: dict[str, float] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(Path(work) / "backend", seen, stop), daemon=True)
        watcher.start()
        stack.up()
        stop.set()
        watcher.join()
        out = []
        for number in emulator.numbers():
            recorded = seen[number["id"]]
            out.append((recorded - _when(number["updatedAt"]), recorded - _when(number["createdAt"])))
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numbers", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the emulator adds per request")
    args = parser.parse_args()
    samples: list[tuple[float, float]] = []
    for _ in range(args.runs):
        samples.extend(measure(args.numbers, args.latency))
    windows = sorted(w for w, _ in samples)
    shares = sorted(w / c for w, c in samples if c > 0)
    print(
        f"{len(samples)} named creates, {args.latency * 1000:.0f} ms per request: window median "
        f"{statistics.median(windows) * 1000:.0f} ms, max {windows[-1] * 1000:.0f} ms; create median "
        f"{statistics.median(c for _, c in samples) * 1000:.0f} ms; window share of the create median "
        f"{statistics.median(shares):.1%}, max {shares[-1]:.1%}"
    )


if __name__ == "__main__":
    main()
