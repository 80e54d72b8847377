"""One declarative table per resource: every property of a phone-number resource, declared once.

Everything else that names a property is derived from a `ResourceTable` or checked against it by a test
(`tests/unit/test_properties.py`):

* the resource (`resource.py`): the snake/camel name translation, which inputs are wrapped as secrets,
  which outputs are seeded, and (checked by test, since mypy and IDEs need them spelled out) the fields
  and docstrings of the Args class and the typed output attributes;
* the provider: the key sets (`api_keys`, `own_keys`, `output_keys`), the value a PATCH sends when a
  field is removed (`cleared`), the keys whose removal keeps the current value, the replacement keys,
  and Vapi's server-filled defaults by full path (`defaults`), which refresh does not report as drift;
* the stack-config parser (`stack_config.py`), the policy pack's name map, recovery's computed outputs;
* the property table in docs/provider.md (`markdown_table()`, compared by a test).

Each kind of number (Vapi, Twilio, Vonage, Telnyx, bring-your-own) is its own table, built from shared
properties (name, routing, autoname, outputs) and the kind's own; `TABLES` lists them.

This module imports nothing from Pulumi, so the client, the models and the CLI can use it for free.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

__all__ = [
    "ANY",
    "BYO_PHONE_NUMBER",
    "KEEP",
    "PHONE_NUMBER",
    "TABLES",
    "TABLE_BY_PROVIDER",
    "TELNYX_PHONE_NUMBER",
    "TWILIO_PHONE_NUMBER",
    "VONAGE_PHONE_NUMBER",
    "Path",
    "Property",
    "ResourceTable",
]

Path = tuple[str, ...]
"""A path inside a property's value; `ANY` stands for any key of a map or any index of a list."""

ANY: Final = "*"


class _Keep:
    """Sentinel: removing the property from the program keeps Vapi's current value (it cannot be cleared)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

Role = Literal["api", "own", "output"]
"""`api`: an input sent to Vapi; `own`: an input that steers the provider and is never sent;
`output`: computed by Vapi, never an input."""


@dataclass(frozen=True)
class Property:
    """One property of a resource, with everything any layer needs to know about it."""

    python: str
    """The Python name: the Args field and the resource attribute (`sip_uri`)."""
    wire: str
    """Vapi's JSON name (`sipUri`): the key in state, in `check`/`diff` props and in policies."""
    type: str
    """The Python type of the Args field, as written in `resource.py` (nested shapes: `inputs.py`)."""
    role: Role
    doc: str
    """One line, shown as the attribute docstring and in docs/provider.md."""
    secret_paths: tuple[Path, ...] = ()
    """Paths inside the value that hold secrets; `()` (the empty path) means the whole value."""
    replaces: bool = False
    """A change replaces the resource (a new number) instead of updating it in place."""
    create_only: bool = False
    """Sent only on create (not part of the PATCH body)."""
    cleared: Any = KEEP
    """What a PATCH sends when the property is removed from the program; `KEEP`: the current value stays."""
    defaults: Mapping[Path, Any] = field(default_factory=dict)
    """Values Vapi fills in by itself, by full path inside the value (`ANY` for list items)."""
    in_args: bool = True
    """False for inputs the resource sets by itself (`autonamePrefix`)."""
    compared: bool = True
    """False for inputs whose change is no change of the resource (`autonameSeed`): diff skips them."""

    @property
    def secret(self) -> bool:
        """Whether any part of the value is secret."""
        return bool(self.secret_paths)


