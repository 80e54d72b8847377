"""The phone-number Pulumi resources and their Args: `VapiPhoneNumber` (a Vapi-issued number or SIP URI)
and the imported kinds `TwilioPhoneNumber`, `VonagePhoneNumber`, `TelnyxPhoneNumber`, `ByoPhoneNumber`.

Every kind shares `_PhoneNumberResource` (the constructor forms, name translation, secrets by path, the
uniqueness gate, `get()`); each declares its table, Args class, provider and typed outputs.

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
from typing import Any, ClassVar, Self, overload

import pulumi
import pulumi.dynamic

from .inputs import FallbackDestinationArgs, HookArgs, ServerArgs, SipAuthenticationArgs
from .properties import (
    BYO_PHONE_NUMBER,
    PHONE_NUMBER,
    TELNYX_PHONE_NUMBER,
    TWILIO_PHONE_NUMBER,
    VONAGE_PHONE_NUMBER,
    ResourceTable,
)
from .provider import (
    ByoPhoneNumberProvider,
    PhoneNumberProviderBase,
    TelnyxPhoneNumberProvider,
    TwilioPhoneNumberProvider,
    VapiPhoneNumberProvider,
    VonagePhoneNumberProvider,
)
from .run_claims import normalise

__all__ = [
    "ByoPhoneNumber",
    "ByoPhoneNumberArgs",
    "TelnyxPhoneNumber",
    "TelnyxPhoneNumberArgs",
    "TwilioPhoneNumber",
    "TwilioPhoneNumberArgs",
    "VapiPhoneNumber",
    "VapiPhoneNumberArgs",
    "VonagePhoneNumber",
    "VonagePhoneNumberArgs",
    "build_props_and_opts",
]


# Derived from the property tables; the Args fields and output attributes below are spelled out for
# mypy and IDEs, and tests/unit/test_properties.py fails when they disagree with the tables.
def secret_paths(table: ResourceTable) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Args fields holding secrets, and where: only those values are wrapped as secrets, so that the
    rest of the object (a webhook URL, a timeout, a username) stays reviewable in `pulumi preview --diff`."""
    return {p.python: p.secret_paths for p in table if p.secret}


_SECRET_PATHS = secret_paths(PHONE_NUMBER)


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
    resource_name: str, args: Any, opts: pulumi.ResourceOptions | None, table: ResourceTable = PHONE_NUMBER
) -> tuple[dict[str, Any], pulumi.ResourceOptions]:
    """The props (Python names; the SDK translates them to wire names) and merged options (pure)."""
    props: dict[str, Any] = {}
    secrets = secret_paths(table)
    for field in fields(args):
        value = getattr(args, field.name)  # shallow: never deep-copy Outputs
        if value is not None and field.name in secrets:
            value = _secret_parts(value, secrets[field.name])
        props[field.name] = value
    org = pulumi.get_organization() if hasattr(pulumi, "get_organization") else ""
    props["autoname_seed"] = f"{org}/{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
    if args.name is None:
        props["autoname_prefix"] = resource_name
    for key in table.output_keys:
        props[table.wire_to_python[key]] = None  # seeded so that the output exists
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
"""Per program run: (key, value, "<class> '<resource name>'") of every explicit name, sipUri and
imported E.164 number declared, across every kind of number."""
_BARRIERS: dict[int, asyncio.Future[None]] = {}


def _deployment() -> int:
    from pulumi.runtime.settings import get_monitor

    return id(get_monitor())


def _duplicates(claims: list[tuple[str, str, str]]) -> list[str]:
    first: dict[tuple[str, str], str] = {}
    problems = []
    for key, value, label in claims:
        other = first.setdefault((key, value), label)
        if other != label:
            # `VapiPhoneNumber 'b' declares the same name as 'a'`, naming the other's class if it differs
            cls, other_cls = label.split(" ", 1)[0], other.split(" ", 1)[0]
            shown = other.split(" ", 1)[1] if cls == other_cls else other
            problems.append(
                f"{label} declares the same {key} as {shown} ({value!r}); each number needs its own {key}"
            )
    return problems


