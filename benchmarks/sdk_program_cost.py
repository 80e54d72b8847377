"""Program-side CPU per resource: the `pulumi_vapi` SDK's `PhoneNumber` against a plain `CustomResource`.

Run it from the repository root with the project's venv::

    .venv/bin/python benchmarks/sdk_program_cost.py             # 200 numbers, 5 rounds
    .venv/bin/python benchmarks/sdk_program_cost.py --profile   # plus the hottest functions of the SDK run

Declares the benchmark's N numbers in-process against Pulumi's mock monitor (`pulumi.runtime.set_mocks`,
which answers every registration at once with the inputs and Vapi's computed keys), once with the SDK
(`benchmarks/programs/native`'s declarations: a typed output for every property of the table) and once as
the native floor's program declares them (`pulumi.CustomResource` with four inputs and five computed
keys), and prints the CPU milliseconds per resource of declaring and resolving them (median of the
rounds). The engine, the gRPC hop and the provider are not in it: what remains is the Python SDK's work
for one resource, which the program process of a real run pays on top of those.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the checkout's packages

import pulumi  # noqa: E402

import pulumi_vapi as vapi  # noqa: E402

_ASSISTANT = "00000000-0000-4000-8000-000000000000"
_COMPUTED = {"orgId": "org-1", "status": "active", "createdAt": "2026-12-01T00:00:00Z"}
_OUTPUT_ONLY_KEYS = ("orgId", "number", "status", "createdAt", "updatedAt")


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", {**args.inputs, **_COMPUTED}

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # noqa: ARG002
        return {}


class _Raw(pulumi.CustomResource):
    def __init__(self, name: str, props: dict[str, Any]) -> None:
        super().__init__("vapi:index:PhoneNumber", name, {**props, **dict.fromkeys(_OUTPUT_ONLY_KEYS)})


def _sdk(n: int) -> list[pulumi.CustomResource]:
    out: list[pulumi.CustomResource] = []
    for i in range(n):
        if i % 10 == 9:
            out.append(vapi.PhoneNumber(f"n{i:03d}", number_desired_area_code="415", assistant_id=_ASSISTANT))
        else:
            uri = f"sip:native-{i:03d}@sip.vapi.ai"
            out.append(vapi.PhoneNumber(f"n{i:03d}", sip_uri=uri, assistant_id=_ASSISTANT))
    return out


def _raw(n: int) -> list[pulumi.CustomResource]:
    out: list[pulumi.CustomResource] = []
    for i in range(n):
        props: dict[str, Any] = {"name": f"nat-{i:03d}", "assistantId": _ASSISTANT}
        if i % 10 == 9:
            props["numberDesiredAreaCode"] = "415"
        else:
            props["sipUri"] = f"sip:nat-{i:03d}@sip.vapi.ai"
        out.append(_Raw(f"n{i:03d}", props))
    return out


def _run(declare: Callable[[int], list[pulumi.CustomResource]], n: int) -> float:
    """CPU seconds to declare n resources and wait until every one is registered and resolved."""
    from pulumi.runtime.stack import wait_for_rpcs

    pulumi.runtime.set_mocks(_Mocks(), preview=False)
    loop = asyncio.get_event_loop()
    started = time.process_time()
    resources = declare(n)
    loop.run_until_complete(asyncio.gather(*(r.id.future() for r in resources)))
    loop.run_until_complete(wait_for_rpcs())
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print the SDK run's hottest functions")
    parser.add_argument(
        "--cache-version",
        action="store_true",
        help="what-if: the SDK's get_version() cached (it reads the distribution's metadata per resource)",
    )
    args = parser.parse_args(argv)
    if args.cache_version:
        import functools

        from pulumi_vapi import _utilities

        _utilities.get_version = functools.cache(_utilities.get_version)  # type: ignore[method-assign]
    _run(_sdk, 10)
    _run(_raw, 10)  # warm-up: imports and first-use caches
    times: dict[str, list[float]] = {"sdk (pulumi_vapi.PhoneNumber)": [], "plain CustomResource": []}
    for _ in range(args.rounds):
        times["sdk (pulumi_vapi.PhoneNumber)"].append(_run(_sdk, args.n))
        times["plain CustomResource"].append(_run(_raw, args.n))
    print(f"program CPU ms per resource, mock monitor (median of {args.rounds} rounds of {args.n}):")
    print("| declared as | ms per resource | min–max |")
    print("|---|---:|---:|")
    for name, values in times.items():
        per = [v / args.n * 1000 for v in values]
        print(f"| {name} | {statistics.median(per):.2f} | {min(per):.2f}–{max(per):.2f} |")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        _run(_sdk, args.n)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