@dataclass(frozen=True)
class ResourceTable:
    """The properties of one resource type, in declaration order."""

    resource: str
    """The resource class name (`VapiPhoneNumber`)."""
    provider: str
    """Vapi's `provider` value for this kind of number."""
    properties: tuple[Property, ...]

    def __post_init__(self) -> None:
        pythons = [p.python for p in self.properties]
        wires = [p.wire for p in self.properties]
        if len(set(pythons)) != len(pythons) or len(set(wires)) != len(wires):
            raise ValueError(f"{self.resource}: property names must be unique")

    def __iter__(self) -> Iterator[Property]:
        return iter(self.properties)

    def by_wire(self, wire: str) -> Property:
        for prop in self.properties:
            if prop.wire == wire:
                return prop
        raise KeyError(wire)

    def _wires(self, role: Role) -> tuple[str, ...]:
        return tuple(p.wire for p in self.properties if p.role == role)

    @property
    def api_keys(self) -> tuple[str, ...]:
        """Inputs sent to Vapi, under their wire names."""
        return self._wires("api")

    @property
    def own_keys(self) -> tuple[str, ...]:
        """Inputs that steer the provider and are never sent to Vapi."""
        return self._wires("own")

    @property
    def output_keys(self) -> tuple[str, ...]:
        """Outputs computed by Vapi."""
        return self._wires("output")

    @property
    def input_keys(self) -> tuple[str, ...]:
        return self.api_keys + self.own_keys

    @property
    def replace_keys(self) -> tuple[str, ...]:
        return tuple(p.wire for p in self.properties if p.replaces)

    @property
    def create_only_keys(self) -> tuple[str, ...]:
        return tuple(p.wire for p in self.properties if p.create_only)

    @property
    def kept_keys(self) -> tuple[str, ...]:
        """API inputs whose removal from the program keeps the current value."""
        return tuple(p.wire for p in self.properties if p.role == "api" and p.cleared is KEEP)

    @property
    def cleared(self) -> dict[str, Any]:
        """Wire name -> what a PATCH sends when the input is removed from the program."""
        return {p.wire: p.cleared for p in self.properties if p.role == "api" and p.cleared is not KEEP}

    @property
    def secret_keys(self) -> tuple[str, ...]:
        """Wire names of the properties that hold a secret somewhere in their value."""
        return tuple(p.wire for p in self.properties if p.secret)

    @property
    def compared_keys(self) -> tuple[str, ...]:
        """Inputs whose change is a change of the resource."""
        return tuple(p.wire for p in self.properties if p.role != "output" and p.compared)

    @property
    def python_to_wire(self) -> dict[str, str]:
        return {p.python: p.wire for p in self.properties}

    @property
    def wire_to_python(self) -> dict[str, str]:
        return {p.wire: p.python for p in self.properties}

    @property
    def args(self) -> tuple[Property, ...]:
        """The properties a user sets: the fields of the Args class, in order."""
        return tuple(p for p in self.properties if p.role != "output" and p.in_args)

    @property
    def defaults(self) -> dict[Path, Any]:
        """Server-filled defaults by full path from the top of the resource (`(wire, *path)`)."""
        return {(p.wire, *path): value for p in self.properties for path, value in p.defaults.items()}

    def markdown_table(self) -> str:
        """The property table of docs/provider.md (compared with the docs by a test)."""
        rows = [
            "| key | Python name | type | role | change | when removed | secret | doc |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for p in self.properties:
            if p.role == "output":
                change, removed = "computed", "—"
            else:
                change = "replaces" if p.replaces else "in place" if p.compared else "never a change"
                if p.create_only:
                    change += ", create-only"
                if p.role == "own":
                    removed = "default"
                elif p.cleared is KEEP:
                    removed = "keeps current value"
                else:
                    removed = f"cleared (`{_json(p.cleared)}`)"
            if not p.secret_paths:
                secret = ""
            elif p.secret_paths == ((),):
                secret = "whole value"
            else:
                secret = ", ".join("`" + ".".join(path) + "`" for path in p.secret_paths)
            rows.append(
                f"| `{p.wire}` | `{p.python}` | `{p.type}` | {p.role} | {change} | {removed} | {secret} | "
                f"{p.doc} |"
            )
        return "\n".join(rows)


def _json(value: Any) -> str:
    if value is None:
        return "null"
    if value == []:
        return "[]"
    return repr(value)


def _destination_defaults(prefix: Path) -> dict[Path, Any]:
    """Defaults Vapi fills into a transfer destination (TransferDestinationNumber/Sip) at `prefix`."""
    plan = (*prefix, "transferPlan")
    return {
        (*prefix, "numberE164CheckEnabled"): True,
        (*plan, "timeout"): 60,
        (*plan, "dialTimeout"): 60,
        (*plan, "sipVerb"): "refer",
        (*plan, "sipHeadersInReferToEnabled"): False,
        (*plan, "summaryPlan", "enabled"): True,
        (*plan, "summaryPlan", "timeoutSeconds"): 5,
        (*plan, "fallbackPlan", "endCallEnabled"): True,
    }


# Defaults from Vapi's OpenAPI document (`default:` of Server, TransferDestinationNumber, TransferPlan,
# SummaryPlan, TransferFallbackPlan). Hooks hold destinations in `do[*].destination` (call.ringing: a list
# of actions) and `do.destination` (call.ending: one action).
_SERVER_DEFAULTS: dict[Path, Any] = {("timeoutSeconds",): 20, ("staticIpAddressesEnabled",): False}
_FALLBACK_DEFAULTS = _destination_defaults(())
_HOOK_DEFAULTS = {
    **_destination_defaults((ANY, "do", ANY, "destination")),
    **_destination_defaults((ANY, "do", "destination")),
}

_STR = "str"

# --- shared properties: written once, combined with each kind's own ------------------------------------

_NAME = Property(
    "name",
    "name",
    _STR,
    "api",
    "At most 40 characters. Default `<resource_name>-<7 random chars>`; removing it keeps the name.",
)
_ROUTING: tuple[Property, ...] = (
    Property("assistant_id", "assistantId", _STR, "api", "Assistant that answers calls.", cleared=None),
    Property("squad_id", "squadId", _STR, "api", "Squad that answers calls.", cleared=None),
    Property("workflow_id", "workflowId", _STR, "api", "Workflow that answers calls.", cleared=None),
    Property(
        "server",
        "server",
        "ServerArgs",
        "api",
        "Webhook target `{url (https), timeoutSeconds, headers, credentialId, ...}`; headers secret.",
        secret_paths=(("headers", ANY),),
        cleared=None,
        defaults=_SERVER_DEFAULTS,
    ),
    Property(
        "fallback_destination",
        "fallbackDestination",
        "FallbackDestinationArgs",
        "api",
        'Where unanswered calls go: `{type: "number", number: <E.164>}` or `{type: "sip", sipUri}`.',
        cleared=None,
        defaults=_FALLBACK_DEFAULTS,
    ),
    Property(
        "hooks",
        "hooks",
        "Sequence[HookArgs]",
        "api",
        "`call.ringing` / `call.ending` hooks; the list replaces the number's hooks wholesale.",
        cleared=[],
        defaults=_HOOK_DEFAULTS,
    ),
)
_AUTONAME: tuple[Property, ...] = (
    Property(
        "autoname_prefix",
        "autonamePrefix",
        _STR,
        "own",
        "Set by the resource to its resource name when `name` is not given; autonames start with it.",
        in_args=False,
        compared=False,
    ),
    Property(
        "autoname_seed",
        "autonameSeed",
        _STR,
        "own",
        "Set by the resource: org/project/stack/resource name, from which the autoname is derived.",
        in_args=False,
        compared=False,
    ),
)
_ORG_ID = Property("org_id", "orgId", _STR, "output", "Vapi org that owns the number.")
_TIMES: tuple[Property, ...] = (
    Property("created_at", "createdAt", _STR, "output", "When Vapi created the number (ISO 8601)."),
    Property("updated_at", "updatedAt", _STR, "output", "When Vapi last changed the number (ISO 8601)."),
)


def _imported_number(doc: str) -> Property:
    return Property("number", "number", _STR, "api", doc, replaces=True)


def _credential_id(doc: str) -> Property:
    return Property("credential_id", "credentialId", _STR, "api", doc, replaces=True)


_IMPORTED_ADOPT = Property(
    "adopt",
    "adopt",
    _STR,
    "own",
    "Take over a number already imported into Vapi (its id or E.164 number) instead of importing it.",
)
_IMPORTED_STATUS = Property(
    "status", "status", _STR, "output", "`active` (imported numbers are active at once)."
)


def _imported(resource: str, provider: str, own: tuple[Property, ...]) -> ResourceTable:
    """A kind of number imported from a carrier: its own properties, then the shared ones."""
    return ResourceTable(
        resource=resource,
        provider=provider,
        properties=(_NAME, *own, *_ROUTING, _IMPORTED_ADOPT, *_AUTONAME, _ORG_ID, _IMPORTED_STATUS, *_TIMES),
    )


PHONE_NUMBER: Final = ResourceTable(
    resource="VapiPhoneNumber",
    provider="vapi",
    properties=(
        _NAME,
        Property(
            "number_desired_area_code",
            "numberDesiredAreaCode",
            _STR,
            "api",
            "3-digit US area code of a free Vapi number. Changing it buys a new number (a replacement).",
            replaces=True,
            create_only=True,
        ),
        Property(
            "sip_uri",
            "sipUri",
            _STR,
            "api",
            "`sip:<username>@sip.vapi.ai` (`@sip.eu.vapi.ai` for the EU API).",
        ),
        Property(
            "authentication",
            "authentication",
            "SipAuthenticationArgs",
            "api",
            "`{realm?, username, password}`, username and password 20-40 characters; `password` secret.",
            secret_paths=(("password",),),
            cleared=None,
        ),
        *_ROUTING,
        Property(
            "allow_release",
            "allowRelease",
            "bool",
            "own",
            "Opt in to replacing (and so releasing) a Vapi-issued number when the area code changes.",
        ),
        Property(
            "adopt",
            "adopt",
            _STR,
            "own",
            "Take over an existing number (its id, E.164 number or sipUri) instead of buying one.",
        ),
        Property(
            "activation_timeout_seconds",
            "activationTimeoutSeconds",
            "float",
            "own",
            "How long create waits for `activating` to become `active` (default 300).",
        ),
        *_AUTONAME,
        _ORG_ID,
        Property(
            "number", "number", _STR, "output", "The E.164 number Vapi issued; None for SIP-only numbers."
        ),
        Property("status", "status", _STR, "output", "`activating`, `active` or `blocked`."),
        *_TIMES,
    ),
)
"""`VapiPhoneNumber`: a free Vapi number or a Vapi SIP URI (`provider: "vapi"`)."""

TWILIO_PHONE_NUMBER: Final = _imported(
    "TwilioPhoneNumber",
    "twilio",
    (
        _imported_number("The Twilio number, E.164. Changing it imports another number (a replacement)."),
        Property(
            "twilio_account_sid",
            "twilioAccountSid",
            _STR,
            "api",
            "The Twilio account (`AC...`) that owns the number. Changing it is a replacement.",
            replaces=True,
        ),
        Property(
            "twilio_auth_token",
            "twilioAuthToken",
            _STR,
            "api",
            "The account's auth token (secret); or set `twilioApiKey` and `twilioApiSecret` instead.",
            secret_paths=((),),
        ),
        Property(
            "twilio_api_key",
            "twilioApiKey",
            _STR,
            "api",
            "A Twilio API key (`SK...`), used with `twilioApiSecret` instead of the auth token.",
        ),
        Property(
            "twilio_api_secret",
            "twilioApiSecret",
            _STR,
            "api",
            "The API key's secret (secret).",
            secret_paths=((),),
        ),
        Property(
            "sms_enabled",
            "smsEnabled",
            "bool",
            "api",
            "Whether Vapi takes over the number's SMS webhook (Vapi's default: true).",
            defaults={(): True},
        ),
    ),
)
"""`TwilioPhoneNumber`: a Twilio number imported into Vapi (`provider: "twilio"`)."""

VONAGE_PHONE_NUMBER: Final = _imported(
    "VonagePhoneNumber",
    "vonage",
    (
        _imported_number("The Vonage number, E.164. Changing it imports another number (a replacement)."),
        _credential_id("Id of the Vapi `vonage` credential. Changing it is a replacement."),
    ),
)
"""`VonagePhoneNumber`: a Vonage number imported into Vapi (`provider: "vonage"`)."""

TELNYX_PHONE_NUMBER: Final = _imported(
    "TelnyxPhoneNumber",
    "telnyx",
    (
        _imported_number("The Telnyx number, E.164. Changing it imports another number (a replacement)."),
        _credential_id("Id of the Vapi `telnyx` credential. Changing it is a replacement."),
    ),
)
"""`TelnyxPhoneNumber`: a Telnyx number imported into Vapi (`provider: "telnyx"`)."""

BYO_PHONE_NUMBER: Final = _imported(
    "ByoPhoneNumber",
    "byo-phone-number",
    (
        _imported_number(
            "The number on your SIP trunk: E.164 unless `numberE164CheckEnabled` is false. A change replaces."
        ),
        _credential_id("Id of the Vapi `byo-sip-trunk` credential. Changing it is a replacement."),
        Property(
            "number_e164_check_enabled",
            "numberE164CheckEnabled",
            "bool",
            "api",
            "Whether `number` must be E.164 (Vapi's default: true); false allows `+?[a-zA-Z0-9]+`.",
            defaults={(): True},
        ),
    ),
)
"""`ByoPhoneNumber`: a number on your own SIP trunk (`provider: "byo-phone-number"`)."""

TABLES: Final[tuple[ResourceTable, ...]] = (
    PHONE_NUMBER,
    TWILIO_PHONE_NUMBER,
    VONAGE_PHONE_NUMBER,
    TELNYX_PHONE_NUMBER,
    BYO_PHONE_NUMBER,
)
"""Every kind of number, `VapiPhoneNumber` first."""

TABLE_BY_PROVIDER: Final[Mapping[str, ResourceTable]] = {t.provider: t for t in TABLES}
"""Vapi's `provider` value -> the table of that kind."""
