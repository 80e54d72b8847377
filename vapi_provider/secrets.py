"""Secret values in state: exactly the table's secret paths are sealed, and nothing else.

The provider hands the engine its results (checked inputs, outputs, refreshed inputs) with every value
at a secret path (`Property.secret_paths`: `authentication.password`, each `server.headers` value) wrapped
in the engine's secret envelope. The engine keeps that mark on provider results (it reads them with
`KeepSecrets`), so those values are encrypted in state, history and backups and shown as `[secret]` —
including values the program never declared, such as headers set in the dashboard and brought in by
`pulumi refresh` or `adopt`. The rest of `server` and `authentication` (URL, timeouts, backoff plan,
username) stays reviewable: `pulumi preview --diff` shows its changes field by field.

No Pulumi import: the envelope is two constants of the engine's wire format.
"""

from __future__ import annotations

import copy
from typing import Any

from .properties import ANY, Path, ResourceTable

__all__ = ["SECRET_SIG", "SIG_KEY", "is_sealed", "seal"]

SIG_KEY = "4dabf18193072939515e22adb298388d"
"""The key that marks a special value on the engine's wire (`pulumi.runtime.rpc._special_sig_key`)."""
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
"""The signature of a secret (`pulumi.runtime.rpc._special_secret_sig`)."""


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def _envelope(value: Any) -> Any:
    return value if is_sealed(value) or value is None else {SIG_KEY: SECRET_SIG, "value": value}


def _seal_at(value: Any, path: Path) -> Any:
    if not path:
        return _envelope(value)
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        if head == ANY:
            return {k: _seal_at(v, rest) for k, v in value.items()}
        if head in value:
            return {**value, head: _seal_at(value[head], rest)}
        return value
    if isinstance(value, list) and head == ANY:
        return [_seal_at(v, rest) for v in value]
    return value


def seal(table: ResourceTable, props: dict[str, Any]) -> dict[str, Any]:
    """A copy of `props` (wire names) with every value at one of the table's secret paths sealed."""
    out = dict(props)
    for prop in table:
        if prop.secret_paths and prop.wire in out:
            value = copy.deepcopy(out[prop.wire])
            for path in prop.secret_paths:
                value = _seal_at(value, path)
            out[prop.wire] = value
    return out
