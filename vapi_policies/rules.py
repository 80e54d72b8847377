"""Rules of the ``vapi-phone-numbers`` policy pack, as pure, importable functions.

Every resource rule has the shape ``rule(args, report_violation) -> None`` and returns at once for any
resource whose type is not one of :data:`VAPI_NUMBER_TYPES`: the type tokens of every kind of number, both
the dynamic resources' (``pulumi-python:dynamic/vapi:VapiPhoneNumber``, ``...:TwilioPhoneNumber``,
``...:VonagePhoneNumber``, ``...:TelnyxPhoneNumber``, ``...:ByoPhoneNumber``) and the native ``vapi``
provider's (``vapi:index:PhoneNumber``, ``vapi:index:TwilioPhoneNumber``, ...). A dynamic and a native
resource of the same kind get the same rules and the same messages (both send the same camelCase keys);
:data:`KIND_BY_TYPE` is the only place that maps type tokens to kinds, and rules never guess a resource's
kind from its property names. Props are Vapi's wire names (camelCase), as
fixed in ``docs/design.md``.

How the rules treat values that are unknown during ``pulumi preview`` (e.g. an ``assistant_id`` taken from
another resource's output):

* Presence rules (``vapi-number-has-destination``, ``vapi-number-single-target``,
  ``vapi-sip-number-authenticated``) only ask whether a property is set. A present-but-unknown value counts
  as set; testing presence never reads the value, so these rules give a full answer during preview.
* Value rules (``vapi-webhook-url-https``, ``vapi-fallback-number-e164``, ``vapi-unique-numbers``) check
  every value that is known and report its violations, then, if any value they needed was unknown, re-raise
  the first :class:`UnknownValueError`. The SDK turns that into an advisory "can't run policy ... during
  preview" note; the same rules run again with the real values during ``pulumi up``.

Policies see secrets in plaintext, so messages name the resource and the property (its Python name and its
Vapi wire name) and say how to fix it, and never contain a property's value.

Importing this module has no side effects; :func:`vapi_policies.serve` builds the pack from :data:`POLICIES`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from vapi_provider import PHONE_NUMBER_TYPE
from vapi_provider._constants import PHONE_NUMBER_TYPES
from vapi_provider.native.tokens import PACKAGE, resource_token
from vapi_provider.properties import TABLES
from vapi_provider.run_claims import normalise

__all__ = [
    "DEFAULT_STACK_NAME_PATTERN",
    "DEFAULT_STACK_TAG",
    "DEFAULT_STACK_TAG_VALUES",
    "DYNAMIC_NUMBER_TYPES",
    "DYNAMIC_TYPE_BY_KIND",
    "E164_PATTERN",
    "FALLBACK_E164",
    "HAS_DESTINATION",
    "IMPORTED_NUMBER_TYPES",
    "KIND_BY_TYPE",
    "NATIVE_NUMBER_TYPES",
    "NATIVE_PACKAGE",
    "NATIVE_PHONE_NUMBER_TYPE",
    "NATIVE_TYPE_BY_KIND",
    "PACK_NAME",
    "PHONE_NUMBER_TYPE",
    "POLICIES",
    "PRODUCTION_PROTECTED",
    "SINGLE_TARGET",
    "SIP_AUTHENTICATED",
    "UNIQUE_NUMBERS",
    "VAPI_NUMBER_TYPES",
    "WEBHOOK_HTTPS",
    "WIRE_TO_PYTHON_NAMES",
    "fallback_number_e164",
    "is_imported_number",
    "is_vapi_number",
    "number_has_destination",
    "number_kind",
    "number_single_target",
    "production_number_protected",
    "sip_number_authenticated",
    "stack_of",
    "unique_numbers",
    "webhook_url_https",
]

PACK_NAME: Final = "vapi-phone-numbers"

# Policy names, as configs and the CLI output spell them.
HAS_DESTINATION: Final = "vapi-number-has-destination"
SINGLE_TARGET: Final = "vapi-number-single-target"
SIP_AUTHENTICATED: Final = "vapi-sip-number-authenticated"
WEBHOOK_HTTPS: Final = "vapi-webhook-url-https"
FALLBACK_E164: Final = "vapi-fallback-number-e164"
PRODUCTION_PROTECTED: Final = "vapi-production-number-protected"
UNIQUE_NUMBERS: Final = "vapi-unique-numbers"

E164_PATTERN: Final = re.compile(r"\+[1-9][0-9]{1,14}")
"""E.164 (use with ``fullmatch``): a plus sign and 2 to 15 digits, the first of them not 0."""

DEFAULT_STACK_NAME_PATTERN: Final = r"^(prod|production)([-_].*)?$"
DEFAULT_STACK_TAG: Final = "environment"
DEFAULT_STACK_TAG_VALUES: Final = ("prod", "production")

# Routing targets: exactly one of these answers an inbound call.
_TARGETS: Final = ("assistantId", "squadId", "workflowId")

NATIVE_PACKAGE: Final = PACKAGE
"""The package of the native ``vapi`` provider plugin; its resource tokens are ``vapi:index:<Resource>``."""

DYNAMIC_TYPE_BY_KIND: Final[Mapping[str, str]] = dict(PHONE_NUMBER_TYPES)
"""Vapi's ``provider`` value -> the dynamic resource's type token (``pulumi-python:dynamic/vapi:...``)."""
NATIVE_TYPE_BY_KIND: Final[Mapping[str, str]] = {table.provider: resource_token(table) for table in TABLES}
"""Vapi's ``provider`` value -> the native resource's type token (``vapi:index:PhoneNumber``, ...), as the
native provider derives it from the property tables."""
KIND_BY_TYPE: Final[Mapping[str, str]] = {
    token: kind for tokens in (DYNAMIC_TYPE_BY_KIND, NATIVE_TYPE_BY_KIND) for kind, token in tokens.items()
}
"""Every type token the rules check (dynamic and native) -> Vapi's ``provider`` value of that kind."""

