"""Where the CPU goes: py-spy samples of the program and provider processes for each operation.

Run it from the repository root with the project's venv (py-spy is not a project requirement:
`.venv/bin/pip install py-spy` first; it needs ptrace rights on the processes it samples)::

    .venv/bin/python benchmarks/profile_ops.py --program native --n 200      # the native provider
    .venv/bin/python benchmarks/profile_ops.py --program natfloor --n 200    # the native-provider floor
    .venv/bin/python benchmarks/profile_ops.py --program vapi --n 200        # the dynamic provider
    .venv/bin/python benchmarks/profile_ops.py --program dynfloor --n 200    # the dynamic-provider floor

It runs the benchmark's five steps (create, no-change preview, refresh, update, destroy) of one program
against an emulator with the benchmark's latency, each `pulumi` command under `py-spy record
--subprocesses` (only on-CPU samples), and prints, per operation and process (`program` is the Pulumi
program, `provider` the `python -m pulumi.dynamic` process or the native plugin), the CPU seconds
sampled, the share spent importing, and the functions and files with the most inclusive time. Raw
collapsed stacks (flamegraph input) stay in `--out` (default: a temporary folder, printed).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _path in (_HERE, _HERE.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench.common import OPS, log  # noqa: E402
from bench.measure import PROGRAM_SPECS, plugin_copy  # noqa: E402
from pulumi_harness import PulumiStack, engine_dir  # noqa: E402

_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^()]*?)(?::\d+)?\)$")
_PROGRAM_MARKER = "pulumi-language-python-exec"
_FIRST_PARTY = ("vapi_provider/", "bench_dynfloor", "bench_noop", "bench_natfloor", "programs/")
_BY_LABEL = {spec.label: spec for spec in PROGRAM_SPECS.values()}
_SPAWN = "import subprocess\nimport sys\n\nsys.exit(subprocess.call(sys.argv[1:]))\n"


def _role(process_frame: str, provider_marker: str) -> str:
    if provider_marker in process_frame:
        return "provider"
    return "program" if _PROGRAM_MARKER in process_frame else "other"


def _package(path: str) -> str:
    """The top-level package of a source file: `pydantic`, `vapi_provider`, `stdlib:asyncio`, ..."""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/vapi_provider/" in path:
        return "vapi_provider"
    if path.startswith("<frozen"):
        return "importlib"
    if "/lib/python3" in path:
        tail = path.split("/lib/python3", 1)[1].split("/", 2)
        return "stdlib:" + (tail[1].removesuffix(".py") if len(tail) > 1 else "?")
    return path.rsplit("/", 1)[-1]


def _first_party(path: str) -> str | None:
    """The file name of a first-party source file (ours, the floors' programs), else None."""
    if any(marker in path for marker in _FIRST_PARTY):
        return path.rsplit("/", 1)[-1]
    return None


def summarise(raw: Path, rate: int, top: int, provider_marker: str = "pulumi.dynamic") -> list[str]:
    """Per role: sampled CPU seconds, the import share, self time by package, first-party functions."""
    samples: Counter[str] = Counter()
    imports: Counter[str] = Counter()
    packages: dict[str, Counter[str]] = {}
    ours: dict[str, Counter[str]] = {}
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        processes = [f for f in frames if f.startswith("process ")]
        if not processes:
            continue
        role = _role(processes[-1], provider_marker)
        parsed = [m for f in frames if not f.startswith(("process ", "thread ")) if (m := _FRAME.match(f))]
        if not parsed:
            continue
        samples[role] += count
        if any(m["func"] in ("_find_and_load", "_load_unlocked") for m in parsed):
            imports[role] += count
        packages.setdefault(role, Counter())[_package(parsed[-1]["file"])] += count
        seen = set()
        for m in parsed:
            where = _first_party(m["file"])
            if where is not None and m["func"] != "<module>":
                seen.add(f"{m['func']} ({where})")
        for name in seen:
            ours.setdefault(role, Counter())[name] += count
    out = []
    for role in ("program", "provider"):
        total = samples[role]
        if not total:
            continue
        out.append(f"  {role}: {total / rate:.2f} s CPU sampled, importing {imports[role] / rate:.2f} s")
        busiest = packages[role].most_common(top)
        out.append("    self time by package: " + "; ".join(f"{n} {c / rate:.2f}" for n, c in busiest))
        if role in ours:
            best = ours[role].most_common(top)
            out.append("    first-party, inclusive: " + "; ".join(f"{n} {c / rate:.2f}" for n, c in best))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--program", choices=sorted(_BY_LABEL), default="native")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--out", type=Path, help="folder for the raw collapsed stacks")
    args = parser.parse_args(argv)
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if py_spy is None:
        parser.error("py-spy is not installed in this venv: .venv/bin/pip install py-spy")
    from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread

    out = args.out or Path(tempfile.mkdtemp(prefix="vapi-profile-"))
    out.mkdir(parents=True, exist_ok=True)
    engine = engine_dir()
    config = EmulatorConfig(
        latency_seconds=args.latency, activation_delay_seconds=0.1, free_number_quota=1000
    )
    with serve_in_thread(config) as emulator, tempfile.TemporaryDirectory(prefix="vapi-profile-") as tmp:
        spawn = Path(tmp) / "spawn.py"  # a Python parent for py-spy to follow (pulumi itself is Go)
        spawn.write_text(_SPAWN)
        spec = _BY_LABEL[args.program]
        config = {"bench:count": str(args.n), "bench:variant": "0"}
        secrets = {}
        if spec.config_namespace:
            config[f"{spec.config_namespace}:baseUrl"] = emulator.url
            config[f"{spec.config_namespace}:pollIntervalSeconds"] = "0.1"
            secrets[f"{spec.config_namespace}:apiKey"] = DEMO_API_KEY
        extra, marker = "", "pulumi.dynamic"
        if spec.plugin:
            name, source = spec.plugin
            folder = plugin_copy(source, Path(tmp) / f"{spec.label}-plugin")
            extra = f"plugins:\n  providers:\n    - name: {name}\n      path: {folder}\n"
            marker = str(folder)
        stack = PulumiStack(
            engine=engine,
            workdir=Path(tmp) / "run",
            program=spec.program,
            stack="bench",
            project=f"profile-{args.program}",
            config=config,
            secret_config=secrets,
            project_yaml_extra=extra,
        )
        commands = {
            "create": ["up", "--yes", "--skip-preview"],
            "preview": ["preview"],
            "refresh": ["refresh", "--yes", "--skip-preview"],
            "update": ["up", "--yes", "--skip-preview"],
            "destroy": ["destroy", "--yes", "--skip-preview"],
        }
        for op in OPS:
            if op == "update":
                stack.run("config", "set", "bench:variant", "1")
            raw = out / f"{args.program}-{args.n}-{op}.txt"
            cmd = [py_spy, "record", "--subprocesses", "--nonblocking", "--full-filenames"]
            cmd += ["-r", str(args.rate), "-f", "raw", "-o", str(raw), "--", sys.executable, str(spawn)]
            cmd += ["pulumi", *commands[op]]
            cmd += ["--non-interactive", "--stack", stack.stack]
            proc = subprocess.run(
                cmd, cwd=stack.project_dir, env=stack.env, capture_output=True, text=True, check=False
            )
            if proc.returncode != 0 or not raw.exists():
                raise RuntimeError(f"{op} failed under py-spy:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
            print(f"{args.program} N={args.n} {op}:")
            print("\n".join(summarise(raw, args.rate, args.top, marker)))
    log(f"raw collapsed stacks in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
