"""Cumulative import time of the provider's modules, from `python -X importtime` (median of several runs).

Run it from the repository root with the project's venv::

    .venv/bin/python benchmarks/import_time.py              # the providers' and SDK's modules
    .venv/bin/python benchmarks/import_time.py --rounds 15 pulumi.dynamic httpx

Prints a Markdown table (the one BENCHMARKS.md records; `benchmarks/provider_bench.py` measures the same
as part of its run). `vapi_provider` is what a Pulumi program of the dynamic provider imports,
`vapi_provider.provider` what the dynamic-provider process imports when it unpickles the provider,
`vapi_provider.native.server` what the native plugin process imports before it serves, `pulumi_vapi` what
a program of the native provider imports; the reference rows are what any dynamic provider or native
Python plugin pays anyway.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: make `bench` importable

from bench.imports import IMPORT_MODULES, REFERENCE_MODULES, format_table, measure_imports  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("modules", nargs="*", help="modules to time (default: ours)")
    parser.add_argument("--rounds", type=int, default=7, help="fresh interpreters per module (median)")
    parser.add_argument("--no-reference", action="store_true", help="skip pulumi, httpx, pydantic rows")
    args = parser.parse_args(argv)
    modules = tuple(args.modules) or IMPORT_MODULES + (() if args.no_reference else REFERENCE_MODULES)
    results = measure_imports(modules, rounds=args.rounds)
    print("\n".join(format_table(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
