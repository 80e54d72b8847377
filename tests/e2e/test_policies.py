"""The policy pack with the real engine: `pulumi preview --policy-pack policies` over scenario programs.

Each scenario is a program under tests/e2e/scenarios/policy/; EXPECTED.json lists, per scenario and
policy configuration, whether the preview fails and the exact violation lines it must print. A preview
never calls the API: the emulator's metrics prove it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_harness import REPO_ROOT
from vapi_emulator import DEMO_API_KEY

SCENARIOS = Path(__file__).parent / "scenarios" / "policy"
EXPECTED: dict[str, Any] = json.loads((SCENARIOS / "EXPECTED.json").read_text())
PACK = REPO_ROOT / EXPECTED["policyPack"]
LEVEL_LINE = re.compile(r"\[(mandatory|advisory|remediate)\]\s+\S+\s+\([^)]*\)")


def _cases() -> list[Any]:
    cases = [pytest.param(name, spec, id=name) for name, spec in EXPECTED["scenarios"].items()]
    for i, run in enumerate(EXPECTED["runs"]):
        config = Path(run["policyConfig"]).stem if run["policyConfig"] else "defaults"
        cases.append(pytest.param(run["scenario"], run, id=f"{run['scenario']}-{config}-{i}"))
    return cases


def _policy_args(spec: dict[str, Any]) -> list[str]:
    args = ["--policy-pack", str(PACK)]
    if spec["policyConfig"]:
        args += ["--policy-pack-config", str(REPO_ROOT / spec["policyConfig"])]
    return args


def _stack(make_stack, emulator, scenario: str, stack_name: str):
    return make_stack(
        SCENARIOS / scenario,
        stack=stack_name,
        project="vapi-policy-scenarios",
        config={"vapi:baseUrl": emulator.url},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )


@pytest.mark.parametrize(("scenario", "spec"), _cases())
def test_policy_preview(make_stack, emulator, scenario: str, spec: dict[str, Any]):
    stack = _stack(make_stack, emulator, scenario, spec["stack"])
    emulator.reset_metrics()
    proc = stack.preview(*_policy_args(spec), check=False)
    out = proc.stdout + proc.stderr

    assert (proc.returncode != 0) == spec["previewFails"], out
    if spec["previewFails"]:
        assert "error: preview failed" in out
    for line in spec["mandatory"] + spec["advisory"]:
        assert line in out, f"missing {line!r} in:\n{out}"
    printed = {m.group(0) for m in LEVEL_LINE.finditer(out)}
    expected = {re.sub(r"\s+", " ", line) for line in spec["mandatory"] + spec["advisory"]}
    assert {re.sub(r"\s+", " ", line) for line in printed} == expected, out
    assert emulator.metrics()["total"] == 0, emulator.metrics()


def test_policy_analyze_exported_state(make_stack, emulator, tmp_path):
    """`pulumi policy analyze --file` checks an exported stack without running the program."""
    advisory = EXPECTED["scenarios"]["two-targets"]
    stack = _stack(make_stack, emulator, "two-targets", "dev")
    stack.up(*_policy_args(advisory))  # the example config makes single-target advisory: up succeeds
    export = tmp_path / "export.json"
    export.write_text(json.dumps(stack.export()))

    strict = stack.run("policy", "analyze", "--policy-pack", str(PACK), "--file", str(export), check=False)
    out = strict.stdout + strict.stderr
    assert strict.returncode != 0, out
    assert "vapi-number-single-target" in out and "two-targets-line" in out

    lenient = stack.run(
        "policy",
        "analyze",
        "--policy-pack",
        str(PACK),
        "--policy-pack-config",
        str(REPO_ROOT / advisory["policyConfig"]),
        "--file",
        str(export),
        check=False,
    )
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    stack.destroy()


def test_bad_policy_config_is_refused_with_the_schema_error(make_stack, emulator, tmp_path):
    bad = tmp_path / "bad-policy-config.json"
    bad.write_text(json.dumps({"vapi-number-has-destination": {"allowServerUrlRouting": "yes"}}))
    stack = _stack(make_stack, emulator, "compliant", "dev")
    proc = stack.preview("--policy-pack", str(PACK), "--policy-pack-config", str(bad), check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "vapi-number-has-destination" in out and "allowServerUrlRouting" in out, out
    assert emulator.metrics()["total"] == 0
