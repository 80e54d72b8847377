"""Grade a pull request's Pulumi program with the BASE branch's policy pack and policy config.

    python3 scripts/policy_gate.py --base-ref <sha> --stack <name> [--program DIR] [--pack policies]
        [--config policies/policy-config.example.json] [--stack-tag KEY=VALUE ...] [-- PREVIEW ARGS]

What a pull request changes cannot change how it is graded:

1. The pack folder, the policy config and (when the base tree has it) the rules package ``vapi_policies/``
   are taken from the base commit with ``git archive`` into a temporary folder. The rules package is put
   inside the pack folder, which is the first entry of the pack's ``sys.path``, so the base's rules win over
   any copy the pull request installed.
2. The base's config is checked against the base's own policy list (``python -m vapi_policies.config_check``):
   a policy name or option the pack does not have fails the gate instead of being ignored.
3. The program (the pull request's working tree) is copied and previewed in a scratch stack of the same name
   in a temporary file backend, with a throwaway passphrase and no Vapi key: every ``VAPI_*`` variable,
   ``PULUMI_ACCESS_TOKEN`` and the stack's ``vapi:apiKey`` are dropped, and other secret config values are
   replaced by a placeholder. A preview never calls Vapi's create, update or delete endpoints.

Exit status: the preview's (non-zero on a mandatory violation), or 2 when the gate itself cannot run (no pack
or config at the base, an unsound config, a git or setup failure).

This file uses only the standard library (and PyYAML, which every Pulumi Python SDK install has), so CI can
run the base's copy of it: ``git show <base>:scripts/policy_gate.py > gate.py && python3 gate.py ...``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

RULES_PACKAGE = "vapi_policies"
PLACEHOLDER_SECRET = "policy-gate-placeholder-secret-0000"  # 35 characters
SCRATCH_PASSPHRASE = "policy-gate-scratch-passphrase"
DROPPED_CONFIG_KEYS = ("vapi:apiKey",)
IGNORED_IN_COPY = (".git", "__pycache__", ".pulumi-state", ".pulumi-home", ".mypy_cache", ".ruff_cache")


class GateError(Exception):
    """The gate cannot give a verdict; the message says why and what to do."""


def log(message: str) -> None:
    sys.stderr.write(f"policy-gate: {message}\n")
    sys.stderr.flush()


def git(repo: Path, *args: str, binary: bool = False) -> Any:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if proc.returncode != 0:
        raise GateError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout if binary else proc.stdout.decode().strip()


def exists_at(repo: Path, commit: str, path: str) -> bool:
    proc = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "-e", f"{commit}:{path}"], capture_output=True, check=False
    )
    return proc.returncode == 0


def extract_base(repo: Path, commit: str, paths: Sequence[str], into: Path) -> None:
    """``git archive`` the given paths of ``commit`` into ``into`` (no checkout, no change to the repo)."""
    data = git(repo, "archive", "--format=tar", commit, "--", *paths, binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(into, filter="data")


def absolute_virtualenv(yaml_path: Path, original_dir: Path) -> None:
    """Rewrite a relative ``runtime.options.virtualenv`` to where it lives next to the original folder."""
    data = yaml.safe_load(yaml_path.read_text()) or {}
    runtime = data.get("runtime")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    venv = options.get("virtualenv") if isinstance(options, dict) else None
    if isinstance(venv, str) and venv and not Path(venv).is_absolute():
        assert isinstance(options, dict)
        options["virtualenv"] = str((original_dir / venv).resolve())
        yaml_path.write_text(yaml.safe_dump(data, sort_keys=False))


def scrub_secrets(value: Any) -> Any:
    """Secret config values (``{secure: ...}``) become a placeholder; the gate has no passphrase."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return PLACEHOLDER_SECRET
        return {k: scrub_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_secrets(v) for v in value]
    return value


def scratch_stack_config(source: Path, target: Path) -> None:
    """The stack's config without its encryption settings, its Vapi key and its secret values."""
    data: dict[str, Any] = {}
    if source.exists():
        data = yaml.safe_load(source.read_text()) or {}
    config = {
        k: scrub_secrets(v) for k, v in (data.get("config") or {}).items() if k not in DROPPED_CONFIG_KEYS
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump({"config": config}, sort_keys=False) if config else "")


