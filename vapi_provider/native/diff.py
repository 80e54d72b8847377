"""The detailed diff: which property paths changed, and how, between the state and the new inputs.

The core's `diff` decides *whether* a number changes and what replaces it (top-level keys). This module
says *where*, path by path, as the engine's `detailedDiff`: `server.url` updated, `server.headers["X-Token"]`
added, `numberDesiredAreaCode` updated with a replacement. The engine renders each path from the old and
new values and masks the secret ones itself, so a changed header value is shown as changed, and as
`[secret]`. The comparison is the core's (`changes.same_value`): whole floats equal ints, None and `[]`
equal absence, and keys that cannot be cleared are unchanged when the program no longer sets them.
"""

from __future__ import annotations

import re
from typing import Any

from pulumi.provider.experimental.provider import PropertyDiff, PropertyDiffKind

from ..changes import changed_keys, same_value
from ..in_doubt import is_in_doubt
from ..properties import ResourceTable
from ..unknowns import known, strip

__all__ = ["detailed_diff", "property_path"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_REPLACE = {
    PropertyDiffKind.ADD: PropertyDiffKind.ADD_REPLACE,
    PropertyDiffKind.UPDATE: PropertyDiffKind.UPDATE_REPLACE,
    PropertyDiffKind.DELETE: PropertyDiffKind.DELETE_REPLACE,
}


def property_path(path: tuple[str | int, ...]) -> str:
    """The engine's property-path syntax: `a.b`, `a[0]`, `a["X-Token"]` for keys that are not names."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part) and out:
            out += f".{part}"
        elif _IDENTIFIER.match(part):
            out = part
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out += f'["{escaped}"]'
    return out


def _absent(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _walk(old: Any, new: Any, path: tuple[str | int, ...], out: dict[str, PropertyDiffKind]) -> None:
    if same_value(new, old):
        return
    if _absent(old):
        out[property_path(path)] = PropertyDiffKind.ADD
        return
    if _absent(new):
        out[property_path(path)] = PropertyDiffKind.DELETE
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            _walk(old.get(key), new.get(key), (*path, key), out)
        return
    if isinstance(old, list) and isinstance(new, list) and known(new):
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else None
            after = new[index] if index < len(new) else None
            _walk(before, after, (*path, index), out)
        return
    out[property_path(path)] = PropertyDiffKind.UPDATE


def detailed_diff(
    table: ResourceTable,
    resource_id: str,
    olds: dict[str, Any],
    news: dict[str, Any],
    replaces: list[str],
    changes: bool,
) -> dict[str, PropertyDiff]:
    """Path -> kind of change, for the changed inputs; `_REPLACE` kinds under the replacing keys.

    `olds` and `news` may hold secret envelopes: they are compared by their values.
    """
    olds, news = strip(olds), strip(news)
    if is_in_doubt(resource_id):
        # The record of an in-doubt create: the core shows it as a pending change with no property of
        # its own (update refuses it with the reason), or as a take-over by `adopt` (a replacement).
        if not (changes and replaces):
            return {}
        return {replaces[0]: PropertyDiff(PropertyDiffKind.ADD_REPLACE, input_diff=True)}
    kinds: dict[str, PropertyDiffKind] = {}
    for key in changed_keys(table, olds, news):
        before, after = olds.get(key), news.get(key)
        found: dict[str, PropertyDiffKind] = {}
        if not known(after):
            found[key] = PropertyDiffKind.UPDATE if not _absent(before) else PropertyDiffKind.ADD
        else:
            _walk(before, after, (key,), found)
            if not found:  # equal under the core's comparison at every path, yet changed: say so
                found[key] = PropertyDiffKind.UPDATE
        if key in replaces:
            found = {path: _REPLACE.get(kind, kind) for path, kind in found.items()}
        kinds.update(found)
    return {path: PropertyDiff(kind, input_diff=True) for path, kind in kinds.items()}
