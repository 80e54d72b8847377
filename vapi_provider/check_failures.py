"""Turning pydantic validation errors into `check` failures: structured problems, then one per path.

A `Problem` is data: an error code (pydantic's error type, or our own code from `models.py`'s validators),
the path of the offending value (wire names, list indices) and the sentence a user reads, which always
starts with that path. `check` reports at most one problem per path (the first), and the `CheckFailure`
is attributed to the top-level property.

Our validators raise `PydanticCustomError(code, "must ...", {"field": name})`: the message never repeats
the field name; `field` names the offending field when a model-level validator reports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CheckFailure
from pydantic import ValidationError

from .unknowns import PathKey

__all__ = ["Problem", "failures", "format_path", "problems_from"]

# Loc elements that pydantic inserts for union members; they are not field names.
_UNION_FIELDS = frozenset({"fallbackDestination", "destination", "message", "contextEngineeringPlan", "do"})
_UNION_LISTS = frozenset({"hooks", "do"})
# Type errors of a union member are noise when a more specific error exists below the same path.
_TYPE_ERRORS = frozenset(
    {
        "string_type",
        "bool_type",
        "float_type",
        "int_type",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "literal_error",
        "union_tag_invalid",
    }
)
_COMPARISONS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("greater than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value of the inputs."""

    code: str
    """pydantic's error type (`string_too_long`, ...) or one of ours (`e164`, `https_url`, ...)."""
    path: PathKey
    """Where: wire names and list indices from the top of the inputs, e.g. `("hooks", 0, "do")`."""
    message: str
    """The sentence shown to the user; starts with the formatted path."""

    @property
    def field(self) -> str:
        return str(self.path[0]) if self.path else ""

    def failure(self) -> CheckFailure:
        return CheckFailure(self.field, self.message)


def format_path(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _clean_loc(loc: tuple[str | int, ...]) -> PathKey:
    """Drop the union-member names and tags pydantic puts into error locations."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        prev = loc[i - 1] if i >= 1 else None
        prev2 = loc[i - 2] if i >= 2 else None
        if isinstance(part, str) and (
            (isinstance(prev, str) and prev in _UNION_FIELDS)
            or (isinstance(prev, int) and isinstance(prev2, str) and prev2 in _UNION_LISTS)
        ):
            continue
        out.append(part)
    return tuple(out)


def _count(n: object, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _sentence(kind: str, error: Any, path: str) -> str:
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"{path} is not a known field; remove it or fix its spelling"
    if kind == "missing":
        return f"{path} is required"
    if kind in ("string_too_long", "string_too_short", "too_long", "too_short"):
        longest = kind.endswith("too_long")
        limit = ctx.get("max_length" if longest else "min_length")
        side = "most" if longest else "least"
        # SecretStr reports string lengths as too_long/too_short, with the string as input.
        if kind.startswith("string_") or isinstance(error.get("input"), str):
            return f"{path} must be at {side} {_count(limit, 'character')}"
        return f"{path} must have at {side} {_count(limit, 'item')}"
    if kind == "literal_error":
        return f"{path} must be one of {ctx.get('expected')}"
    if kind == "string_type":
        return f"{path} must be a string"
    if kind == "bool_type":
        return f"{path} must be true or false"
    if kind in ("float_type", "int_type", "finite_number"):
        return f"{path} must be a number"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{path} must be an object"
    if kind == "list_type":
        return f"{path} must be a list"
    if kind in _COMPARISONS:
        words, key = _COMPARISONS[kind]
        limit = ctx.get(key)
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        return f"{path} must be {words} {limit}"
    if kind == "union_tag_invalid":
        tag = str(ctx.get("discriminator")).strip("'")
        return f"{path}.{tag} must be one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"{path} needs a {str(ctx.get('discriminator')).strip(chr(39))} field saying which kind it is"
    if error.get("ctx") is not None or kind not in ("value_error", "assertion_error"):
        return f"{path} {error['msg']}" if path else str(error["msg"])  # our PydanticCustomError
    return f"{path}: {error['msg']}"


def _related(path: PathKey, unknown: PathKey) -> bool:
    # An error at, inside or around an unknown value may be caused by it (model-level validators report
    # on the enclosing object); siblings are still validated.
    n = min(len(path), len(unknown))
    return path[:n] == unknown[:n]


def problems_from(err: ValidationError, unknown_paths: Iterable[PathKey] = ()) -> list[Problem]:
    """The problems in a `parse_request` error, leaving out those an unknown value may cause."""
    unknowns = list(unknown_paths)
    entries: list[tuple[PathKey, Any]] = []
    for error in err.errors():
        path = _clean_loc(tuple(error["loc"]))
        ctx_field = (error.get("ctx") or {}).get("field")
        if isinstance(ctx_field, str) and ctx_field:
            path = (*path, ctx_field)
        elif isinstance(ctx_field, list | tuple):
            path = (*path, *(str(part) for part in ctx_field))
        if not any(_related(path, unknown) for unknown in unknowns):
            entries.append((path, error))
    # Smart unions report one error per member: keep the most specific one.
    paths = [p for p, _ in entries]
    problems = []
    for path, error in entries:
        kind = str(error["type"])
        if kind in _TYPE_ERRORS and any(len(q) > len(p) and q[: len(p)] == p for p in [path] for q in paths):
            continue
        problems.append(Problem(kind, path, _sentence(kind, error, format_path(path))))
    return problems


def failures(problems: Iterable[Problem]) -> list[CheckFailure]:
    """One `CheckFailure` per path: the first problem reported for a path wins."""
    seen: set[PathKey] = set()
    out = []
    for problem in problems:
        if problem.path in seen:
            continue
        seen.add(problem.path)
        out.append(problem.failure())
    return out
