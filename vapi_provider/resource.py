"""The `VapiPhoneNumber` Pulumi resource and its `VapiPhoneNumberArgs`.

Python users see snake_case (`VapiPhoneNumberArgs.sip_uri`, `phone.sip_uri`); state, `check`/`diff`
props and policies see Vapi's camelCase wire names (`sipUri`). The Pulumi SDK does the translation:
the props given to the SDK are keyed by the Python names, `translate_input_property` maps them to wire
names on the way to the engine, and `translate_output_property` maps engine outputs back to the Python
attributes. Nested objects (`server`, `fallbackDestination`, `hooks`, `authentication`) are plain dicts
shaped exactly like Vapi's JSON, with camelCase keys.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, overload

import pulumi
import pulumi.dynamic

from .inputs import FallbackDestinationArgs, HookArgs, ServerArgs, SipAuthenticationArgs
from .properties import PHONE_NUMBER
from .provider import VapiPhoneNumberProvider

__all__ = ["VapiPhoneNumber", "VapiPhoneNumberArgs", "build_props_and_opts"]

# Derived from the property table; the Args fields and output attributes below are spelled out for
# mypy and IDEs, and tests/unit/test_properties.py fails when they disagree with the table.
_SNAKE_TO_CAMEL = PHONE_NUMBER.python_to_wire
_CAMEL_TO_SNAKE = PHONE_NUMBER.wire_to_python
_SECRET_PATHS = {PHONE_NUMBER.wire_to_python[p.wire]: p.secret_paths for p in PHONE_NUMBER if p.secret}
"""Args fields holding secrets, and where: only those values are wrapped as secrets, so that the rest of
the object (a webhook URL, a timeout, a username) stays reviewable in `pulumi preview --diff`."""
_OUTPUT_ONLY_ATTRS = tuple(PHONE_NUMBER.wire_to_python[k] for k in PHONE_NUMBER.output_keys)


@dataclass(frozen=True, kw_only=True)
class VapiPhoneNumberArgs:
    """Inputs of a `VapiPhoneNumber`. Set `number_desired_area_code` or `sip_uri` (or `adopt`).

    Nested dicts use Vapi's JSON shape and camelCase keys, e.g.
    ``fallback_destination={"type": "number", "number": "+14155550123"}``.
    """

    name: pulumi.Input[str] | None = None
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number_desired_area_code: pulumi.Input[str] | None = None
    """3-digit US area code of a free Vapi number. Changing it buys a new number (a replacement)."""
    sip_uri: pulumi.Input[str] | None = None
    """`sip:<username>@sip.vapi.ai` (`@sip.eu.vapi.ai` for the EU API)."""
    authentication: pulumi.Input[SipAuthenticationArgs] | None = None
    """`{realm?, username, password}`, username and password 20-40 characters; `password` secret."""
    assistant_id: pulumi.Input[str] | None = None
    """Assistant that answers calls."""
    squad_id: pulumi.Input[str] | None = None
    """Squad that answers calls."""
    workflow_id: pulumi.Input[str] | None = None
    """Workflow that answers calls."""
    server: pulumi.Input[ServerArgs] | None = None
    """Webhook target `{url (https), timeoutSeconds, headers, credentialId, ...}`; headers secret."""
    fallback_destination: pulumi.Input[FallbackDestinationArgs] | None = None
    """Where unanswered calls go: `{type: "number", number: <E.164>}` or `{type: "sip", sipUri}`."""
    hooks: pulumi.Input[Sequence[pulumi.Input[HookArgs]]] | None = None
    """`call.ringing` / `call.ending` hooks; the list replaces the number's hooks wholesale."""
    allow_release: pulumi.Input[bool] | None = None
    """Opt in to replacing (and so releasing) a Vapi-issued number when the area code changes."""
    adopt: pulumi.Input[str] | None = None
    """Take over an existing number (its id, E.164 number or sipUri) instead of buying one."""
    activation_timeout_seconds: pulumi.Input[float] | None = None
    """How long create waits for `activating` to become `active` (default 300)."""


def build_props_and_opts(
    resource_name: str, args: VapiPhoneNumberArgs, opts: pulumi.ResourceOptions | None
) -> tuple[dict[str, Any], pulumi.ResourceOptions]:
    """The props (Python names; the SDK translates them to wire names) and merged options (pure)."""
    props: dict[str, Any] = {}
    for field in fields(args):
        value = getattr(args, field.name)  # shallow: never deep-copy Outputs
        if value is not None and field.name in _SECRET_PATHS:
            value = _secret_parts(value, _SECRET_PATHS[field.name])
        props[field.name] = value
    org = pulumi.get_organization() if hasattr(pulumi, "get_organization") else ""
    props["autoname_seed"] = f"{org}/{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
    if args.name is None:
        props["autoname_prefix"] = resource_name
    for key in _OUTPUT_ONLY_ATTRS:
        props[key] = None  # seeded so that the output exists
    return props, opts or pulumi.ResourceOptions()


