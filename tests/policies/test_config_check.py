"""vapi_policies.config_check: a config that names what the pack does not have is refused, not ignored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import vapi_policies
from vapi_policies.config_check import check_policy_config, check_policy_config_file, main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "policies").glob("*.json")) + sorted((ROOT / "docs" / "examples").glob("*.json"))
)
def test_shipped_configs_are_sound(path: Path) -> None:
    assert check_policy_config_file(path) == []


def test_a_misspelt_policy_is_refused_with_a_suggestion() -> None:
    problems = check_policy_config({"all": "mandatory", "vapi-number-has-destinaton": "disabled"})
    assert len(problems) == 1
    assert problems[0].startswith(
        "vapi-number-has-destinaton: this pack has no such policy "
        "(did you mean 'vapi-number-has-destination'?); the engine would ignore it."
    )
    assert "vapi-unique-numbers" in problems[0]


def test_an_unknown_option_is_refused_with_a_suggestion() -> None:
    problems = check_policy_config({"vapi-number-has-destination": {"allowServerUrlRoutng": False}})
    assert problems == [
        "vapi-number-has-destination: no such option 'allowServerUrlRoutng' (did you mean "
        "'allowServerUrlRouting'?); the policy would ignore it (its options are: allowServerUrlRouting)"
    ]
    problems = check_policy_config({"vapi-number-single-target": {"strict": True}})
    assert problems == [
        "vapi-number-single-target: no such option 'strict'; the policy would ignore it (it has no options)"
    ]


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"all": "mandatroy"}, "all: enforcement level must be one of"),
        ({"all": {"enforcementLevel": "advisory", "checkNames": False}}, "only enforcementLevel"),
        ({"vapi-unique-numbers": "off"}, "vapi-unique-numbers: enforcement level"),
        ({"vapi-unique-numbers": {"enforcementLevel": 1}}, "vapi-unique-numbers: enforcement level"),
        ({"vapi-unique-numbers": ["mandatory"]}, "must be an enforcement level or an object"),
        (
            {"vapi-unique-numbers": {"checkNames": "no"}},
            "vapi-unique-numbers: checkNames: 'no' is not of type",
        ),
        ({"vapi-production-number-protected": {"production": 1}}, "production: 1 is not of type 'boolean'"),
        ({"vapi-webhook-url-https": {"allowedHttpHosts": [""]}}, "allowedHttpHosts.0"),
        (["mandatory"], "must be a JSON object"),
        ({"version": 3, "policies": {}}, '"version" must be 2'),
    ],
)
def test_what_the_engine_would_refuse_is_refused_too(config: Any, fragment: str) -> None:
    problems = check_policy_config(config)
    assert len(problems) == 1 and fragment in problems[0], problems


def test_sound_configs_of_both_layouts_pass() -> None:
    every_level = {"all": "advisory", **{p.name: "disabled" for p in vapi_policies.POLICIES}}
    assert check_policy_config(every_level) == []
    assert check_policy_config({"environments": ["team/ci"], "vapi-unique-numbers": "mandatory"}) == []
    v2 = {"version": 2, "policies": {"vapi-number-has-destination": {"enforcementLevel": "advisory"}}}
    assert check_policy_config(v2) == []
    assert "no such policy" in check_policy_config({"version": 2, "policies": {"nope": "mandatory"}})[0]


def test_main_lists_problems_and_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad, broken = tmp_path / "good.json", tmp_path / "bad.json", tmp_path / "broken.json"
    good.write_text(json.dumps({"all": "mandatory"}))
    bad.write_text(json.dumps({"vapi-number-has-destinaton": "mandatory"}))
    broken.write_text("{")
    assert main([str(good)]) == 0
    assert capsys.readouterr().err == ""
    assert main([str(good), str(bad), str(broken)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        f"policy config: {bad}: vapi-number-has-destinaton: this pack has no such policy"
    )
    assert (
        err[1] == f"policy config: {broken}: not valid JSON (line 1, column 2: Expecting property name "
        "enclosed in double quotes)"
    )
    assert main([]) == 2
    assert check_policy_config_file(tmp_path / "missing.json")[0].endswith(
        "cannot be read (No such file or directory)"
    )


def test_exported_members() -> None:
    assert vapi_policies.__all__ == sorted(vapi_policies.__all__)
    for name in vapi_policies.__all__:
        assert hasattr(vapi_policies, name), name