NATIVE_PHONE_NUMBER_TYPE: Final = NATIVE_TYPE_BY_KIND["vapi"]
"""``vapi:index:PhoneNumber``: the native resource of a Vapi-issued number (table ``PHONE_NUMBER``)."""
DYNAMIC_NUMBER_TYPES: Final = frozenset(DYNAMIC_TYPE_BY_KIND.values())
"""Type tokens of the dynamic resources (``VapiPhoneNumber``, ``TwilioPhoneNumber``, ...)."""
NATIVE_NUMBER_TYPES: Final = frozenset(NATIVE_TYPE_BY_KIND.values())
"""Type tokens of the native ``vapi`` provider's resources (``vapi:index:PhoneNumber``, ...)."""
IMPORTED_NUMBER_TYPES: Final = frozenset(token for token, kind in KIND_BY_TYPE.items() if kind != "vapi")
"""Type tokens (dynamic and native) of the numbers imported into Vapi (their E.164 ``number`` is an input)."""
VAPI_NUMBER_TYPES: Final = DYNAMIC_NUMBER_TYPES | NATIVE_NUMBER_TYPES
"""Type tokens of the resources these rules check: every kind of Vapi phone number, dynamic and native."""


def number_kind(resource_type: str) -> str | None:
    """Vapi's ``provider`` value (``vapi``, ``twilio``, ...) of a number of this type, else None.

    A dynamic and a native resource of the same kind get the same answer, so the rules treat them alike.
    """
    return KIND_BY_TYPE.get(resource_type)


def is_vapi_number(resource_type: str) -> bool:
    """Whether a resource of this type is a Vapi phone number (of any kind) the rules check (exact match)."""
    return resource_type in VAPI_NUMBER_TYPES


def is_imported_number(resource_type: str) -> bool:
    """Whether a resource of this type is a number imported into Vapi (Twilio, Vonage, Telnyx, BYO)."""
    return resource_type in IMPORTED_NUMBER_TYPES


WIRE_TO_PYTHON_NAMES: Final[Mapping[str, str]] = {
    wire: python for table in TABLES for wire, python in table.wire_to_python.items()
}
"""Python argument name of each wire key the messages mention, from the provider's property tables."""

# URL fields of a TransferPlan (inside fallbackDestination and hook transfer destinations).
_TRANSFER_PLAN_URLS: Final = ("holdAudioUrl", "transferCompleteAudioUrl")


