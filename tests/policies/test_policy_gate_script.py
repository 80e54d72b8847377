"""Unit tests of scripts/policy_gate.py's pure parts (the end-to-end tests run it for real)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("policy_gate", ROOT / "scripts" / "policy_gate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("policy_gate", module)
    spec.loader.exec_module(module)
    return module


gate = _gate()


def test_secret_values_become_the_placeholder_at_any_depth() -> None:
    value = {"a": {"secure": "v1:x"}, "b": [{"secure": "v1:y"}, "plain"], "c": {"secure": "v1:z", "d": 1}}
    assert gate.scrub_secrets(value) == {
        "a": gate.PLACEHOLDER_SECRET,
        "b": [gate.PLACEHOLDER_SECRET, "plain"],
        "c": {"secure": "v1:z", "d": 1},  # not a secret envelope: kept as it is
    }
    assert 20 <= len(gate.PLACEHOLDER_SECRET) <= 40  # passes the provider's SIP password length check


def test_scratch_stack_config_drops_the_key_and_the_encryption(tmp_path: Path) -> None:
    source = tmp_path / "Pulumi.prod.yaml"
    source.write_text(
        "encryptionsalt: v1:salt\nsecretsprovider: awskms://k\nconfig:\n"
        "  vapi:apiKey:\n    secure: v1:key\n  vapi:baseUrl: http://127.0.0.1:1\n"
        "  app:hook:\n    secure: v1:hook\n"
    )
    target = tmp_path / "out" / "Pulumi.prod.yaml"
    gate.scratch_stack_config(source, target)
    assert yaml.safe_load(target.read_text()) == {
        "config": {"vapi:baseUrl": "http://127.0.0.1:1", "app:hook": gate.PLACEHOLDER_SECRET}
    }
    gate.scratch_stack_config(tmp_path / "missing.yaml", target)
    assert target.read_text() == ""


def test_relative_virtualenvs_are_made_absolute(tmp_path: Path) -> None:
    project = tmp_path / "Pulumi.yaml"
    project.write_text("name: p\nruntime:\n  name: python\n  options:\n    virtualenv: .venv\n")
    gate.absolute_virtualenv(project, tmp_path / "original")
    options = yaml.safe_load(project.read_text())["runtime"]["options"]
    assert options["virtualenv"] == str((tmp_path / "original" / ".venv").resolve())
    project.write_text("name: p\nruntime: python\n")
    gate.absolute_virtualenv(project, tmp_path)
    assert project.read_text() == "name: p\nruntime: python\n"


def test_arguments_after_a_double_dash_go_to_pulumi_preview() -> None:
    args, extra = gate.parse_args(["--base-ref", "abc", "--stack", "prod", "--", "--diff", "--refresh"])
    assert (args.base_ref, args.stack, args.pack, args.program) == ("abc", "prod", "policies", ".")
    assert args.config == "policies/policy-config.example.json"
    assert extra == ["--diff", "--refresh"]
    with pytest.raises(SystemExit):
        gate.parse_args(["--stack", "prod"])  # --base-ref is required


def test_a_folder_without_pulumi_yaml_is_a_clear_error(tmp_path: Path) -> None:
    args, extra = gate.parse_args(["--base-ref", "HEAD", "--stack", "dev", "--program", str(tmp_path)])
    with pytest.raises(gate.GateError, match="has no Pulumi.yaml: point it at the Pulumi project folder"):
        gate.run_gate(args, extra, tmp_path / "work")
