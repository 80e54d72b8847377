"""What changed between the state (old outputs) and the new checked inputs: the comparison behind
`diff`, `update` and adoption. Whole floats equal ints, None entries and `[]` equal absence, and a key
that cannot be cleared (the table's `KEEP`) is unchanged when the program no longer sets it."""

from __future__ import annotations

from typing import Any

from .properties import ResourceTable
from .unknowns import contains_unknown

__all__ = ["changed_keys", "same_value"]


def _normal(value: Any) -> Any:
    """Comparison form: None entries dropped, whole floats as ints, [] the same as absent."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def same_value(new: Any, old: Any) -> bool:
    if new in (None, []) and old in (None, []):
        return True
    return bool(_normal(new) == _normal(old))


def changed_keys(table: ResourceTable, olds: dict[str, Any], news: dict[str, Any]) -> list[str]:
    changed = []
    for key in table.compared_keys:
        if key in table.kept_keys and key not in news:
            continue  # cannot be cleared: absence keeps the current value
        new = news.get(key)
        if contains_unknown(new) or not same_value(new, olds.get(key)):
            changed.append(key)
    return changed