class _Unknown:
    """Marker for a value that is unknown during preview."""

    def __repr__(self) -> str:
        return "UNKNOWN"


_UNKNOWN: Final = _Unknown()

Path = tuple[str | int, ...]


# --------------------------------------------------------------------------------------------------
# Reading props the way the runtime hands them over
# --------------------------------------------------------------------------------------------------


def _has_key(mapping: Any, key: str) -> bool:
    # `key in proxy` would call proxy[key], which raises UnknownValueError for an unknown value;
    # iterating a mapping yields its keys without reading any value.
    return isinstance(mapping, Mapping) and any(k == key for k in mapping)


def _is_set(mapping: Any, key: str) -> bool:
    """Whether ``mapping[key]`` is set: present, not None, not a blank string ("" or only whitespace).

    Unknown values count as set. A blank id names no assistant, squad or workflow, so it is no target.
    """
    if not _has_key(mapping, key):
        return False
    try:
        value = mapping[key]
    except UnknownValueError:
        return True
    return value is not None and not (isinstance(value, str) and value.strip() == "")


class _Reader:
    """Reads values, remembering the first unknown one instead of raising at once.

    A rule reads through one reader, reports what it can, then calls :meth:`finish`, which re-raises
    the first unknown so the SDK notes that the rule could not fully run during preview.
    """

    def __init__(self) -> None:
        self._first_unknown: UnknownValueError | None = None

    def get(self, container: Any, key: str | int) -> Any:
        """``container[key]``; None if absent or not a container; :data:`_UNKNOWN` if unknown."""
        if isinstance(container, Mapping):
            if not isinstance(key, str) or not _has_key(container, key):
                return None
        elif _is_list(container):
            if not isinstance(key, int) or not 0 <= key < len(container):
                return None
        else:
            return None
        try:
            return container[key]
        except UnknownValueError as exc:
            if self._first_unknown is None:
                self._first_unknown = exc
            return _UNKNOWN

    def items(self, container: Any) -> Iterator[tuple[int, Any]]:
        """Index and value of each element of a list; nothing for anything else."""
        if _is_list(container):
            for index in range(len(container)):
                yield index, self.get(container, index)

    def finish(self) -> None:
        if self._first_unknown is not None:
            raise self._first_unknown


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _describe(path: Path) -> str:
    """``fallback_destination.number (fallbackDestination.number)``: the Python and the wire name."""

    def render(parts: Sequence[str | int]) -> str:
        out = ""
        for part in parts:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out

    top = str(path[0])
    wire = render(path)
    python = render((WIRE_TO_PYTHON_NAMES.get(top, top), *path[1:]))
    return wire if python == wire else f"{python} ({wire})"


def _config(args: ResourceValidationArgs | StackValidationArgs) -> Mapping[str, Any]:
    config = args.get_config()
    return config if isinstance(config, Mapping) else {}


def _config_bool(args: ResourceValidationArgs | StackValidationArgs, key: str, default: bool) -> bool:
    value = _config(args).get(key, default)
    return value if isinstance(value, bool) else default


def _config_str(args: ResourceValidationArgs | StackValidationArgs, key: str, default: str) -> str:
    value = _config(args).get(key, default)
    return value if isinstance(value, str) else default


def _config_strs(
    args: ResourceValidationArgs | StackValidationArgs, key: str, default: Sequence[str]
) -> list[str]:
    value = _config(args).get(key, default)
    if not _is_list(value):
        return list(default)
    return [item for item in value if isinstance(item, str)]


def _transfer_destinations(props: Mapping[str, Any], reader: _Reader) -> Iterator[tuple[Path, Any]]:
    """``fallbackDestination`` and the destination of every hook ``transfer`` action, with their paths.

    ``call.ringing`` hooks hold a list of actions in ``do``; ``call.ending`` hooks hold a single object.
    Both shapes are accepted whatever the hook's ``on``.
    """
    fallback = reader.get(props, "fallbackDestination")
    if isinstance(fallback, Mapping):
        yield ("fallbackDestination",), fallback
    for hook_index, hook in reader.items(reader.get(props, "hooks")):
        actions = reader.get(hook, "do")
        if isinstance(actions, Mapping):
            pairs: list[tuple[Path, Any]] = [(("hooks", hook_index, "do"), actions)]
        else:
            pairs = [(("hooks", hook_index, "do", i), a) for i, a in reader.items(actions)]
        for action_path, action in pairs:
            if reader.get(action, "type") != "transfer":
                continue
            destination = reader.get(action, "destination")
            if isinstance(destination, Mapping):
                yield (*action_path, "destination"), destination


