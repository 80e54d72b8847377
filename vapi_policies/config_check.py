"""Check a ``--policy-pack-config`` file against the pack's own policy list, before the engine sees it.

The engine validates each policy's options against that policy's schema, but it accepts a config that names
a policy the pack does not have (``"vapi-number-has-destinaton": "mandatory"`` is silently ignored, and the
real policy keeps whatever level it had) and options no schema declares (JSON schema allows extra keys). A
typo can so weaken a gate without anyone noticing. :func:`check_policy_config` reports exactly those, plus
what the engine would refuse, as messages that name the policy, the option and the fix.

Run it as ``python -m vapi_policies.config_check CONFIG.json``: it prints one problem a line on stderr and
exits 1 when there is any, 0 otherwise.
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import jsonschema  # type: ignore[import-untyped]
from pulumi_policy import Policy

from vapi_policies.rules import POLICIES

__all__ = ["ENFORCEMENT_LEVELS", "check_policy_config", "check_policy_config_file", "main"]

ENFORCEMENT_LEVELS: Final = ("advisory", "mandatory", "remediate", "disabled")
"""The levels the engine accepts in a config file."""

_ALL: Final = "all"


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _level_problem(where: str, level: Any) -> str | None:
    if isinstance(level, str) and level in ENFORCEMENT_LEVELS:
        return None
    return f"{where}: enforcement level must be one of {', '.join(ENFORCEMENT_LEVELS)}"


def _schema_of(policy: Policy) -> tuple[dict[str, Any], list[str]]:
    schema = policy.config_schema
    if schema is None:
        return {}, []
    return dict(schema.properties or {}), list(schema.required or [])


def check_policy_config(config: Any, policies: Sequence[Policy] = POLICIES) -> list[str]:
    """Every problem of a policy-pack config (the parsed JSON file), as messages; ``[]`` when it is sound.

    Understands both layouts the engine reads: the plain one (policy names at the top, ``"all"`` and
    ``"environments"`` reserved) and ``"version": 2`` (policies under ``"policies"``).
    """
    if not isinstance(config, Mapping):
        return ["the policy config must be a JSON object that maps policy names to levels or objects"]
    entries: Mapping[str, Any] = config
    if "version" in config and isinstance(config["version"], (int, float)):
        if config["version"] != 2:
            return ['"version" must be 2 (or leave it out)']
        policies_block = config.get("policies", {})
        if not isinstance(policies_block, Mapping):
            return ['"policies" must be an object that maps policy names to levels or objects']
        entries = policies_block
    else:
        entries = {k: v for k, v in config.items() if k != "environments"}

    by_name = {policy.name: policy for policy in policies}
    names = sorted(by_name)
    problems: list[str] = []
    for name, value in entries.items():
        if name == _ALL:
            if isinstance(value, Mapping):
                extra = sorted(set(value) - {"enforcementLevel"})
                if extra:
                    problems.append(f"all: only enforcementLevel can be set for all policies, not {extra[0]}")
                value = value.get("enforcementLevel")
            problem = _level_problem("all", value)
            if problem:
                problems.append(problem)
            continue
        policy = by_name.get(name)
        if policy is None:
            problems.append(
                f"{name}: this pack has no such policy{_suggest(name, names)}; the engine would ignore it. "
                f"Its policies are: {', '.join(names)}"
            )
            continue
        if isinstance(value, str):
            problem = _level_problem(name, value)
            if problem:
                problems.append(problem)
            continue
        if not isinstance(value, Mapping):
            problems.append(f"{name}: must be an enforcement level or an object")
            continue
        options = dict(value)
        if "enforcementLevel" in options:
            problem = _level_problem(name, options.pop("enforcementLevel"))
            if problem:
                problems.append(problem)
        properties, required = _schema_of(policy)
        known = sorted(properties)
        for option in sorted(set(options) - set(properties)):
            offered = f"its options are: {', '.join(known)}" if known else "it has no options"
            problems.append(
                f"{name}: no such option '{option}'{_suggest(option, known)}; the policy would ignore it "
                f"({offered})"
            )
        if properties:
            schema: dict[str, Any] = {"type": "object", "properties": properties}
            if required:
                schema["required"] = required
            validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
            known_options = {k: v for k, v in options.items() if k in properties}
            for error in sorted(validator.iter_errors(known_options), key=lambda e: list(e.path)):
                where = ".".join(str(p) for p in error.path)
                problems.append(f"{name}: {where + ': ' if where else ''}{error.message}")
    return problems


def check_policy_config_file(path: Path, policies: Sequence[Policy] = POLICIES) -> list[str]:
    """:func:`check_policy_config` on a file; a file that is not JSON is one problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return [f"{path}: cannot be read ({exc.strerror})"]
    try:
        config = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        return [f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
    return [f"{path}: {problem}" for problem in check_policy_config(config, policies)]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vapi_policies.config_check CONFIG...``: exit 1 and list the problems, or exit 0."""
    paths = list(sys.argv[1:] if argv is None else argv)
    if not paths:
        sys.stderr.write("usage: python -m vapi_policies.config_check POLICY_CONFIG.json...\n")
        return 2
    problems = [problem for path in paths for problem in check_policy_config_file(Path(path))]
    for problem in problems:
        sys.stderr.write(f"policy config: {problem}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
