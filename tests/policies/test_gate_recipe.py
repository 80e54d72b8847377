"""The example CI workflow: graded by the base commit, no secrets, pinned engine, bounded and deduplicated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "docs" / "examples" / "github-actions-policy-gate.yml"


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text())
    return data


def _steps() -> list[dict[str, Any]]:
    (job,) = _workflow()["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def test_recipe_uses_no_secrets_and_reads_nothing_but_contents() -> None:
    text = WORKFLOW.read_text()
    assert "secrets." not in text
    assert "VAPI_API_KEY" not in text and "PULUMI_ACCESS_TOKEN" not in text
    assert _workflow()["permissions"] == {"contents": "read"}
    # `on` parses as True in YAML 1.1.
    triggers = _workflow().get("on", _workflow().get(True))
    assert set(triggers) == {"pull_request"}  # not pull_request_target: no token or secrets for PR code


def test_recipe_has_a_timeout_and_a_concurrency_group() -> None:
    (job,) = _workflow()["jobs"].values()
    assert 0 < job["timeout-minutes"] <= 30
    concurrency = _workflow()["concurrency"]
    assert "pull_request.number" in concurrency["group"] and concurrency["cancel-in-progress"] is True


def test_recipe_pins_the_engine_version_the_project_builds() -> None:
    go_mod = (ROOT / "tools" / "engine" / "go.mod").read_text()
    pinned = re.search(r"github\.com/pulumi/pulumi/pkg/v3 v(\d+\.\d+\.\d+)", go_mod)
    assert pinned
    assert _workflow()["env"]["PULUMI_VERSION"] == pinned[1]
    (action,) = [s for s in _steps() if str(s.get("uses", "")).startswith("pulumi/actions@")]
    assert action["with"]["pulumi-version"] == "${{ env.PULUMI_VERSION }}"


def test_recipe_grades_with_the_base_commit() -> None:
    runs = "\n".join(str(s.get("run", "")) for s in _steps())
    assert _workflow()["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert 'git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"' in runs
    # The gate script and the pack's interpreter come from the base, not from the pull request.
    assert '"$RUNNER_TEMP/base/scripts/policy_gate.py"' in runs
    assert '--base-ref "$BASE_SHA"' in runs
    (gate,) = [s for s in _steps() if "policy_gate.py" in str(s.get("run", ""))]
    assert gate["env"]["PULUMI_PYTHON_CMD"] == "${{ runner.temp }}/pack-venv/bin/python"
    assert (ROOT / "scripts" / "policy_gate.py").is_file()
    checkout = next(s for s in _steps() if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