# --------------------------------------------------------------------------------------------------
# Resource rules
# --------------------------------------------------------------------------------------------------


def number_has_destination(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Every number has a routing target or a ``fallbackDestination``.

    Without either, Vapi sends ``assistant-request`` to the server URL and, if that fails or there is no
    server, hangs up the inbound call with an error. With the option ``allowServerUrlRouting`` a number
    that sets ``server.url`` passes too. Presence only: an unknown target counts as set.
    """
    if not is_vapi_number(args.resource_type):
        return
    props = args.props
    if any(_is_set(props, key) for key in _TARGETS) or _is_set(props, "fallbackDestination"):
        return
    allow_server = _config_bool(args, "allowServerUrlRouting", False)
    routes_by_server = _server_url_set(props)
    if allow_server and routes_by_server:
        return
    routes = (
        "assistant_id (assistantId), squad_id (squadId) or workflow_id (workflowId), "
        "or a fallback_destination (fallbackDestination)"
    )
    if allow_server:
        routes += ", or server.url for assistant-request routing"
    hint = ""
    if routes_by_server:
        hint = (
            " It routes calls only through server.url (assistant-request): if that is intended, set the "
            f"option allowServerUrlRouting to true for {HAS_DESTINATION} in the policy config."
        )
    report_violation(
        f"Phone number '{args.name}' has no destination: set {routes}, "
        f"so inbound calls are not hung up with an error.{hint}",
        None,
    )


def _server_url_set(props: Mapping[str, Any]) -> bool:
    """Whether ``server.url`` is set; an unknown ``server`` object counts as one that carries a url."""
    if not _has_key(props, "server"):
        return False
    try:
        server = props["server"]
    except UnknownValueError:
        return True
    return _is_set(server, "url")


def number_single_target(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """At most one of ``assistantId``, ``squadId`` and ``workflowId`` is set. Unknown values count as set."""
    if not is_vapi_number(args.resource_type):
        return
    present = [key for key in _TARGETS if _is_set(args.props, key)]
    if len(present) > 1:
        names = ", ".join(_describe((key,)) for key in present)
        report_violation(
            f"Phone number '{args.name}' sets more than one routing target ({names}): "
            "keep exactly one, so it is clear which one answers inbound calls.",
            None,
        )


def sip_number_authenticated(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A number with a ``sipUri`` sets ``authentication``; otherwise Vapi accepts any credentials.

    Only Vapi-issued numbers (``VapiPhoneNumber``, ``vapi:index:PhoneNumber``) have a ``sipUri``: the
    imported kinds are not checked."""
    if number_kind(args.resource_type) != "vapi":
        return
    if _is_set(args.props, "sipUri") and not _is_set(args.props, "authentication"):
        report_violation(
            f"Phone number '{args.name}' has a sip_uri (sipUri) but no authentication: set "
            "authentication with a username and a password (20 to 40 characters each), "
            "otherwise SIP INVITEs with any credentials are accepted.",
            None,
        )


def _urls(props: Mapping[str, Any], reader: _Reader) -> Iterator[tuple[Path, Any]]:
    """Every URL Vapi calls or fetches for this number: ``server.url`` and transfer-plan audio URLs."""
    server = reader.get(props, "server")
    yield ("server", "url"), reader.get(server, "url")
    for path, destination in _transfer_destinations(props, reader):
        plan = reader.get(destination, "transferPlan")
        for key in _TRANSFER_PLAN_URLS:
            yield (*path, "transferPlan", key), reader.get(plan, key)


def webhook_url_https(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """``server.url`` and every transfer-plan URL use https.

    The option ``allowedHttpHosts`` lists host names that may use plain http (e.g. an internal test
    host). Unknown URLs are skipped and noted; see the module docstring.
    """
    if not is_vapi_number(args.resource_type):
        return
    allowed_http = {host.lower() for host in _config_strs(args, "allowedHttpHosts", ())}
    reader = _Reader()
    for path, url in _urls(args.props, reader):
        if not isinstance(url, str) or url == "":
            continue
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme == "https":
            continue
        if scheme == "http" and (parts.hostname or "").lower() in allowed_http:
            continue
        report_violation(
            f"Phone number '{args.name}': {_describe(path)} does not use https: "
            "change it to an https:// URL so call data and audio are not sent in clear text.",
            None,
        )
    reader.finish()


def fallback_number_e164(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Fallback and hook transfer destinations of type ``number`` are E.164 numbers, and so is the
    ``number`` of an imported number (Twilio, Vonage, Telnyx, BYO).

    A destination, or a BYO number, with ``numberE164CheckEnabled: false`` is exempt unless the option
    ``allowE164CheckDisabled`` is false. Unknown numbers are skipped and noted.
    """
    if not is_vapi_number(args.resource_type):
        return
    honour_opt_out = _config_bool(args, "allowE164CheckDisabled", True)
    reader = _Reader()
    if is_imported_number(args.resource_type):
        opted_out = honour_opt_out and reader.get(args.props, "numberE164CheckEnabled") is False
        own = reader.get(args.props, "number")
        if not opted_out and isinstance(own, str) and not E164_PATTERN.fullmatch(own):
            fix = "write it as + and the country code followed by the number, 15 digits at most (E.164)"
            if honour_opt_out and number_kind(args.resource_type) == "byo-phone-number":
                fix += ", or set number_e164_check_enabled (numberE164CheckEnabled) to false for an extension"
            report_violation(f"Phone number '{args.name}': number is not an E.164 number: {fix}.", None)
    for path, destination in _transfer_destinations(args.props, reader):
        if reader.get(destination, "type") != "number":
            continue
        if honour_opt_out and reader.get(destination, "numberE164CheckEnabled") is False:
            continue
        number = reader.get(destination, "number")
        if not isinstance(number, str) or E164_PATTERN.fullmatch(number):
            continue
        fix = "write it as + and the country code followed by the number, 15 digits at most (E.164)"
        if honour_opt_out:
            fix += ", or set numberE164CheckEnabled to false on that destination if it is not a phone number"
        report_violation(
            f"Phone number '{args.name}': {_describe((*path, 'number'))} is not an E.164 number: {fix}.",
            None,
        )
    reader.finish()


def stack_of(urn: str) -> str | None:
    """The stack name in a resource URN (``urn:pulumi:<stack>::<project>::<type>::<name>``)."""
    head, sep, _ = urn.partition("::")
    prefix = "urn:pulumi:"
    if not sep or not head.startswith(prefix) or head == prefix:
        return None
    return head[len(prefix) :]


def _stack_context_known() -> bool:
    # The engine tells a pack about the stack (ConfigureStack: name, tags, config) during preview and up;
    # the language host then sets PULUMI_STACK for the pack. `pulumi policy analyze` sends no stack
    # context at all, so neither PULUMI_STACK nor any stack tag reaches the pack.
    return bool(os.environ.get("PULUMI_STACK"))


PROTECT_HOW: Final = (
    "protect it: set vapi-phone-numbers:protect to true in the stack config (numbers declared in stack "
    "config), or pass opts=pulumi.ResourceOptions(protect=True) (numbers declared in a program)"
)


def production_number_protected(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """In a production stack every number is created with ``protect=True``.

    The option ``production`` (true or false) says outright whether the stack is production. Without it a
    stack is production when its name (taken from the resource's URN, so also known under
    ``pulumi policy analyze``) matches ``stackNamePattern`` (a Python regular expression, searched
    case-sensitively; "" turns name matching off), or when its stack tag ``stackTag`` has one of
    ``stackTagValues`` (compared case-insensitively; a ``stackTag`` of "" turns tag matching off).
    Where the tags are needed but the engine did not pass them (``pulumi policy analyze``), an unprotected
    number gets a violation saying so, instead of passing unchecked.
    """
    if not is_vapi_number(args.resource_type) or args.opts.protect:
        return
    config = _config(args)
    forced = config.get("production")
    pattern = _config_str(args, "stackNamePattern", DEFAULT_STACK_NAME_PATTERN)
    tag = _config_str(args, "stackTag", DEFAULT_STACK_TAG)
    tag_values = {v.lower() for v in _config_strs(args, "stackTagValues", DEFAULT_STACK_TAG_VALUES)}

    stack = stack_of(args.urn) or os.environ.get("PULUMI_STACK") or None
    where = f"stack '{stack}'" if stack else "this stack"
    reason: str | None = None
    if isinstance(forced, bool):
        if not forced:
            return
        reason = "the policy config sets production to true"
    if reason is None and pattern and stack is not None:
        try:
            matches = re.search(pattern, stack) is not None
        except re.error as exc:
            raise ValueError(
                f"policy {PRODUCTION_PROTECTED}: stackNamePattern is not a valid Python "
                f"regular expression ({exc.msg})"
            ) from None
        if matches:
            reason = "its name matches stackNamePattern"
    if reason is None and tag:
        if not _stack_context_known():
            report_violation(
                f"Phone number '{args.name}' is not protected, and this policy cannot tell whether {where} "
                f"is a production stack: the engine passed no stack tags (as under `pulumi policy analyze`), "
                f"so stack tag '{tag}' cannot be read. Set the option production to true or false for "
                f"{PRODUCTION_PROTECTED} in the policy config used for this stack, or {PROTECT_HOW}.",
                None,
            )
            return
        tag_value = args.stack_tags.get(tag)
        if isinstance(tag_value, str) and tag_value.lower() in tag_values:
            reason = f"its stack tag '{tag}' marks it as production"
    if reason is None:
        return
    report_violation(
        f"Phone number '{args.name}' is not protected, and {where} is a production stack ({reason}): "
        f"{PROTECT_HOW}, so that a destroy or a replacement cannot release the number.",
        None,
    )


# --------------------------------------------------------------------------------------------------
# Stack rule
# --------------------------------------------------------------------------------------------------


def unique_numbers(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """No two numbers of the stack (of any kind) share a ``sipUri`` (compared case-insensitively), an
    imported E.164 ``number``, or a ``name``.

    Values are compared by ``vapi_provider.run_claims.normalise``, as the provider's own checks compare
    them. Each number of a clash gets its own violation, naming the other numbers; the option
    ``checkNames`` (default true) turns the name check off. Unknown values are skipped and noted.
    """
    check_names = _config_bool(args, "checkNames", True)
    reader = _Reader()
    by_sip: dict[str, list[Any]] = {}
    by_number: dict[str, list[Any]] = {}
    by_name: dict[str, list[Any]] = {}
    numbers = [r for r in args.resources if is_vapi_number(r.resource_type)]
    # The engine hands resources over in no fixed order; sort so reports are stable.
    for resource in sorted(numbers, key=lambda r: (r.name, r.urn)):
        sip_uri = reader.get(resource.props, "sipUri")
        if isinstance(sip_uri, str) and sip_uri.strip():
            by_sip.setdefault(normalise("sipUri", sip_uri), []).append(resource)
        if is_imported_number(resource.resource_type):
            number = reader.get(resource.props, "number")
            if isinstance(number, str) and number.strip():
                by_number.setdefault(normalise("number", number), []).append(resource)
        if check_names:
            name = reader.get(resource.props, "name")
            if isinstance(name, str) and name:
                by_name.setdefault(normalise("name", name), []).append(resource)

    clashes = [("sipUri", " (compared case-insensitively)", "SIP URI", g) for g in by_sip.values()]
    clashes += [
        ("number", "", "number (one carrier number points at one Vapi number)", g) for g in by_number.values()
    ]
    clashes += [("name", "", "name", g) for g in by_name.values()]
    for key, how, noun, group in clashes:
        if len(group) < 2:
            continue
        for resource in group:
            others = ", ".join(f"'{other.name}'" for other in group if other is not resource)
            report_violation(
                f"Phone number '{resource.name}' has the same {_describe((key,))} as {others}{how}: "
                f"give each number its own {noun}.",
                resource.urn,
            )
    reader.finish()


# --------------------------------------------------------------------------------------------------
# Policies
# --------------------------------------------------------------------------------------------------

POLICIES: Final[list[Policy]] = [
    ResourceValidationPolicy(
        name=HAS_DESTINATION,
        description=(
            "Every Vapi phone number has a destination: an assistantId, squadId or workflowId, "
            "or a fallbackDestination. Otherwise inbound calls can be hung up with an error."
        ),
        validate=number_has_destination,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(
            properties={
                "allowServerUrlRouting": {
                    "type": "boolean",
                    "default": False,
                    "description": (
                        "Also accept a number that only sets server.url (assistant-request routing). "
                        "Off by default: if that server fails and there is no fallback, the call is hung up."
                    ),
                },
            },
        ),
    ),
    ResourceValidationPolicy(
        name=SINGLE_TARGET,
        description="A Vapi phone number sets at most one of assistantId, squadId and workflowId.",
        validate=number_single_target,
        enforcement_level=EnforcementLevel.MANDATORY,
    ),
    ResourceValidationPolicy(
        name=SIP_AUTHENTICATED,
        description=(
            "A Vapi phone number with a sipUri sets authentication; without it, "
            "any SIP credentials are accepted."
        ),
        validate=sip_number_authenticated,
        enforcement_level=EnforcementLevel.MANDATORY,
    ),
    ResourceValidationPolicy(
        name=WEBHOOK_HTTPS,
        description=(
            "A Vapi phone number's server.url and transfer-plan audio URLs (holdAudioUrl, "
            "transferCompleteAudioUrl) use https."
        ),
        validate=webhook_url_https,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(
            properties={
                "allowedHttpHosts": {
                    "type": "array",
                    "items": {"type": "string", "minLength": 1},
                    "default": [],
                    "description": "Host names that may use plain http (e.g. an internal test host).",
                },
            },
        ),
    ),
    ResourceValidationPolicy(
        name=FALLBACK_E164,
        description=(
            "Fallback and hook transfer destinations of type number are E.164 numbers "
            "(+ and up to 15 digits), unless the destination sets numberE164CheckEnabled to false."
        ),
        validate=fallback_number_e164,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(
            properties={
                "allowE164CheckDisabled": {
                    "type": "boolean",
                    "default": True,
                    "description": (
                        "Exempt destinations that set numberE164CheckEnabled to false. "
                        "Set to false to require E.164 everywhere."
                    ),
                },
            },
        ),
    ),
    ResourceValidationPolicy(
        name=PRODUCTION_PROTECTED,
        description=(
            "In a production stack (by stack name pattern or stack tag) every Vapi phone number "
            "has protect=True."
        ),
        validate=production_number_protected,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(
            properties={
                "production": {
                    "type": "boolean",
                    "description": (
                        "Whether the stack this config is used with is production, overriding the name and "
                        "tag matching; needed under `pulumi policy analyze`, which passes no stack tags."
                    ),
                },
                "stackNamePattern": {
                    "type": "string",
                    "format": "regex",
                    "default": DEFAULT_STACK_NAME_PATTERN,
                    "description": 'Regular expression searched in the stack name; "" turns it off.',
                },
                "stackTag": {
                    "type": "string",
                    "default": DEFAULT_STACK_TAG,
                    "description": 'Stack tag that names the environment; "" turns tag matching off.',
                },
                "stackTagValues": {
                    "type": "array",
                    "items": {"type": "string", "minLength": 1},
                    "default": list(DEFAULT_STACK_TAG_VALUES),
                    "description": "Values of stackTag that mark a production stack (case-insensitive).",
                },
            },
        ),
    ),
    StackValidationPolicy(
        name=UNIQUE_NUMBERS,
        description=("No two Vapi phone numbers in a stack share a sipUri (case-insensitive) or a name."),
        validate=unique_numbers,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(
            properties={
                "checkNames": {
                    "type": "boolean",
                    "default": True,
                    "description": "Also require distinct names (sipUri is always checked).",
                },
            },
        ),
    ),
]
"""The pack's policies, in the order the pack lists them."""
