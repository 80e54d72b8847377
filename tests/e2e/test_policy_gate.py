"""scripts/policy-gate for real: scratch git repositories, the real engine, the emulator on loopback.

Each test builds a repository whose base commit holds this checkout's pack (`policies/`), rules
(`vapi_policies/`) and a program, then commits a pull request on top and runs the gate on it. The pull
request's own code is importable (PYTHONPATH is its working tree), so a pull request that edits the rules
would weaken a gate that used them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_harness import REPO_ROOT, PulumiStack, isolated_env
from vapi_emulator import DEMO_API_KEY, RunningEmulator

GATE = REPO_ROOT / "scripts" / "policy-gate"
TYPE = "pulumi-python:dynamic/vapi:VapiPhoneNumber"
NO_DESTINATION_LINE = f"[mandatory]  vapi-number-has-destination  ({TYPE}: support-line)"
COMPLIANT = """\
from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber(
    "support-line",
    VapiPhoneNumberArgs(
        name="Support line",
        number_desired_area_code="415",
        assistant_id="asst-0001",
        fallback_destination={"type": "number", "number": "+14155550100"},
    ),
)
"""
NO_TARGET = COMPLIANT.replace('        assistant_id="asst-0001",\n', "").replace(
    '        fallback_destination={"type": "number", "number": "+14155550100"},\n', ""
)


@dataclass
class Repo:
    root: Path
    env: dict[str, str]

    def git(self, *args: str) -> str:
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True, env=self.env
        )
        return proc.stdout.strip()

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def gate(
        self, base: str, *extra: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(GATE), "--base-ref", base, "--stack", "dev", "--program", str(self.root), *extra],
            cwd=self.root,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


@pytest.fixture
def repo(engine: Path, tmp_path: Path, emulator: RunningEmulator) -> Repo:
    """A repository whose base commit has the pack, the rules, a config and a compliant program."""
    root = tmp_path / "repo"
    root.mkdir()
    env = isolated_env(engine, tmp_path / "pulumi")
    # The pull request's working tree is importable: its vapi_policies would shadow the installed one.
    env["PYTHONPATH"] = f"{root}{os.pathsep}{REPO_ROOT}"
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        env[key] = "Gate Test"
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        env[key] = "gate@example.test"
    made = Repo(root, env)
    made.git("init", "-q", "-b", "main")
    shutil.copytree(REPO_ROOT / "policies", root / "policies", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        REPO_ROOT / "vapi_policies", root / "vapi_policies", ignore=shutil.ignore_patterns("__pycache__")
    )
    made.write(
        "Pulumi.yaml",
        "name: vapi-phone-numbers\nruntime:\n  name: python\n  options:\n    toolchain: pip\n"
        f"    virtualenv: {Path(sys.prefix)}\n",
    )
    made.write("Pulumi.dev.yaml", f"config:\n  vapi:baseUrl: {emulator.url}\n")
    made.write("__main__.py", COMPLIANT)
    made.commit("base")
    return made


def _out(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


def test_gate_fails_a_pull_request_that_removes_a_numbers_target(repo: Repo, emulator: RunningEmulator):
    base = repo.git("rev-parse", "HEAD")
    repo.write("__main__.py", NO_TARGET)
    repo.commit("drop the assistant and the fallback")
    proc = repo.gate(base)
    out = _out(proc)
    assert proc.returncode != 0, out
    assert NO_DESTINATION_LINE in out, out
    assert "policy-gate: failed" in out
    assert emulator.metrics()["total"] == 0


def test_gate_still_fails_when_the_pull_request_also_disables_the_rule(
    repo: Repo, emulator: RunningEmulator, engine: Path, tmp_path: Path
):
    base = repo.git("rev-parse", "HEAD")
    repo.write("__main__.py", NO_TARGET)
    config = json.loads((repo.root / "policies" / "policy-config.example.json").read_text())
    config["vapi-number-has-destination"] = "disabled"
    repo.write("policies/policy-config.example.json", json.dumps(config))
    rules = (repo.root / "vapi_policies" / "rules.py").read_text()
    neutered = rules.replace(
        "    if not is_vapi_number(args.resource_type):\n        return\n    props = args.props\n",
        "    return\n    props = args.props\n",
    )
    assert neutered != rules
    repo.write("vapi_policies/rules.py", neutered)
    repo.commit("drop the target, and switch the rule off twice")

    # Control: the pull request's own pack and config really would let it through.
    own = PulumiStack(
        engine=engine,
        workdir=tmp_path / "control",
        program=repo.root,
        stack="dev",
        extra_env={"PYTHONPATH": repo.env["PYTHONPATH"]},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    control = own.preview(
        "--policy-pack",
        str(own.project_dir / "policies"),
        "--policy-pack-config",
        str(own.project_dir / "policies" / "policy-config.example.json"),
        check=False,
    )
    assert control.returncode == 0, _out(control)
    assert "vapi-number-has-destination" not in _out(control)

    proc = repo.gate(base)
    out = _out(proc)
    assert proc.returncode != 0, out
    assert NO_DESTINATION_LINE in out, out
    assert emulator.metrics()["total"] == 0


def test_gate_gives_a_verdict_without_a_vapi_key(repo: Repo, emulator: RunningEmulator):
    base = repo.git("rev-parse", "HEAD")
    repo.write("__main__.py", COMPLIANT.replace("Support line", "Support line (renamed)"))
    repo.commit("rename the number")
    env = {k: v for k, v in repo.env.items() if not k.startswith("VAPI_")}
    proc = repo.gate(base, env=env)
    out = _out(proc)
    assert proc.returncode == 0, out
    assert "policy-gate: passed" in out
    assert "apiKey" not in out and "VAPI_API_KEY" not in out
    assert emulator.metrics()["total"] == 0


def test_gate_drops_the_vapi_key_from_the_environment_and_the_stack(repo: Repo, emulator: RunningEmulator):
    base = repo.git("rev-parse", "HEAD")
    secret = "vapi-key-that-must-not-reach-the-gate-0001"
    repo.write(
        "__main__.py",
        "import os\n\nassert 'VAPI_API_KEY' not in os.environ, 'the gate passed a Vapi key'\n"
        "import pulumi\n\nassert pulumi.Config('vapi').get('apiKey') is None, 'the gate kept vapi:apiKey'\n"
        + NO_TARGET,
    )
    repo.write(
        "Pulumi.dev.yaml",
        f"encryptionsalt: v1:not-the-gates:v1:salt\nconfig:\n  vapi:baseUrl: {emulator.url}\n"
        "  vapi:apiKey:\n    secure: v1:AAAA:BBBB\n",
    )
    repo.commit("a stack file from the real backend, with an encrypted key")
    proc = repo.gate(base, env={**repo.env, "VAPI_API_KEY": secret})
    out = _out(proc)
    assert NO_DESTINATION_LINE in out, out
    assert "the gate passed a Vapi key" not in out and "the gate kept vapi:apiKey" not in out
    assert secret not in out


def test_gate_refuses_a_base_config_naming_a_policy_the_pack_lacks(repo: Repo):
    typo = {"all": "mandatory", "vapi-number-has-destinaton": "mandatory"}
    repo.write("policies/policy-config.example.json", json.dumps(typo))
    base = repo.commit("a config with a misspelt policy name")
    repo.write("__main__.py", NO_TARGET)
    repo.commit("drop the target")

    proc = repo.gate(base)
    out = _out(proc)
    assert proc.returncode == 2, out
    assert "vapi-number-has-destinaton: this pack has no such policy" in out
    assert "did you mean 'vapi-number-has-destination'?" in out
    assert "policy-gate: error: the base's policy config" in out

    option_typo = {"vapi-number-has-destination": {"allowServerUrlRoutng": True}}
    repo.write("policies/policy-config.example.json", json.dumps(option_typo))
    base = repo.commit("a config with a misspelt option")
    proc = repo.gate(base)
    assert proc.returncode == 2, _out(proc)
    assert "no such option 'allowServerUrlRoutng'" in _out(proc)


def test_the_engine_itself_ignores_unknown_policy_names_and_options(
    make_stack, emulator: RunningEmulator, tmp_path: Path
):
    """Why the gate checks the config: the engine accepts both typos and runs on (measured, v3.274.1)."""
    config = tmp_path / "typo.json"
    config.write_text(
        json.dumps(
            {
                "vapi-number-has-destinaton": "disabled",
                "vapi-unique-numbers": {"checkNamez": False},
            }
        )
    )
    stack = make_stack(
        REPO_ROOT / "tests" / "e2e" / "scenarios" / "policy" / "compliant",
        stack="dev",
        config={"vapi:baseUrl": emulator.url},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    proc = stack.preview(
        "--policy-pack", str(REPO_ROOT / "policies"), "--policy-pack-config", str(config), check=False
    )
    assert proc.returncode == 0, _out(proc)
    assert "destinaton" not in _out(proc) and "checkNamez" not in _out(proc)


def _documented_block(doc: str, marker: str) -> list[str]:
    text = (REPO_ROOT / "docs" / doc).read_text()
    match = re.search(rf"<!-- {marker} -->\n```[a-z]*\n(.*?)\n```", text, re.S)
    assert match, f"docs/{doc} has no <!-- {marker} --> block"
    return match[1].splitlines()


def test_gate_output_is_what_the_docs_show(repo: Repo):
    base = repo.git("rev-parse", "HEAD")
    repo.write("__main__.py", NO_TARGET)
    repo.commit("drop the target")
    proc = repo.gate(base)
    printed = _out(proc).splitlines()
    documented = _documented_block("policies.md", "gate-output")

    def normal(line: str) -> str:
        return re.sub(r"\(local: [^)]*\)", "(local: PACK)", line)

    documented = [normal(line) for line in documented]
    printed = [normal(line) for line in printed]
    start = printed.index(documented[0]) if documented[0] in printed else -1
    assert start >= 0, "\n".join(printed)
    assert printed[start : start + len(documented)] == documented, "\n".join(printed)


def test_gate_stack_tags_reach_the_production_rule(repo: Repo, emulator: RunningEmulator):
    base = repo.git("rev-parse", "HEAD")
    repo.write("__main__.py", COMPLIANT.replace("Support line", "Support line (renamed)"))
    repo.commit("rename the number")
    proc = repo.gate(base, "--stack-tag", "environment=production")
    out = _out(proc)
    assert proc.returncode != 0, out
    assert f"[mandatory]  vapi-production-number-protected  ({TYPE}: support-line)" in out, out
    assert "its stack tag 'environment' marks it as production" in out
    assert repo.gate(base, "--stack-tag", "no-equals-sign").returncode == 2