def _release(barrier: asyncio.Future[None], deployment: int) -> None:
    problems = _duplicates(_CLAIMS.pop(deployment, []))
    _BARRIERS.pop(deployment, None)
    if problems:
        barrier.set_exception(ValueError("; ".join(problems) + ". Nothing was sent to Vapi."))
    else:
        barrier.set_result(None)


def _uniqueness_gate(
    resource_name: str, args: Any, resource: str = "VapiPhoneNumber"
) -> asyncio.Future[None]:
    """A future that resolves once the program has declared all its numbers (of every kind), and fails
    if two share an explicit name, a sipUri or an imported E.164 `number` (compared as
    `run_claims.normalise` compares them: a sipUri case-insensitively).

    Every number's inputs wait for it, so the engine receives none of them before the check: a
    duplicate is refused before anything is bought, also by `pulumi up --skip-preview`. The program's
    body runs synchronously, and the check is scheduled with `call_soon`, which runs when the body is
    done. A name or sipUri that is itself an Output (known only at `up`) is not compared here; the
    provider's run claims refuse the second such number before it is sent (`run_claims.py`).
    """
    deployment = _deployment()
    claims = _CLAIMS.setdefault(deployment, [])
    label = f"{resource} {resource_name!r}"
    for key, value in (
        ("name", args.name),
        ("sipUri", getattr(args, "sip_uri", None)),
        ("number", getattr(args, "number", None)),
    ):
        if isinstance(value, str):
            claims.append((key, normalise(key, value), label))
    barrier = _BARRIERS.get(deployment)
    if barrier is None:
        loop = asyncio.get_event_loop()
        barrier = loop.create_future()
        _BARRIERS[deployment] = barrier
        loop.call_soon(_release, barrier, deployment)
    return barrier


