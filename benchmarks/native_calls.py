"""Per-call CPU of the native provider against the native floor, in-process (no engine, no gRPC).

Run it from the repository root with the project's venv::

    .venv/bin/python benchmarks/native_calls.py            # 200 numbers, 5 rounds
    .venv/bin/python benchmarks/native_calls.py --profile  # plus the functions with the most own time

It calls `check` and `diff` (what a no-change preview asks of the provider for every number) and the
conversions of a create's answer on `vapi_provider.native.VapiProvider` and on the floor's
`NatFloorProvider`, for the benchmark's numbers, and prints the CPU milliseconds per number (the median
of the rounds), so the provider's own share of the preview gap can be read without the noise of a shared
machine's engine runs. No API call is made: check and diff are local in both.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
for _path in (_HERE / "plugins" / "vapifloor", _HERE, _HERE.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench_natfloor_provider import NatFloorProvider  # noqa: E402
from pulumi.provider.experimental.property_value import PropertyValue  # noqa: E402
from pulumi.provider.experimental.provider import CheckRequest, DiffRequest  # noqa: E402

from vapi_provider.native.provider import VapiProvider  # noqa: E402

_URN = "urn:pulumi:bench::bench-native::{token}::n{i:03d}"
_ASSISTANT = "00000000-0000-4000-8000-000000000000"


def _inputs(i: int, floor: bool) -> dict[str, PropertyValue]:
    props: dict[str, Any] = {"assistantId": _ASSISTANT}
    if floor:
        props["name"] = f"nat-{i:03d}"
    if i % 10 == 9:
        props["numberDesiredAreaCode"] = "415"
    else:
        props["sipUri"] = f"sip:native-{i:03d}@sip.vapi.ai"
    return {k: PropertyValue(v) for k, v in props.items()}


def _state(checked: dict[str, PropertyValue], i: int) -> dict[str, PropertyValue]:
    """What the state holds after create: the checked inputs and Vapi's computed keys."""
    state = dict(checked)
    state.update(
        {
            "orgId": PropertyValue("00000000-0000-4000-8000-00000000beef"),
            "status": PropertyValue("active"),
            "createdAt": PropertyValue("2026-12-01T00:00:00.000Z"),
            "updatedAt": PropertyValue("2026-12-01T00:00:00.000Z"),
        }
    )
    if "name" not in state:
        state["name"] = PropertyValue(f"n{i:03d}-abcdefg")
    return state


async def _round(provider: Any, token: str, n: int, floor: bool) -> tuple[float, float]:
    """CPU seconds of n checks, then of n diffs against the resulting state."""
    checked = []
    started = time.process_time()
    for i in range(n):
        request = CheckRequest(_URN.format(token=token, i=i), {}, _inputs(i, floor), bytes(range(32)))
        response = await provider.check(request)
        if response.failures:
            raise RuntimeError(f"check failed: {[(f.property, f.reason) for f in response.failures]}")
        checked.append(response.inputs or {})
    check_s = time.process_time() - started
    states = [_state(c, i) for i, c in enumerate(checked)]
    started = time.process_time()
    for i in range(n):
        urn = _URN.format(token=token, i=i)
        olds = states[i]
        news = await provider.check(CheckRequest(urn, olds, _inputs(i, floor), bytes(range(32))))
        diff = await provider.diff(DiffRequest(urn, f"id-{i}", olds, news.inputs or {}, []))
        if diff.changes:
            raise RuntimeError(f"unexpected change for number {i}: {diff.diffs}")
    diff_s = time.process_time() - started
    return check_s, diff_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--profile", action="store_true", help="print the native provider's hottest functions"
    )
    args = parser.parse_args(argv)
    native = VapiProvider()
    floor = NatFloorProvider()
    subjects = (
        ("native", native, "vapi:index:PhoneNumber", False),
        ("floor", floor, "vapifloor:index:PhoneNumber", True),
    )
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in subjects}
    for _ in range(args.rounds):
        for name, provider, token, is_floor in subjects:
            results[name].append(asyncio.run(_round(provider, token, args.n, is_floor)))
    print(f"CPU ms per number (median of {args.rounds} rounds of {args.n}):")
    print("| provider | check (first preview / create) | check + diff (no-change preview) |")
    print("|---|---:|---:|")
    for name, rounds in results.items():
        check = statistics.median(r[0] for r in rounds) / args.n * 1000
        diff = statistics.median(r[1] for r in rounds) / args.n * 1000
        print(f"| {name} | {check:.3f} | {diff:.3f} |")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(_round(native, "vapi:index:PhoneNumber", args.n, False))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
    native.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
