"""Unknown values: what previews hand the provider for inputs not known yet (`pulumi.output.Unknown`).

The host deserializes preview unknowns as `pulumi.output.Unknown` objects (SDK >= 3.2xx; older SDKs gave
the string sentinel). The string `rpc.UNKNOWN` is what the host serializes back as "unknown", so the
provider turns every unknown into that string on the way in (`strip`) and works with the string.
"""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown
from pulumi.runtime import rpc

from .secrets import is_sealed

__all__ = [
    "PROVIDER_KEY",
    "PathKey",
    "contains_unknown",
    "get_path",
    "known",
    "put_path",
    "split_unknowns",
    "strip",
]

PROVIDER_KEY = "__provider"

PathKey = tuple[str | int, ...]


def known(value: object) -> bool:
    return not (isinstance(value, str) and value == rpc.UNKNOWN)


def strip(props: dict[str, Any] | None) -> dict[str, Any]:
    """Drop `__provider` and None values (an unset input); unknowns become the `rpc.UNKNOWN` string;
    secret envelopes are opened."""
    return {k: _sentinel(v) for k, v in (props or {}).items() if k != PROVIDER_KEY and v is not None}


def _sentinel(value: Any) -> Any:
    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if is_sealed(value):  # the engine strips secrets before calling us; tests and mocks may not
        return _sentinel(value.get("value"))
    if isinstance(value, dict):
        return {k: _sentinel(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_sentinel(v) for v in value]
    return value


def contains_unknown(value: Any) -> bool:
    if not known(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


_DROP = object()


def split_unknowns(value: Any, path: PathKey = ()) -> tuple[Any, list[PathKey]]:
    """Remove unknown values; return the known rest and the paths removed.

    A list holding an unknown anywhere is removed as a whole (its indices would no longer line up).
    """
    if not known(value):
        return _DROP, [path]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        paths: list[PathKey] = []
        for key, item in value.items():
            rest, sub = split_unknowns(item, (*path, key))
            paths.extend(sub)
            if rest is not _DROP:
                out[key] = rest
        return out, paths
    if isinstance(value, list) and contains_unknown(value):
        return _DROP, [path]
    return value, []


def get_path(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data


def put_path(data: dict[str, Any], path: PathKey, value: Any) -> None:
    target: Any = data
    for part in path[:-1]:
        target = target.setdefault(part, {}) if isinstance(target, dict) else target[part]
    target[path[-1]] = value