def _secret_parts(value: Any, paths: tuple[tuple[str, ...], ...]) -> Any:
    """Wrap the values at `paths` (`*` = every key) as secrets; an Output whose shape is not known yet
    is wrapped whole. The provider seals the same paths in everything it returns (`secrets.py`)."""
    if not isinstance(value, Mapping):
        return pulumi.Output.secret(value)
    out = dict(value)
    for path in paths:
        out = _wrap(out, path)
    return out


def _wrap(value: Any, path: tuple[str, ...]) -> Any:
    if not path:
        return pulumi.Output.secret(value)
    if not isinstance(value, Mapping):
        return pulumi.Output.secret(value) if value is not None else None
    head, rest = path[0], path[1:]
    if head == "*":
        return {k: _wrap(v, rest) for k, v in value.items()}
    if head in value:
        return {**value, head: _wrap(value[head], rest)}
    return dict(value)


_CLAIMS: dict[int, list[tuple[str, str, str]]] = {}
"""Per program run: (key, value, resource name) of every explicit name and sipUri declared."""
_BARRIERS: dict[int, asyncio.Future[None]] = {}


def _deployment() -> int:
    from pulumi.runtime.settings import get_monitor

    return id(get_monitor())


def _duplicates(claims: list[tuple[str, str, str]]) -> list[str]:
    first: dict[tuple[str, str], str] = {}
    problems = []
    for key, value, resource_name in claims:
        other = first.setdefault((key, value), resource_name)
        if other != resource_name:
            problems.append(
                f"VapiPhoneNumber {resource_name!r} declares the same {key} as {other!r} ({value!r}); "
                f"each number needs its own {key}"
            )
    return problems


def _release(barrier: asyncio.Future[None], deployment: int) -> None:
    problems = _duplicates(_CLAIMS.pop(deployment, []))
    _BARRIERS.pop(deployment, None)
    if problems:
        barrier.set_exception(ValueError("; ".join(problems) + ". Nothing was sent to Vapi."))
    else:
        barrier.set_result(None)


def _uniqueness_gate(resource_name: str, args: VapiPhoneNumberArgs) -> asyncio.Future[None]:
    """A future that resolves once the program has declared all its numbers, and fails if two share an
    explicit name or a sipUri (case-insensitive).

    Every number's inputs wait for it, so the engine receives none of them before the check: a
    duplicate is refused before anything is bought, also by `pulumi up --skip-preview`. The program's
    body runs synchronously, and the check is scheduled with `call_soon`, which runs when the body is
    done. A name or sipUri that is itself an Output (known only at `up`) is not compared here; the
    policy pack's `vapi-unique-numbers` reports it after the fact (docs/policies.md).
    """
    deployment = _deployment()
    claims = _CLAIMS.setdefault(deployment, [])
    if isinstance(args.name, str):
        claims.append(("name", args.name, resource_name))
    if isinstance(args.sip_uri, str):
        claims.append(("sipUri", args.sip_uri.lower(), resource_name))
    barrier = _BARRIERS.get(deployment)
    if barrier is None:
        loop = asyncio.get_event_loop()
        barrier = loop.create_future()
        _BARRIERS[deployment] = barrier
        loop.call_soon(_release, barrier, deployment)
    return barrier