def gate_env(workdir: Path, python: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("VAPI_")
        and k
        not in (
            "PULUMI_ACCESS_TOKEN",
            "PULUMI_BACKEND_URL",
            "PULUMI_CONFIG_PASSPHRASE",
            "PULUMI_CONFIG_PASSPHRASE_FILE",
        )
    }
    backend = workdir / "backend"
    backend.mkdir()
    env.update(
        {
            "PULUMI_BACKEND_URL": backend.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": SCRATCH_PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_PYTHON_CMD": env.get("PULUMI_PYTHON_CMD") or python,
        }
    )
    return env


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    extra: list[str] = []
    if "--" in argv:
        at = list(argv).index("--")
        argv, extra = list(argv[:at]), list(argv[at + 1 :])
    parser = argparse.ArgumentParser(
        prog="policy-gate", description="Preview a program under the base commit's policy pack and config."
    )
    parser.add_argument("--base-ref", required=True, help="commit (or ref) whose pack and config grade")
    parser.add_argument("--stack", required=True, help="name of the stack to preview (a scratch copy)")
    parser.add_argument("--program", default=".", help="folder of the Pulumi program (default: .)")
    parser.add_argument("--repo", help="git repository holding the base commit (default: the program's)")
    parser.add_argument("--pack", default="policies", help="pack folder, relative to the repository root")
    parser.add_argument(
        "--config",
        default="policies/policy-config.example.json",
        help="policy config file, relative to the repository root",
    )
    parser.add_argument(
        "--stack-tag", action="append", default=[], metavar="KEY=VALUE", help="tag the scratch stack"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (for debugging)")
    return parser.parse_args(argv), extra


def run_gate(args: argparse.Namespace, extra: Sequence[str], workdir: Path) -> int:
    program = Path(args.program).resolve()
    if not (program / "Pulumi.yaml").is_file():
        raise GateError(f"--program {program} has no Pulumi.yaml: point it at the Pulumi project folder")
    repo = Path(git(Path(args.repo or program), "rev-parse", "--show-toplevel"))
    base = git(repo, "rev-parse", "--verify", "--quiet", f"{args.base_ref}^{{commit}}")
    for path, what in ((args.pack, "--pack"), (args.config, "--config")):
        if not exists_at(repo, base, path):
            raise GateError(f"the base commit {base[:12]} has no {path} ({what}): nothing to grade with")
    paths = [args.pack, args.config]
    if exists_at(repo, base, RULES_PACKAGE):
        paths.append(RULES_PACKAGE)
    base_dir = workdir / "base"
    base_dir.mkdir()
    extract_base(repo, base, paths, base_dir)
    pack = base_dir / args.pack
    config = base_dir / args.config
    if (base_dir / RULES_PACKAGE).is_dir():
        # The pack runs as `python -m pulumi.policy` in its own folder: that folder comes first on
        # sys.path, before PYTHONPATH and the installed (pull request's) copy of the rules.
        shutil.move(str(base_dir / RULES_PACKAGE), str(pack / RULES_PACKAGE))
    if (pack / "PulumiPolicy.yaml").is_file():
        absolute_virtualenv(pack / "PulumiPolicy.yaml", repo / args.pack)
    log(f"grading {program} with {args.pack} and {args.config} of base commit {base[:12]}")

    env = gate_env(workdir, sys.executable)
    check = subprocess.run(
        [env["PULUMI_PYTHON_CMD"], "-m", f"{RULES_PACKAGE}.config_check", str(config)],
        cwd=pack,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        sys.stderr.write(check.stderr)
        raise GateError(
            f"the base's policy config {args.config} does not match its pack's policies; fix it on the base "
            "branch (a config that names a policy or option the pack lacks would weaken the gate)"
        )

    copy = workdir / "program"
    shutil.copytree(program, copy, symlinks=True, ignore=shutil.ignore_patterns(*IGNORED_IN_COPY))
    absolute_virtualenv(copy / "Pulumi.yaml", program)
    project = yaml.safe_load((program / "Pulumi.yaml").read_text()) or {}
    config_dir = project.get("stackConfigDir") or "."
    for stale in (copy / config_dir).glob("Pulumi.*.yaml"):
        stale.unlink()
    stack_file = f"Pulumi.{args.stack}.yaml"
    scratch_stack_config(program / config_dir / stack_file, copy / config_dir / stack_file)

    def pulumi(*cmd: str) -> int:
        return subprocess.run(
            ["pulumi", *cmd, "--non-interactive"], cwd=copy, env=env, check=False
        ).returncode

    if subprocess.run(
        ["pulumi", "stack", "init", args.stack, "--non-interactive"],
        cwd=copy,
        env=env,
        check=False,
        capture_output=True,
    ).returncode:
        raise GateError(f"could not create the scratch stack {args.stack}")
    for tag in args.stack_tag:
        key, sep, value = tag.partition("=")
        if not sep or not key:
            raise GateError(f"--stack-tag {tag!r}: write it as KEY=VALUE")
        if pulumi("stack", "tag", "set", key, value, "--stack", args.stack):
            raise GateError(f"could not set the stack tag {key}")
    sys.stdout.flush()
    return pulumi(
        "preview",
        "--stack",
        args.stack,
        "--color",
        "never",
        "--policy-pack",
        str(pack),
        "--policy-pack-config",
        str(config),
        *extra,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parse_args(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="policy-gate-"))
    try:
        code = run_gate(args, extra, workdir)
    except GateError as exc:
        log(f"error: {exc}")
        return 2
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    log("passed" if code == 0 else f"failed (pulumi preview exited {code})")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
