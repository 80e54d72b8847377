"""Runs the pack's rules the way pulumi-policy's analyzer does, without an engine.

pulumi-policy ships no test helper for Python packs. This harness rebuilds what its
``_PolicyAnalyzerServicer.Analyze``/``AnalyzeStack`` do for each policy (pulumi_policy 1.21,
``policy.py``):

* props travel as a protobuf ``Struct`` in which the engine marks unknowns with the
  ``UNKNOWN_*_VALUE`` sentinel strings and secrets with the ``{sig: secret, value: ...}`` envelope;
  the servicer decodes them with ``deserialize_properties`` (secrets come out as plaintext) and wraps
  them in ``unknown_checking_proxy`` (reading an unknown raises ``UnknownValueError``);
* the per-policy config is the engine's: schema defaults, overridden by the given config, validated
  against ``{"type": "object", "properties": ..., "required": ...}`` (pulumi ``convertSchema``);
* ``UnknownValueError`` escaping a rule becomes an advisory "can't run policy" note.

Use :func:`unknown` and :func:`secret` inside props to mark values.

Resources get the type token of a kind (:func:`type_of`) from the current token set, dynamic
(``pulumi-python:dynamic/vapi:VapiPhoneNumber``, ...) unless :func:`using_token_set` picked the native one
(``vapi:index:PhoneNumber``, ...); the ``token_set`` fixture runs a test once with each.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from google.protobuf import json_format, struct_pb2  # type: ignore[import-untyped]
from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, deserialize_properties
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from vapi_policies.rules import DYNAMIC_TYPE_BY_KIND, NATIVE_TYPE_BY_KIND, POLICIES

PROJECT = "vapi-phone-numbers"

TOKEN_SETS: dict[str, Mapping[str, str]] = {"dynamic": DYNAMIC_TYPE_BY_KIND, "native": NATIVE_TYPE_BY_KIND}
"""Each set of type tokens the rules check: Vapi's ``provider`` value of a kind -> that kind's token."""
_current_set: list[str] = ["dynamic"]


def token_set() -> str:
    """The name of the token set resources are built with now (``dynamic`` or ``native``)."""
    return _current_set[0]


def type_of(kind: str = "vapi") -> str:
    """The type token of a kind of number (Vapi's ``provider`` value) in the current token set."""
    return TOKEN_SETS[_current_set[0]][kind]


@contextmanager
def using_token_set(name: str) -> Iterator[None]:
    """Build resources with the dynamic or the native type tokens inside this block."""
    if name not in TOKEN_SETS:
        raise KeyError(f"token set {name!r}: use one of {sorted(TOKEN_SETS)}")
    saved = _current_set[0]
    _current_set[0] = name
    try:
        yield
    finally:
        _current_set[0] = saved


class _Unknown:
    def __repr__(self) -> str:
        return "unknown()"


@dataclass(frozen=True)
class _Secret:
    value: Any


_UNKNOWN = _Unknown()


def unknown() -> Any:
    """A value that is unknown during preview (e.g. another resource's output)."""
    return _UNKNOWN


def secret(value: Any) -> Any:
    """A secret value, as the engine sends it to a policy pack."""
    return _Secret(value)


def to_wire(value: Any) -> Any:
    """The JSON the engine puts in the analyzer request (``MarshalOptions{KeepUnknowns, KeepSecrets}``)."""
    if value is _UNKNOWN:
        return UNKNOWN_STRING_VALUE
    if isinstance(value, _Secret):
        return {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": to_wire(value.value)}
    if isinstance(value, Mapping):
        return {str(k): to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    return value


def runtime_props(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """Props as a validator receives them: through a protobuf Struct, decoded, unknown-checking."""
    struct = struct_pb2.Struct()
    struct.update(to_wire(props))
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))


def policy_named(name: str) -> Policy:
    for policy in POLICIES:
        if policy.name == name:
            return policy
    raise KeyError(name)


class ConfigError(ValueError):
    """The engine would refuse this policy config."""


def engine_config(policy: Policy, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The config the engine hands a policy: schema defaults, then ``given``, validated by the schema."""
    schema = policy.config_schema
    config: dict[str, Any] = {}
    if schema is not None:
        config = {k: v["default"] for k, v in schema.properties.items() if "default" in v}
    config.update(given or {})
    if schema is not None:
        json_schema: dict[str, Any] = {"type": "object", "properties": schema.properties}
        if schema.required:
            json_schema["required"] = schema.required
        validator = jsonschema.Draft4Validator(json_schema, format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(config), key=lambda e: list(e.path))
        if errors:
            raise ConfigError("; ".join(f"{policy.name}: {e.message}" for e in errors))
    return config


def options(protect: bool = False) -> PolicyResourceOptions:
    """Resource options as the servicer builds them from the request."""
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def urn_of(name: str, resource_type: str | None = None, stack: str | None = None) -> str:
    """A resource URN. Its stack is the one :func:`stack_named` set (engine URNs carry it), else dev."""
    resource_type = resource_type or type_of()
    stack = stack or os.environ.get("PULUMI_STACK") or "dev"
    return f"urn:pulumi:{stack}::{PROJECT}::{resource_type}::{name}"


def resource_args(
    props: Mapping[str, Any],
    *,
    name: str = "support-line",
    resource_type: str | None = None,
    config: Mapping[str, Any] | None = None,
    protect: bool = False,
    stack_tags: Mapping[str, str] | None = None,
    stack: str | None = None,
) -> ResourceValidationArgs:
    """``ResourceValidationArgs`` for one resource, built the way ``Analyze`` builds them.

    ``config`` is passed as is (``None`` means the policy got no config at all); use
    :func:`engine_config` to get the engine's defaults filled in. ``resource_type`` defaults to the
    current token set's Vapi-issued number (:func:`type_of`).
    """
    resource_type = resource_type or type_of()
    return ResourceValidationArgs(
        resource_type,
        runtime_props(props),
        urn_of(name, resource_type, stack),
        name,
        options(protect),
        None,
        dict(config) if config is not None else None,
        dict(stack_tags or {}),
    )


def stack_resource(
    name: str,
    props: Mapping[str, Any],
    *,
    resource_type: str | None = None,
    protect: bool = False,
) -> PolicyResource:
    """One resource of ``StackValidationArgs.resources``, as ``AnalyzeStack`` builds it (outputs as props)."""
    resource_type = resource_type or type_of()
    return PolicyResource(
        resource_type,
        runtime_props(props),
        urn_of(name, resource_type),
        name,
        options(protect),
        None,
        None,
        [],
        {},
    )


def stack_args(
    resources: list[PolicyResource],
    *,
    config: Mapping[str, Any] | None = None,
    stack_tags: Mapping[str, str] | None = None,
) -> StackValidationArgs:
    return StackValidationArgs(
        resources, dict(config) if config is not None else None, dict(stack_tags or {})
    )


@dataclass
class Outcome:
    """What one policy produced for one resource (or stack)."""

    policy: Policy
    violations: list[tuple[str, str | None]] = field(default_factory=list)
    unknown_note: str | None = None

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.violations]

    @property
    def urns(self) -> list[str | None]:
        return [urn for _, urn in self.violations]

    @property
    def shown(self) -> list[str]:
        """Every text the engine would print for this run, as the servicer composes it."""
        texts = [f"{self.policy.description}\n{message}" for message in self.messages]
        if self.unknown_note is not None:
            texts.append(self.unknown_note)
        return texts


def run(policy: Policy | str, args: ResourceValidationArgs | StackValidationArgs) -> Outcome:
    """Run one policy like the servicer: collect reports, turn ``UnknownValueError`` into the note."""
    if isinstance(policy, str):
        policy = policy_named(policy)
    outcome = Outcome(policy)

    def report_violation(message: str, urn: str | None = None) -> None:
        if message and not isinstance(message, str):
            raise TypeError("Expected message to be a string")
        outcome.violations.append((message, urn))

    try:
        result = policy.validate(args, report_violation)  # type: ignore[attr-defined]
        assert result is None, "the pack's rules are synchronous"
    except UnknownValueError as exc:
        pack = f"{PROJECT}@v0.0.1"
        outcome.unknown_note = (
            f"can't run policy '{policy.name}' from policy pack '{pack}' during preview: {exc.message}"
        )
    return outcome


@contextmanager
def stack_named(name: str | None) -> Iterator[None]:
    """Run with the stack name the engine passes to the pack (``PULUMI_STACK``).

    ``None`` is what ``pulumi policy analyze`` gives a pack: no ``PULUMI_STACK`` and no stack tags (the
    resources' URNs still carry their stack's name).
    """
    import pulumi.runtime.settings as settings

    saved_env = os.environ.get("PULUMI_STACK")
    saved_settings = settings.SETTINGS.stack
    try:
        if name is None:
            os.environ.pop("PULUMI_STACK", None)
        else:
            os.environ["PULUMI_STACK"] = name
        settings.SETTINGS.stack = None
        yield
    finally:
        if saved_env is None:
            os.environ.pop("PULUMI_STACK", None)
        else:
            os.environ["PULUMI_STACK"] = saved_env
        settings.SETTINGS.stack = saved_settings
