"""Provider benchmark: the Vapi dynamic and native providers, each against its own tight floor.

Run it from the repository root with the project's venv::

    .venv/bin/python benchmarks/provider_bench.py                 # N = 10, 50, 200; writes BENCHMARKS.md
    .venv/bin/python benchmarks/provider_bench.py --sizes 10 --repeat 1 --out /tmp/b.md --chart /tmp/b.png
    .venv/bin/python benchmarks/provider_bench.py --quick         # N = 3, to check that everything works
    .venv/bin/python benchmarks/provider_bench.py --from-json r.json   # re-render a saved run

For each N it measures five operations, each through the real `pulumi` CLI (isolated by
`pulumi_harness`): `pulumi up` (create), a no-change `pulumi preview`, `pulumi refresh`, an update that
changes every number's assistantId, and `pulumi destroy`, for our dynamic provider
(`benchmarks/programs/vapi`) and its floor (`benchmarks/programs/dynfloor`: a no-op dynamic provider
making the same HTTP calls), our native `vapi` plugin (`benchmarks/programs/native`, the plugin in
`plugin/`) and its floor (`benchmarks/programs/natfloor` with the no-op `vapifloor` plugin in
`benchmarks/plugins/vapifloor`), optionally the engine floor (`benchmarks/programs/noop`, `--programs`),
and the API floor (the HTTP calls alone), against one in-process emulator that adds a fixed latency to
every request. It also records the import times of the providers' modules. The parts live in
`benchmarks/bench/`: `measure`, `imports`, `report`, `chart`.

The report keeps the hand-written text between `<!-- analysis:start -->` and `<!-- analysis:end -->` of an
existing output file, so re-running does not lose the explanations.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# Run as a script: make `bench` (next to this file), `pulumi_harness` and the packages (the root) importable.
_HERE = Path(__file__).resolve().parent
for _path in (_HERE, _HERE.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench.common import PROGRAM_KINDS, PROVIDER_THREADS, REPO_ROOT, log  # noqa: E402

DEFAULT_PROGRAMS = ("dyn", "dynamic", "native", "nat")
"""The engine floor (`engine`, no-op dynamic resources) is left out by default to keep the run short."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
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
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetitions at the largest N; medians are reported"
    )
    parser.add_argument(
        "--repeat-small", type=int, default=2, help="repetitions at the other N (at most --repeat)"
    )
    parser.add_argument("--import-rounds", type=int, default=7, help="fresh interpreters per import timed")
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 3 only, once")
    parser.add_argument(
        "--programs",
        default=",".join(DEFAULT_PROGRAMS),
        help=f"comma-separated programs, of {','.join(PROGRAM_KINDS)} (default {','.join(DEFAULT_PROGRAMS)})",
    )
    parser.add_argument("--api-floor-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [3] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    args.programs = [p.strip() for p in args.programs.split(",") if p.strip()]
    unknown = sorted(set(args.programs) - set(PROGRAM_KINDS))
    if unknown:
        parser.error(f"--programs: unknown {', '.join(unknown)}; choose from {', '.join(PROGRAM_KINDS)}")
    if args.quick:
        args.repeat = 1
        args.repeat_small = 1
        args.import_rounds = 1
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.api_floor_worker:
        from bench.measure import api_floor_worker

        print(json.dumps(api_floor_worker(json.loads(args.api_floor_worker))))
        return 0
    from bench.chart import render_chart
    from bench.report import previous_analysis, render_report

    started = time.perf_counter()
    if args.from_json:
        results = json.loads(args.from_json.read_text())
    else:
        from bench.measure import run_benchmark

        results = run_benchmark(args)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
            log(f"raw results in {args.json}")
    render_chart(results, args.chart)
    args.out.write_text(render_report(results, previous_analysis(args.out), args.chart, args.out))
    log(f"wrote {args.out} and {args.chart}")
    minutes, seconds = divmod(round(time.perf_counter() - started), 60)
    print(f"benchmark finished in {minutes} min {seconds:02d} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