class VapiPhoneNumber(pulumi.dynamic.Resource, module="vapi", name="VapiPhoneNumber"):
    """A Vapi phone number (`provider: "vapi"`): a free US number or a SIP URI, with its routing.

    Type token `pulumi-python:dynamic/vapi:VapiPhoneNumber` (`vapi_provider.PHONE_NUMBER_TYPE`).
    The Pulumi id is Vapi's phone-number id. Needs `vapi:apiKey` (secret) or `VAPI_API_KEY`.

    Usage::

        phone = VapiPhoneNumber(
            "support-line",
            VapiPhoneNumberArgs(number_desired_area_code="415", assistant_id=assistant_id),
            opts=pulumi.ResourceOptions(protect=True),
        )
        pulumi.export("support_line_number", phone.number)
    """

    name: pulumi.Output[str]
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number_desired_area_code: pulumi.Output[str | None]
    """3-digit US area code of a free Vapi number. Changing it buys a new number (a replacement)."""
    sip_uri: pulumi.Output[str | None]
    """`sip:<username>@sip.vapi.ai` (`@sip.eu.vapi.ai` for the EU API)."""
    authentication: pulumi.Output[dict[str, Any] | None]
    """`{realm?, username, password}`, username and password 20-40 characters; `password` secret."""
    assistant_id: pulumi.Output[str | None]
    """Assistant that answers calls."""
    squad_id: pulumi.Output[str | None]
    """Squad that answers calls."""
    workflow_id: pulumi.Output[str | None]
    """Workflow that answers calls."""
    server: pulumi.Output[dict[str, Any] | None]
    """Webhook target `{url (https), timeoutSeconds, headers, credentialId, ...}`; headers secret."""
    fallback_destination: pulumi.Output[dict[str, Any] | None]
    """Where unanswered calls go: `{type: "number", number: <E.164>}` or `{type: "sip", sipUri}`."""
    hooks: pulumi.Output[list[dict[str, Any]] | None]
    """`call.ringing` / `call.ending` hooks; the list replaces the number's hooks wholesale."""
    allow_release: pulumi.Output[bool | None]
    """Opt in to replacing (and so releasing) a Vapi-issued number when the area code changes."""
    adopt: pulumi.Output[str | None]
    """Take over an existing number (its id, E.164 number or sipUri) instead of buying one."""
    activation_timeout_seconds: pulumi.Output[float | None]
    """How long create waits for `activating` to become `active` (default 300)."""
    autoname_prefix: pulumi.Output[str | None]
    """Set by the resource to its resource name when `name` is not given; autonames start with it."""
    autoname_seed: pulumi.Output[str | None]
    """Set by the resource: org/project/stack/resource name, from which the autoname is derived."""
    org_id: pulumi.Output[str]
    """Vapi org that owns the number."""
    number: pulumi.Output[str | None]
    """The E.164 number Vapi issued; None for SIP-only numbers."""
    status: pulumi.Output[str | None]
    """`activating`, `active` or `blocked`."""
    created_at: pulumi.Output[str]
    """When Vapi created the number (ISO 8601)."""
    updated_at: pulumi.Output[str]
    """When Vapi last changed the number (ISO 8601)."""

    @overload
    def __init__(
        self, resource_name: str, args: VapiPhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        number_desired_area_code: pulumi.Input[str] | None = None,
        sip_uri: pulumi.Input[str] | None = None,
        authentication: pulumi.Input[SipAuthenticationArgs] | None = None,
        assistant_id: pulumi.Input[str] | None = None,
        squad_id: pulumi.Input[str] | None = None,
        workflow_id: pulumi.Input[str] | None = None,
        server: pulumi.Input[ServerArgs] | None = None,
        fallback_destination: pulumi.Input[FallbackDestinationArgs] | None = None,
        hooks: pulumi.Input[Sequence[pulumi.Input[HookArgs]]] | None = None,
        allow_release: pulumi.Input[bool] | None = None,
        adopt: pulumi.Input[str] | None = None,
        activation_timeout_seconds: pulumi.Input[float] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Either form: `(name, VapiPhoneNumberArgs(...), opts)` or `(name, opts, **fields)`."""
        args_obj, opts = _resource_args(args, kwargs)
        self._declare(resource_name, args_obj, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> VapiPhoneNumber:
        """Look up an existing number by its Vapi id, read-only: Pulumi reads it and never changes or
        releases it (it is not managed by this stack)."""
        return VapiPhoneNumber(
            resource_name,
            VapiPhoneNumberArgs(),
            pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)),
        )

    def _declare(
        self, resource_name: str, args: VapiPhoneNumberArgs, opts: pulumi.ResourceOptions | None
    ) -> None:
        gate = _uniqueness_gate(resource_name, args)
        props, merged = build_props_and_opts(resource_name, args, opts)
        key = "name" if args.name is not None else "autoname_prefix"
        props[key] = asyncio.ensure_future(_after(gate, props[key]))
        super().__init__(VapiPhoneNumberProvider(), resource_name, props, merged)
        # The SDK also runs translate_output_property on nested keys, turning a SIP destination's
        # `sipUri` into `sip_uri`; put nested values back in Vapi's shape.
        # (Only when given: each apply is one more Output for the SDK to wait for.)
        if args.fallback_destination is not None:
            self.fallback_destination = self.fallback_destination.apply(_wire_keys)
        if args.hooks is not None:
            self.hooks = self.hooks.apply(_wire_keys)

    def translate_output_property(self, prop: str) -> str:
        return _CAMEL_TO_SNAKE.get(prop, prop)

    def translate_input_property(self, prop: str) -> str:
        return _SNAKE_TO_CAMEL.get(prop, prop)


async def _after(barrier: asyncio.Future[None], value: Any) -> Any:
    """`value`, once the program has declared all its numbers (the uniqueness check passed)."""
    await barrier
    return value


def _resource_args(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[VapiPhoneNumberArgs, pulumi.ResourceOptions | None]:
    """Sort the two constructor forms out: (args[, opts]) or ([opts,] **fields)."""
    positional = list(args)
    first = positional.pop(0) if positional else kwargs.pop("args", None)
    if isinstance(first, VapiPhoneNumberArgs):
        opts = positional.pop(0) if positional else kwargs.pop("opts", None)
        if positional or kwargs:
            raise TypeError("VapiPhoneNumber(name, args, opts) takes no further arguments")
        return first, opts
    opts = first if first is not None else kwargs.pop("opts", None)
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError("VapiPhoneNumber's second argument must be VapiPhoneNumberArgs or ResourceOptions")
    if positional:
        raise TypeError("pass VapiPhoneNumber's fields as keyword arguments")
    fields = {f.name for f in dataclasses.fields(VapiPhoneNumberArgs)}
    unknown = sorted(set(kwargs) - fields)
    if unknown:
        raise TypeError(
            f"VapiPhoneNumber got unknown fields {', '.join(unknown)}; fields: {', '.join(sorted(fields))}"
        )
    return VapiPhoneNumberArgs(**kwargs), opts


def _wire_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_SNAKE_TO_CAMEL.get(k, k): _wire_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wire_keys(v) for v in value]
    return value