class _PhoneNumberResource(pulumi.dynamic.Resource):
    """What every kind of number shares; a subclass names its table, Args class and provider."""

    _TABLE: ClassVar[ResourceTable]
    _ARGS: ClassVar[type]
    _PROVIDER: ClassVar[type[PhoneNumberProviderBase]]
    _REWIRED: ClassVar[tuple[str, ...]]
    """Outputs holding nested objects whose keys the SDK translated, to put back in Vapi's shape."""

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        args_obj, opts = _resource_args(args, kwargs, self._ARGS, type(self).__name__)
        self._declare(resource_name, args_obj, opts)

    @classmethod
    def get(
        cls, resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> Self:
        """Look up an existing number by its Vapi id, read-only: Pulumi reads it and never changes or
        deletes it (it is not managed by this stack)."""
        return cls(
            resource_name, cls._ARGS(), pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        )

    def _declare(self, resource_name: str, args: Any, opts: pulumi.ResourceOptions | None) -> None:
        table = self._TABLE
        gate = _uniqueness_gate(resource_name, args, table.resource)
        props, merged = build_props_and_opts(resource_name, args, opts, table)
        key = "name" if args.name is not None else "autoname_prefix"
        props[key] = asyncio.ensure_future(_after(gate, props[key]))
        super().__init__(self._PROVIDER(), resource_name, props, merged)
        # The SDK also runs translate_output_property on nested keys, turning a SIP destination's
        # `sipUri` into `sip_uri` (or a server's `credentialId` into `credential_id` where that is a
        # top-level property); put nested values back in Vapi's shape.
        # (Only for given fields: each apply is one more Output for the SDK to wait for.)
        rewire = table.python_to_wire
        for attr in self._REWIRED:
            if getattr(args, attr, None) is not None:
                setattr(self, attr, getattr(self, attr).apply(lambda value: _wire_keys(value, rewire)))

    def translate_output_property(self, prop: str) -> str:
        return self._TABLE.wire_to_python.get(prop, prop)

    def translate_input_property(self, prop: str) -> str:
        return self._TABLE.python_to_wire.get(prop, prop)


class VapiPhoneNumber(_PhoneNumberResource, module="vapi", name="VapiPhoneNumber"):
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

    _TABLE = PHONE_NUMBER
    _ARGS = VapiPhoneNumberArgs
    _PROVIDER = VapiPhoneNumberProvider
    _REWIRED = ("fallback_destination", "hooks")

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
        super().__init__(resource_name, *args, **kwargs)


@dataclass(frozen=True, kw_only=True)
class TwilioPhoneNumberArgs:
    """Inputs of a `TwilioPhoneNumber`. Set `number`, `twilio_account_sid` and `twilio_auth_token` (or
    `twilio_api_key` and `twilio_api_secret`), or `adopt`."""

    name: pulumi.Input[str] | None = None
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Input[str] | None = None
    """The Twilio number, E.164. Changing it imports another number (a replacement)."""
    twilio_account_sid: pulumi.Input[str] | None = None
    """The Twilio account (`AC...`) that owns the number. Changing it is a replacement."""
    twilio_auth_token: pulumi.Input[str] | None = None
    """The account's auth token (secret); or set `twilioApiKey` and `twilioApiSecret` instead."""
    twilio_api_key: pulumi.Input[str] | None = None
    """A Twilio API key (`SK...`), used with `twilioApiSecret` instead of the auth token."""
    twilio_api_secret: pulumi.Input[str] | None = None
    """The API key's secret (secret)."""
    sms_enabled: pulumi.Input[bool] | None = None
    """Whether Vapi takes over the number's SMS webhook (Vapi's default: true)."""
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
    adopt: pulumi.Input[str] | None = None
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""


class TwilioPhoneNumber(_PhoneNumberResource, module="vapi", name="TwilioPhoneNumber"):
    """A Twilio number imported into Vapi (`provider: "twilio"`), with its routing.

    Type token `pulumi-python:dynamic/vapi:TwilioPhoneNumber` (`vapi_provider.TWILIO_PHONE_NUMBER_TYPE`).
    The Pulumi id is Vapi's phone-number id. Deleting it detaches the number from Vapi; the carrier
    keeps it.

    Usage::

        phone = TwilioPhoneNumber(
            "support-line",
            TwilioPhoneNumberArgs(
                number="+14155550123",
                twilio_account_sid="AC...",
                twilio_auth_token=config.require_secret("twilioAuthToken"),
                assistant_id=assistant_id,
            ),
        )
    """

    _TABLE = TWILIO_PHONE_NUMBER
    _ARGS = TwilioPhoneNumberArgs
    _PROVIDER = TwilioPhoneNumberProvider
    _REWIRED = ("server", "fallback_destination", "hooks")

    name: pulumi.Output[str]
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Output[str]
    """The Twilio number, E.164. Changing it imports another number (a replacement)."""
    twilio_account_sid: pulumi.Output[str | None]
    """The Twilio account (`AC...`) that owns the number. Changing it is a replacement."""
    twilio_auth_token: pulumi.Output[str | None]
    """The account's auth token (secret); or set `twilioApiKey` and `twilioApiSecret` instead."""
    twilio_api_key: pulumi.Output[str | None]
    """A Twilio API key (`SK...`), used with `twilioApiSecret` instead of the auth token."""
    twilio_api_secret: pulumi.Output[str | None]
    """The API key's secret (secret)."""
    sms_enabled: pulumi.Output[bool | None]
    """Whether Vapi takes over the number's SMS webhook (Vapi's default: true)."""
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
    adopt: pulumi.Output[str | None]
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""
    autoname_prefix: pulumi.Output[str | None]
    """Set by the resource to its resource name when `name` is not given; autonames start with it."""
    autoname_seed: pulumi.Output[str | None]
    """Set by the resource: org/project/stack/resource name, from which the autoname is derived."""
    org_id: pulumi.Output[str]
    """Vapi org that owns the number."""
    status: pulumi.Output[str | None]
    """`active` (imported numbers are active at once)."""
    created_at: pulumi.Output[str]
    """When Vapi created the number (ISO 8601)."""
    updated_at: pulumi.Output[str]
    """When Vapi last changed the number (ISO 8601)."""

    @overload
    def __init__(
        self, resource_name: str, args: TwilioPhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        number: pulumi.Input[str] | None = None,
        twilio_account_sid: pulumi.Input[str] | None = None,
        twilio_auth_token: pulumi.Input[str] | None = None,
        twilio_api_key: pulumi.Input[str] | None = None,
        twilio_api_secret: pulumi.Input[str] | None = None,
        sms_enabled: pulumi.Input[bool] | None = None,
        assistant_id: pulumi.Input[str] | None = None,
        squad_id: pulumi.Input[str] | None = None,
        workflow_id: pulumi.Input[str] | None = None,
        server: pulumi.Input[ServerArgs] | None = None,
        fallback_destination: pulumi.Input[FallbackDestinationArgs] | None = None,
        hooks: pulumi.Input[Sequence[pulumi.Input[HookArgs]]] | None = None,
        adopt: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Either form: `(name, TwilioPhoneNumberArgs(...), opts)` or `(name, opts, **fields)`."""
        super().__init__(resource_name, *args, **kwargs)


@dataclass(frozen=True, kw_only=True)
class VonagePhoneNumberArgs:
    """Inputs of a `VonagePhoneNumber`. Set `number` and `credential_id` (a Vapi `vonage` credential), or
    `adopt`."""

    name: pulumi.Input[str] | None = None
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Input[str] | None = None
    """The Vonage number, E.164. Changing it imports another number (a replacement)."""
    credential_id: pulumi.Input[str] | None = None
    """Id of the Vapi `vonage` credential. Changing it is a replacement."""
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
    adopt: pulumi.Input[str] | None = None
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""


class VonagePhoneNumber(_PhoneNumberResource, module="vapi", name="VonagePhoneNumber"):
    """A Vonage number imported into Vapi (`provider: "vonage"`), with its routing.

    Type token `pulumi-python:dynamic/vapi:VonagePhoneNumber` (`vapi_provider.VONAGE_PHONE_NUMBER_TYPE`).
    The Pulumi id is Vapi's phone-number id. Deleting it detaches the number from Vapi; the carrier
    keeps it.

    Usage::

        phone = VonagePhoneNumber(
            "support-line",
            VonagePhoneNumberArgs(
                number="+14155550123", credential_id=vonage_credential_id, assistant_id=assistant_id
            ),
        )
    """

    _TABLE = VONAGE_PHONE_NUMBER
    _ARGS = VonagePhoneNumberArgs
    _PROVIDER = VonagePhoneNumberProvider
    _REWIRED = ("server", "fallback_destination", "hooks")

    name: pulumi.Output[str]
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Output[str]
    """The Vonage number, E.164. Changing it imports another number (a replacement)."""
    credential_id: pulumi.Output[str | None]
    """Id of the Vapi `vonage` credential. Changing it is a replacement."""
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
    adopt: pulumi.Output[str | None]
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""
    autoname_prefix: pulumi.Output[str | None]
    """Set by the resource to its resource name when `name` is not given; autonames start with it."""
    autoname_seed: pulumi.Output[str | None]
    """Set by the resource: org/project/stack/resource name, from which the autoname is derived."""
    org_id: pulumi.Output[str]
    """Vapi org that owns the number."""
    status: pulumi.Output[str | None]
    """`active` (imported numbers are active at once)."""
    created_at: pulumi.Output[str]
    """When Vapi created the number (ISO 8601)."""
    updated_at: pulumi.Output[str]
    """When Vapi last changed the number (ISO 8601)."""

    @overload
    def __init__(
        self, resource_name: str, args: VonagePhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        number: pulumi.Input[str] | None = None,
        credential_id: pulumi.Input[str] | None = None,
        assistant_id: pulumi.Input[str] | None = None,
        squad_id: pulumi.Input[str] | None = None,
        workflow_id: pulumi.Input[str] | None = None,
        server: pulumi.Input[ServerArgs] | None = None,
        fallback_destination: pulumi.Input[FallbackDestinationArgs] | None = None,
        hooks: pulumi.Input[Sequence[pulumi.Input[HookArgs]]] | None = None,
        adopt: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Either form: `(name, VonagePhoneNumberArgs(...), opts)` or `(name, opts, **fields)`."""
        super().__init__(resource_name, *args, **kwargs)


@dataclass(frozen=True, kw_only=True)
class TelnyxPhoneNumberArgs:
    """Inputs of a `TelnyxPhoneNumber`. Set `number` and `credential_id` (a Vapi `telnyx` credential), or
    `adopt`."""

    name: pulumi.Input[str] | None = None
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Input[str] | None = None
    """The Telnyx number, E.164. Changing it imports another number (a replacement)."""
    credential_id: pulumi.Input[str] | None = None
    """Id of the Vapi `telnyx` credential. Changing it is a replacement."""
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
    adopt: pulumi.Input[str] | None = None
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""


class TelnyxPhoneNumber(_PhoneNumberResource, module="vapi", name="TelnyxPhoneNumber"):
    """A Telnyx number imported into Vapi (`provider: "telnyx"`), with its routing.

    Type token `pulumi-python:dynamic/vapi:TelnyxPhoneNumber` (`vapi_provider.TELNYX_PHONE_NUMBER_TYPE`).
    The Pulumi id is Vapi's phone-number id. Deleting it detaches the number from Vapi; the carrier
    keeps it.

    Usage::

        phone = TelnyxPhoneNumber(
            "support-line",
            TelnyxPhoneNumberArgs(
                number="+14155550123", credential_id=telnyx_credential_id, assistant_id=assistant_id
            ),
        )
    """

    _TABLE = TELNYX_PHONE_NUMBER
    _ARGS = TelnyxPhoneNumberArgs
    _PROVIDER = TelnyxPhoneNumberProvider
    _REWIRED = ("server", "fallback_destination", "hooks")

    name: pulumi.Output[str]
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Output[str]
    """The Telnyx number, E.164. Changing it imports another number (a replacement)."""
    credential_id: pulumi.Output[str | None]
    """Id of the Vapi `telnyx` credential. Changing it is a replacement."""
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
    adopt: pulumi.Output[str | None]
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""
    autoname_prefix: pulumi.Output[str | None]
    """Set by the resource to its resource name when `name` is not given; autonames start with it."""
    autoname_seed: pulumi.Output[str | None]
    """Set by the resource: org/project/stack/resource name, from which the autoname is derived."""
    org_id: pulumi.Output[str]
    """Vapi org that owns the number."""
    status: pulumi.Output[str | None]
    """`active` (imported numbers are active at once)."""
    created_at: pulumi.Output[str]
    """When Vapi created the number (ISO 8601)."""
    updated_at: pulumi.Output[str]
    """When Vapi last changed the number (ISO 8601)."""

    @overload
    def __init__(
        self, resource_name: str, args: TelnyxPhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        number: pulumi.Input[str] | None = None,
        credential_id: pulumi.Input[str] | None = None,
        assistant_id: pulumi.Input[str] | None = None,
        squad_id: pulumi.Input[str] | None = None,
        workflow_id: pulumi.Input[str] | None = None,
        server: pulumi.Input[ServerArgs] | None = None,
        fallback_destination: pulumi.Input[FallbackDestinationArgs] | None = None,
        hooks: pulumi.Input[Sequence[pulumi.Input[HookArgs]]] | None = None,
        adopt: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Either form: `(name, TelnyxPhoneNumberArgs(...), opts)` or `(name, opts, **fields)`."""
        super().__init__(resource_name, *args, **kwargs)


@dataclass(frozen=True, kw_only=True)
class ByoPhoneNumberArgs:
    """Inputs of a `ByoPhoneNumber`. Set `credential_id` (a Vapi `byo-sip-trunk` credential) and usually
    `number`, or `adopt`."""

    name: pulumi.Input[str] | None = None
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Input[str] | None = None
    """The number on your SIP trunk: E.164 unless `numberE164CheckEnabled` is false. A change replaces."""
    credential_id: pulumi.Input[str] | None = None
    """Id of the Vapi `byo-sip-trunk` credential. Changing it is a replacement."""
    number_e164_check_enabled: pulumi.Input[bool] | None = None
    """Whether `number` must be E.164 (Vapi's default: true); false allows `+?[a-zA-Z0-9]+`."""
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
    adopt: pulumi.Input[str] | None = None
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""


class ByoPhoneNumber(_PhoneNumberResource, module="vapi", name="ByoPhoneNumber"):
    """A number on your own SIP trunk (`provider: "byo-phone-number"`), with its routing.

    Type token `pulumi-python:dynamic/vapi:ByoPhoneNumber` (`vapi_provider.BYO_PHONE_NUMBER_TYPE`).
    The Pulumi id is Vapi's phone-number id. Deleting it detaches the number from Vapi; the carrier
    keeps it.

    Usage::

        phone = ByoPhoneNumber(
            "support-line",
            ByoPhoneNumberArgs(
                number="+14155550123", credential_id=trunk_credential_id, assistant_id=assistant_id
            ),
        )
    """

    _TABLE = BYO_PHONE_NUMBER
    _ARGS = ByoPhoneNumberArgs
    _PROVIDER = ByoPhoneNumberProvider
    _REWIRED = ("server", "fallback_destination", "hooks")

    name: pulumi.Output[str]
    """At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name."""
    number: pulumi.Output[str | None]
    """The number on your SIP trunk: E.164 unless `numberE164CheckEnabled` is false. A change replaces."""
    credential_id: pulumi.Output[str | None]
    """Id of the Vapi `byo-sip-trunk` credential. Changing it is a replacement."""
    number_e164_check_enabled: pulumi.Output[bool | None]
    """Whether `number` must be E.164 (Vapi's default: true); false allows `+?[a-zA-Z0-9]+`."""
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
    adopt: pulumi.Output[str | None]
    """Take over a number already imported into Vapi (its id or E.164 number) instead of importing it."""
    autoname_prefix: pulumi.Output[str | None]
    """Set by the resource to its resource name when `name` is not given; autonames start with it."""
    autoname_seed: pulumi.Output[str | None]
    """Set by the resource: org/project/stack/resource name, from which the autoname is derived."""
    org_id: pulumi.Output[str]
    """Vapi org that owns the number."""
    status: pulumi.Output[str | None]
    """`active` (imported numbers are active at once)."""
    created_at: pulumi.Output[str]
    """When Vapi created the number (ISO 8601)."""
    updated_at: pulumi.Output[str]
    """When Vapi last changed the number (ISO 8601)."""

    @overload
    def __init__(
        self, resource_name: str, args: ByoPhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        number: pulumi.Input[str] | None = None,
        credential_id: pulumi.Input[str] | None = None,
        number_e164_check_enabled: pulumi.Input[bool] | None = None,
        assistant_id: pulumi.Input[str] | None = None,
        squad_id: pulumi.Input[str] | None = None,
        workflow_id: pulumi.Input[str] | None = None,
        server: pulumi.Input[ServerArgs] | None = None,
        fallback_destination: pulumi.Input[FallbackDestinationArgs] | None = None,
        hooks: pulumi.Input[Sequence[pulumi.Input[HookArgs]]] | None = None,
        adopt: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Either form: `(name, ByoPhoneNumberArgs(...), opts)` or `(name, opts, **fields)`."""
        super().__init__(resource_name, *args, **kwargs)


async def _after(barrier: asyncio.Future[None], value: Any) -> Any:
    """`value`, once the program has declared all its numbers (the uniqueness check passed)."""
    await barrier
    return value


def _resource_args(
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    args_class: type = VapiPhoneNumberArgs,
    resource: str = "VapiPhoneNumber",
) -> tuple[Any, pulumi.ResourceOptions | None]:
    """Sort the two constructor forms out: (args[, opts]) or ([opts,] **fields)."""
    positional = list(args)
    first = positional.pop(0) if positional else kwargs.pop("args", None)
    if isinstance(first, args_class):
        opts = positional.pop(0) if positional else kwargs.pop("opts", None)
        if positional or kwargs:
            raise TypeError(f"{resource}(name, args, opts) takes no further arguments")
        return first, opts
    if dataclasses.is_dataclass(first) and not isinstance(first, type):
        raise TypeError(f"{resource} takes {args_class.__name__}, not {type(first).__name__}")
    opts = first if first is not None else kwargs.pop("opts", None)
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"{resource}'s second argument must be {args_class.__name__} or ResourceOptions")
    if positional:
        raise TypeError(f"pass {resource}'s fields as keyword arguments")
    fields = {f.name for f in dataclasses.fields(args_class)}
    unknown = sorted(set(kwargs) - fields)
    if unknown:
        raise TypeError(
            f"{resource} got unknown fields {', '.join(unknown)}; fields: {', '.join(sorted(fields))}"
        )
    return args_class(**kwargs), opts


def _wire_keys(value: Any, rewire: Mapping[str, str]) -> Any:
    if isinstance(value, Mapping):
        return {rewire.get(k, k): _wire_keys(v, rewire) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wire_keys(v, rewire) for v in value]
    return value
