"""Shaping what Vapi returns into state: the inputs and outputs that `read` (refresh), `create` and
`recover` record.

No Pulumi imports: recovery and the CLI use it too.

* `project_inputs`: the input keys of a number as Vapi reports them (wire names, secrets revealed).
* `computed_outputs`: the output-only keys of the table (`orgId`, `number`, ...).
* `align`: shape Vapi's value like the previous one, so refresh reports real drift only: keep the old
  number types (15 stays 15, not 15.0), and drop a key the program did not set when Vapi filled it with
  its documented default, matched by full path (`server.timeoutSeconds` 20 is a default;
  `server.timeoutSeconds` 5 is drift, and so is 20 for a `summaryPlan.timeoutSeconds`).
* `keep_secrets`: where Vapi omits or masks a value at one of the table's secret paths, keep the previous
  one (masking is not drift).
"""

from __future__ import annotations

import re
from typing import Any

from .models import AnyPhoneNumber
from .properties import ANY, Path, ResourceTable

__all__ = ["align", "computed_outputs", "keep_secrets", "project_inputs"]

_MASKED_PATTERN = re.compile(r"^(?:[*•]+|\[secret\]|redacted)$", re.IGNORECASE)


def project_inputs(table: ResourceTable, number: AnyPhoneNumber) -> dict[str, Any]:
    """The input keys of a phone number as Vapi reports them (wire names, secrets revealed)."""
    dumped = number.model_dump(mode="json", exclude_none=True, by_alias=True)  # JSON mode reveals secrets
    return {k: dumped[k] for k in table.api_keys if k in dumped}


def computed_outputs(table: ResourceTable, number: AnyPhoneNumber) -> dict[str, Any]:
    """The output-only keys of the table, from Vapi's answer (None where Vapi leaves a field out)."""
    return {p.wire: getattr(number, p.python, None) for p in table if p.role == "output"}


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(value, bool) or isinstance(default, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(value, int | float) and isinstance(default, int | float):
        return True
    return type(value) is type(default)


def _is_default(defaults: dict[Path, Any], path: Path, value: Any) -> bool:
    for pattern, default in defaults.items():
        if len(pattern) == len(path) and all(p in (ANY, q) for p, q in zip(pattern, path, strict=True)):
            if _same_kind(value, default) and value == default:
                return True
    return False


def align(current: Any, old: Any, defaults: dict[Path, Any], path: Path = ()) -> Any:
    """Shape Vapi's value like the previous one: keep old number types, drop server-filled defaults.

    `path` is the full path of `current` from the top of the resource (wire names; list indices as
    strings), and `defaults` the table's `defaults`.
    """
    if isinstance(current, dict) and isinstance(old, dict):
        out = {}
        for key, value in current.items():
            sub = (*path, key)
            if key in old:
                out[key] = align(value, old[key], defaults, sub)
            elif value is None or _is_default(defaults, sub, value):
                continue
            else:
                out[key] = value
        return out
    if isinstance(current, list) and isinstance(old, list) and len(current) == len(old):
        pairs = enumerate(zip(current, old, strict=True))
        return [align(c, o, defaults, (*path, str(i))) for i, (c, o) in pairs]
    if (
        isinstance(current, int | float)
        and isinstance(old, int | float)
        and not isinstance(current, bool)
        and not isinstance(old, bool)
        and current == old
    ):
        return old
    return current


def _masked(value: Any) -> bool:
    return not isinstance(value, str) or not value or _MASKED_PATTERN.match(value) is not None


def keep_secrets(table: ResourceTable, inputs: dict[str, Any], previous: dict[str, Any]) -> None:
    """Where Vapi omits or masks a secret (any of the table's secret paths), keep the previous value:
    a masked value is not drift. A secret the program never set stays as Vapi reports it."""
    for prop in table:
        for path in prop.secret_paths:
            kept = _keep(inputs.get(prop.wire), previous.get(prop.wire), path)
            if kept is not None:
                inputs[prop.wire] = kept


def _keep(current: Any, old: Any, path: Path) -> Any:
    """`current` with the previous value put back at `path` where `current` masks or omits it."""
    if not path:
        return old if old is not None and _masked(current) else current
    if not isinstance(old, dict):
        return current
    head, rest = path[0], path[1:]
    if head == ANY:
        if not isinstance(current, dict):
            return dict(old)  # the whole map was omitted: keep every previous entry
        return {k: _keep(v, old[k], rest) if k in old else v for k, v in current.items()}
    if not isinstance(current, dict):
        return current
    if head not in current and head not in old:
        return current
    kept = _keep(current.get(head), old.get(head), rest)
    return {**current, head: kept} if kept is not None else current
