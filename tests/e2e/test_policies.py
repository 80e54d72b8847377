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
    if spec["previewFails"] and not spec.get("checkFails"):
        assert "error: preview failed" in out
    for line in spec["mandatory"] + spec["advisory"]:
        assert line in out, f"missing {line!r} in:\n{out}"
    for text in spec.get("contains", []):
        assert text in out, f"missing {text!r} in:\n{out}"
    printed = {m.group(0) for m in LEVEL_LINE.finditer(out)}
    expected = {re.sub(r"\s+", " ", line) for line in spec["mandatory"] + spec["advisory"]}
    assert {re.sub(r"\s+", " ", line) for line in printed} == expected, out
    assert emulator.metrics()["total"] == 0, emulator.metrics()


def _analyze(stack, export: Path, config: Path | None = None):
    args = ["policy", "analyze", "--policy-pack", str(PACK), "--file", str(export)]
    if config is not None:
        args += ["--policy-pack-config", str(config)]
    proc = stack.run(*args, check=False)
    return proc, proc.stdout + proc.stderr


def _config_file(tmp_path: Path, name: str, base: str | None, **protected: Any) -> Path:
    config: dict[str, Any] = json.loads((REPO_ROOT / base).read_text()) if base else {}
    if protected:
        config["vapi-production-number-protected"] = protected
    path = tmp_path / name
    path.write_text(json.dumps(config))
    return path


def test_policy_analyze_exported_state(make_stack, emulator, tmp_path):
    """`pulumi policy analyze --file` checks an exported stack without running the program."""
    advisory = EXPECTED["scenarios"]["two-targets"]
    stack = _stack(make_stack, emulator, "two-targets", "dev")
    stack.up(*_policy_args(advisory))  # the example config makes single-target advisory: up succeeds
    export = tmp_path / "export.json"
    export.write_text(json.dumps(stack.export()))

    strict, out = _analyze(stack, export)
    assert strict.returncode != 0, out
    assert "[mandatory]  vapi-number-single-target  (" in out and "two-targets-line" in out
    # Analyze passes the pack no stack tags: the production rule says it cannot tell, not "passed".
    assert "[mandatory]  vapi-production-number-protected  (" in out, out
    assert "cannot tell whether stack 'dev' is a production stack" in out

    dev = _config_file(tmp_path, "dev.json", advisory["policyConfig"], production=False)
    lenient, out = _analyze(stack, export, dev)
    assert lenient.returncode == 0, out
    assert "[advisory]  vapi-number-single-target  (" in out
    stack.destroy()


def test_policy_analyze_knows_a_production_stack_by_its_name(make_stack, emulator, tmp_path):
    """Under analyze the stack name comes from the resources' URNs, so the production rule fires."""
    stack = _stack(make_stack, emulator, "production-unprotected", "prod")
    stack.up()  # without the pack: an unprotected number in a stack named prod
    export = tmp_path / "export.json"
    export.write_text(json.dumps(stack.export()))

    proc, out = _analyze(stack, export, REPO_ROOT / "policies" / "policy-config.example.json")
    assert proc.returncode != 0, out
    line = EXPECTED["scenarios"]["production-unprotected"]["mandatory"][0]
    assert line in out, out
    assert "stack 'prod' is a production stack (its name matches stackNamePattern)" in out
    assert "vapi-phone-numbers:protect" in out

    not_prod = _config_file(tmp_path, "not-prod.json", None, production=False)
    proc, out = _analyze(stack, export, not_prod)
    assert proc.returncode == 0, out
    forced = _config_file(tmp_path, "forced.json", None, production=True, stackNamePattern="")
    proc, out = _analyze(stack, export, forced)
    assert proc.returncode != 0 and "the policy config sets production to true" in out, out


def test_bad_policy_config_is_refused_with_the_schema_error(make_stack, emulator, tmp_path):
    bad = tmp_path / "bad-policy-config.json"
    bad.write_text(json.dumps({"vapi-number-has-destination": {"allowServerUrlRouting": "yes"}}))
    stack = _stack(make_stack, emulator, "compliant", "dev")
    proc = stack.preview("--policy-pack", str(PACK), "--policy-pack-config", str(bad), check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "vapi-number-has-destination" in out and "allowServerUrlRouting" in out, out
    assert emulator.metrics()["total"] == 0


def test_when_a_stack_policy_runs_preview_up_and_up_skip_preview(make_stack, emulator):
    """A stack policy stops `preview` and `up` at the preview step; `up --skip-preview` only afterwards.

    (Two new numbers with one name are refused by the provider itself, so the case the stack policy is
    left with under --skip-preview is a new number taking the name of one already in the stack.)"""
    spec = EXPECTED["scenarios"]["duplicate-name"]
    numbers = "pulumi-python:dynamic/vapi:VapiPhoneNumber"

    previewed = _stack(make_stack, emulator, "duplicate-name", "dev")
    emulator.reset_metrics()
    proc = previewed.run("up", "--yes", *_policy_args(spec), check=False)  # up with its preview
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and spec["mandatory"][0] in out, out
    assert "error: preview failed" in out
    assert emulator.metrics()["total"] == 0  # nothing was sent to Vapi
    assert previewed.resources(numbers) == []

    # Two new numbers of one run never get that far: the provider's run claims refuse the second one
    # before anything is sent for it, also under --skip-preview (vapi_provider/run_claims.py).
    both = _stack(make_stack, emulator, "duplicate-name", "dev")
    emulator.reset_metrics()
    proc = both.up(*_policy_args(spec), check=False)  # `up --yes --skip-preview`
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "has the same name as VapiPhoneNumber" in out, out
    assert len(both.resources(numbers)) == 1 and len(emulator.numbers()) == 1
    both.destroy()

    # A new number that takes the name of one already in the stack is the only claim of its run: it is
    # created, and under --skip-preview the stack policy stops the run only afterwards.
    skipped = _stack(make_stack, emulator, "duplicate-name", "dev")
    skipped.set_config_object("vapi-policy-scenarios:declare", ["front-line"])
    skipped.up()
    skipped.set_config_object("vapi-policy-scenarios:declare", ["front-line", "back-line"])
    emulator.reset_metrics()
    proc = skipped.up(*_policy_args(spec), check=False)  # `up --yes --skip-preview`
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and spec["mandatory"][0] in out, out
    assert "error: update failed" in out
    # The stack policy ran after back-line was created: it exists at Vapi and in the state.
    assert emulator.metrics()["total"] > 0
    assert sorted(r["urn"].rsplit("::", 1)[1] for r in skipped.resources(numbers)) == [
        "back-line",
        "front-line",
    ]
    skipped.destroy()
