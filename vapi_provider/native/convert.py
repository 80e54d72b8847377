"""Between the engine's `PropertyValue`s and the plain dicts the shared provider core works on.

The core (`vapi_provider.provider`) takes and returns plain values in the dynamic provider's wire form:
secrets as the engine's secret envelope (`secrets.seal`), unknowns as the `rpc.UNKNOWN` string. These two
functions translate that form to and from `PropertyValue` without losing a secret mark:

* `to_plain` turns every secret `PropertyValue`, at any depth, into an envelope, and every computed value
  into `rpc.UNKNOWN`; `secret_paths` lists where the secrets were, so that a value the program marked
  secret (even one the table does not call secret) is sealed again on the way out (`reseal`).
* `from_plain` turns envelopes back into `PropertyValue(..., is_secret=True)` and `rpc.UNKNOWN` into a
  computed value. Whole floats stay floats on the wire (the engine has one number type); `to_plain`
  gives whole numbers back as ints, which is what the core's models and comparisons expect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc

from ..secrets import SECRET_SIG, SIG_KEY, is_sealed

__all__ = ["SecretPath", "from_plain", "from_plain_map", "reseal", "secret_paths", "to_plain", "to_plain_map"]

SecretPath = tuple[str | int, ...]


def _envelope(value: Any) -> dict[str, Any]:
    return {SIG_KEY: SECRET_SIG, "value": value}


def to_plain(value: PropertyValue) -> Any:
    """The plain form of one value: envelopes for secrets, `rpc.UNKNOWN` for computed values."""
    inner = value.value
    out: Any
    if isinstance(inner, Computed):
        out = rpc.UNKNOWN
    elif isinstance(inner, bool) or inner is None or isinstance(inner, str):
        out = inner
    elif isinstance(inner, float):
        out = int(inner) if inner.is_integer() else inner
    elif isinstance(inner, Mapping):
        out = {k: to_plain(v) for k, v in inner.items()}
    elif isinstance(inner, Sequence):
        out = [to_plain(v) for v in inner if isinstance(v, PropertyValue)]
    else:
        raise TypeError(
            f"a phone number has no {type(inner).__name__} values (assets or resource references)"
        )
    return _envelope(out) if value.is_secret and out is not None else out


def to_plain_map(props: Mapping[str, PropertyValue]) -> dict[str, Any]:
    return {k: to_plain(v) for k, v in props.items()}


def secret_paths(props: Mapping[str, PropertyValue]) -> list[SecretPath]:
    """Where the secret values are, by path from the top (map keys and list indices)."""
    found: list[SecretPath] = []

    def walk(value: PropertyValue, path: SecretPath) -> None:
        if value.is_secret:
            found.append(path)
            return
        inner = value.value
        if isinstance(inner, Mapping):
            for key, item in inner.items():
                walk(item, (*path, key))
        elif isinstance(inner, Sequence) and not isinstance(inner, str):
            for index, item in enumerate(inner):
                walk(item, (*path, index))

    for key, item in props.items():
        walk(item, (key,))
    return found


def reseal(props: dict[str, Any], paths: Sequence[SecretPath]) -> dict[str, Any]:
    """`props` with the value at each of `paths` (where it still exists) sealed as a secret."""
    out = dict(props)
    for path in paths:
        out = _seal_path(out, path)
    return out


def _seal_path(value: Any, path: SecretPath) -> Any:
    if not path:
        return value if is_sealed(value) or value is None else _envelope(value)
    head, rest = path[0], path[1:]
    if is_sealed(value):
        return value  # already secret as a whole
    if isinstance(value, dict) and isinstance(head, str) and head in value:
        return {**value, head: _seal_path(value[head], rest)}
    if isinstance(value, list) and isinstance(head, int) and 0 <= head < len(value):
        return [_seal_path(v, rest) if i == head else v for i, v in enumerate(value)]
    return value


def from_plain(value: Any, *, secret: bool = False) -> PropertyValue:
    """The `PropertyValue` of a plain value (envelopes become secrets, `rpc.UNKNOWN` computed)."""
    if is_sealed(value):
        return from_plain(value.get("value"), secret=True)
    if isinstance(value, PropertyValue):
        return value.with_secret(True) if secret else value
    out: PropertyValue
    if isinstance(value, str) and value == rpc.UNKNOWN:
        out = PropertyValue.computed()
    elif value is None or isinstance(value, bool | str):
        out = PropertyValue(value)
    elif isinstance(value, int | float):
        out = PropertyValue(float(value))
    elif isinstance(value, Mapping):
        out = PropertyValue({str(k): from_plain(v) for k, v in value.items()})
    elif isinstance(value, list | tuple):
        out = PropertyValue([from_plain(v) for v in value])
    else:
        raise TypeError(f"cannot send a {type(value).__name__} to the engine")
    return out.with_secret(True) if secret else out


def from_plain_map(props: Mapping[str, Any]) -> dict[str, PropertyValue]:
    """The engine form of a property map; None values are left out (an unset property)."""
    return {k: from_plain(v) for k, v in props.items() if v is not None}
