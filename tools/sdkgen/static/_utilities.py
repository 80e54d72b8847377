"""Runtime helpers of the generated SDK (copied verbatim into `pulumi_vapi/` by `scripts/gen-sdk`)."""

from __future__ import annotations

import copy
import functools
import importlib.metadata
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pulumi
import pulumi._types

__all__ = [
    "get_resource_args_opts",
    "get_resource_opts_defaults",
    "get_version",
    "seal",
]

_DISTRIBUTION = "vapi-phone-numbers"

A = TypeVar("A")
O = TypeVar("O")  # noqa: E741

Step = tuple[str, str]
"""One step of a secret path: the key's Python name and its wire name (`("*", "*")`: every key or item)."""
SecretPath = tuple[Step, ...]


@functools.cache
def get_version() -> str | None:
    """The version of the plugin this SDK asks the engine for: the distribution's own version (None when
    the SDK runs from a bare checkout; the engine then takes the plugin it finds). Read once per process:
    every resource asks, and reading the distribution's metadata is a file parse."""
    try:
        return importlib.metadata.version(_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None


def get_resource_opts_defaults() -> pulumi.ResourceOptions:
    """Options every resource of this package starts from: the plugin version."""
    return pulumi.ResourceOptions(version=get_version())


def get_resource_args_opts(
    resource_args_type: type[A], resource_options_type: type[O], *args: Any, **kwargs: Any
) -> tuple[A | None, O | None]:
    """Tell the Args form of a constructor call (`Resource(name, args, opts)`) from the keyword form.

    Returns `(args, opts)` for the Args form and `(None, None)` for the keyword form.
    """
    resource_args: A | None = None
    opts: O | None = None
    if args and isinstance(args[0], resource_args_type):
        resource_args = args[0]
        if len(args) > 1 and isinstance(args[1], resource_options_type):
            opts = args[1]
    elif isinstance(kwargs.get("args"), resource_args_type):
        resource_args = kwargs["args"]
    if resource_args is not None:
        given = kwargs.get("opts")
        if opts is None and isinstance(given, resource_options_type):
            opts = given
    return resource_args, opts


def seal(value: Any, paths: Sequence[SecretPath]) -> Any:
    """`value` with the parts at `paths` wrapped as secrets, so that the engine stores them encrypted.

    `value` is a plain dict (Python or wire keys), an input type instance or a list of them. A value
    whose shape is not known yet (an `Output` or awaitable) is made secret as a whole.
    """
    for path in paths:
        value = _seal(value, path)
    return value


def _seal(value: Any, path: SecretPath) -> Any:
    if value is None:
        return None
    if not path:
        return pulumi.Output.secret(value)
    if isinstance(value, pulumi.Output) or hasattr(value, "__await__"):
        return pulumi.Output.secret(value)
    (python, wire), rest = path[0], path[1:]
    if pulumi._types.is_input_type(type(value)):
        if python == "*":
            return value
        inner = pulumi.get(value, python)
        if inner is None:
            return value
        sealed = copy.copy(value)
        pulumi.set(sealed, python, _seal(inner, rest))
        return sealed
    if isinstance(value, Mapping):
        out = dict(value)
        if python == "*":
            return {k: _seal(v, rest) for k, v in out.items()}
        for key in {python, wire}:
            if key in out:
                out[key] = _seal(out[key], rest)
        return out
    if isinstance(value, Sequence) and not isinstance(value, str) and python == "*":
        return [_seal(v, rest) for v in value]
    return value
