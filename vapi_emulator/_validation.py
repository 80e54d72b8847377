"""Request validation driven by Vapi's OpenAPI document, with class-validator style messages.

Vapi's API is a NestJS app running class-validator with `whitelist` + `forbidNonWhitelisted`; its 400s carry
an array of messages such as `name must be shorter than or equal to 40 characters`. This module walks the
request DTO schemas of the (bug-fixed, see `_spec`) OpenAPI document and produces the same wording:

==========================================  ======================================================  =====
rule                                        message                                                 basis
==========================================  ======================================================  =====
unknown / create-only / read-only property  ``property X should not exist``                         OBS
enum                                        ``X must be one of the following values: a, b``         OBS
nested object expected                      ``X must be an object``                                 OBS
nested path                                 ``fallbackDestination.number ...``, ``hooks.0.on ...``  OBS
maxLength / minLength                       ``X must be shorter (longer) than or equal to N
                                            characters``                                            INF
maximum / minimum                           ``X must not be greater (less) than N``                 INF
type string / number / boolean / array      ``X must be a string`` / ``... a number conforming to
                                            the specified constraints`` / ``... a boolean value`` /
                                            ``... an array``                                        INF
array item constraints                      ``each value in X must be ...``                         INF
E.164 (``numberE164CheckEnabled`` != false) ``X must be a valid phone number``                      INF
``numberE164CheckEnabled: false``           ``X must match /^\\+?[a-zA-Z0-9]+$/ regular expression``  INF
server URL                                  ``server.url must be a valid URL. Hot tip, the protocol
                                            should be https://, but found <url>``                   OBS
query date filters                          ``X must be a valid ISO 8601 date string``              INF
==========================================  ======================================================  =====

OBS = wording observed on the live API (see "Vapi facts the emulator relies on" in docs/emulator.md);
INF = standard class-validator wording, inferred. A missing required property gets the type message of
that property (class-validator reports `IsString` etc. on `undefined`). `null` on an optional property
counts as absent (`@IsOptional()`). Messages on nested properties are prefixed with the parent path the
way NestJS flattens them, which gives `server.each value in encryptedPaths must be a string` for arrays of
primitives inside objects.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ._spec import PROVIDERS, shared_spec

__all__ = [
    "CREATE_DTOS",
    "RESPONSE_REQUIRED",
    "UPDATE_DTOS",
    "QueryResult",
    "UpdateResult",
    "parse_iso_datetime",
    "validate_create",
    "validate_query",
    "validate_update",
]

CREATE_DTOS: dict[str, str] = {
    "byo-phone-number": "CreateByoPhoneNumberDTO",
    "twilio": "CreateTwilioPhoneNumberDTO",
    "vonage": "CreateVonagePhoneNumberDTO",
    "vapi": "CreateVapiPhoneNumberDTO",
    "telnyx": "CreateTelnyxPhoneNumberDTO",
}
UPDATE_DTOS: dict[str, str] = {p: name.replace("Create", "Update", 1) for p, name in CREATE_DTOS.items()}
RESPONSE_SCHEMAS: dict[str, str] = {
    "byo-phone-number": "ByoPhoneNumber",
    "twilio": "TwilioPhoneNumber",
    "vonage": "VonagePhoneNumber",
    "vapi": "VapiPhoneNumber",
    "telnyx": "TelnyxPhoneNumber",
}

E164_RE = re.compile(r"^\+[1-9]\d{1,14}$")
LOOSE_NUMBER_RE = re.compile(r"^\+?[a-zA-Z0-9]+$")
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)
_TLD_RE = re.compile(r"^([a-z\u00a1-\uffff]{2,}|xn--[a-z0-9-]{2,})$", re.IGNORECASE)
URL_MESSAGE = "must be a valid URL. Hot tip, the protocol should be https://, but found "
_ANNOTATIONS = frozenset({"description", "title", "example", "default"})


def _response_required() -> dict[str, frozenset[str]]:
    schemas = shared_spec()["components"]["schemas"]
    return {p: frozenset(schemas[name].get("required", ())) for p, name in RESPONSE_SCHEMAS.items()}


RESPONSE_REQUIRED: dict[str, frozenset[str]] = _response_required()
"""Per provider, the properties every response must carry; PATCH cannot clear them with `null`."""


@dataclass
class UpdateResult:
    """A validated PATCH body: `changes` to set, `cleared` keys to remove, or `errors`."""

    changes: dict[str, Any] = field(default_factory=dict)
    cleared: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


@dataclass
class QueryResult:
    """Validated query parameters (numbers as float, dates as aware datetimes), or `errors`."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _fmt_number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_https_url(value: str) -> bool:
    """The is-URL check Vapi applies to server URLs: https, a host with a TLD (or an IP), no spaces."""
    if not value or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    del port
    if parts.scheme != "https" or not parts.hostname:
        return False
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not _TLD_RE.match(labels[-1]):
        return False
    return all(_LABEL_RE.match(label) for label in labels[:-1])


class _Walker:
    """Walks one schema against one value and collects messages; built once per spec."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._schemas: dict[str, dict[str, Any]] = spec["components"]["schemas"]
        self._discriminators: dict[int, tuple[str, dict[str, tuple[str | None, dict[str, Any]]]] | None] = {}

    def deref(self, schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        """Follow `$ref` and single-element `allOf` wrappers; return (component name, schema)."""
        name: str | None = None
        while True:
            ref = schema.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[1]
                schema = self._schemas[name]
                continue
            all_of = schema.get("allOf")
            if isinstance(all_of, list) and len(all_of) == 1 and set(schema) - _ANNOTATIONS == {"allOf"}:
                schema = all_of[0]
                continue
            return name, schema

    def component(self, name: str) -> dict[str, Any]:
        return self._schemas[name]

    # -- objects ---------------------------------------------------------------------------------------

    def object(
        self, value: dict[str, Any], schema: dict[str, Any], name: str | None, prefix: str, errors: list[str]
    ) -> dict[str, Any]:
        props: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        for key in value:
            if key not in props:
                errors.append(f"{prefix}property {key} should not exist")
        cleaned: dict[str, Any] = {}
        for key, prop_schema in props.items():
            item = value.get(key)
            if item is None:
                if key in required:
                    errors.append(self._missing_message(prop_schema, f"{prefix}{key}"))
                continue
            cleaned[key] = self.value(item, prop_schema, key, prefix, errors)
        if name is not None:
            self._extra_rules(name, cleaned, prefix, errors)
        return cleaned

    def _missing_message(self, schema: dict[str, Any], label: str) -> str:
        _, schema = self.deref(schema)
        if "oneOf" in schema or schema.get("type") == "object":
            return f"{label} must be an object"
        return self._type_message(schema, label)

    def _type_message(self, schema: dict[str, Any], label: str) -> str:
        enum = schema.get("enum")
        if enum is not None and schema.get("type") != "array":
            return f"{label} must be one of the following values: {', '.join(str(v) for v in enum)}"
        kind = schema.get("type")
        if kind == "number":
            return f"{label} must be a number conforming to the specified constraints"
        if kind == "boolean":
            return f"{label} must be a boolean value"
        if kind == "array":
            return f"{label} must be an array"
        if kind == "object":
            return f"{label} must be an object"
        return f"{label} must be a string"

    def _extra_rules(self, name: str, cleaned: dict[str, Any], prefix: str, errors: list[str]) -> None:
        if name in ("TransferDestinationNumber", "CreateByoPhoneNumberDTO", "UpdateByoPhoneNumberDTO"):
            number = cleaned.get("number")
            label = f"{prefix}number"
            if isinstance(number, str) and not any(e.startswith(label + " ") for e in errors):
                if cleaned.get("numberE164CheckEnabled") is False:
                    if not LOOSE_NUMBER_RE.match(number):
                        errors.append(f"{label} must match /^\\+?[a-zA-Z0-9]+$/ regular expression")
                elif not E164_RE.match(number):
                    errors.append(f"{label} must be a valid phone number")
        elif name == "Server":
            url = cleaned.get("url")
            if isinstance(url, str) and not is_https_url(url):
                errors.append(f"{prefix}url {URL_MESSAGE}{url}")

    # -- any value -------------------------------------------------------------------------------------

    def value(self, value: Any, schema: dict[str, Any], prop: str, prefix: str, errors: list[str]) -> Any:
        name, schema = self.deref(schema)
        label = f"{prefix}{prop}"
        if "oneOf" in schema:
            return self._union(value, schema, prop, prefix, errors)
        kind = schema.get("type")
        if kind == "object":
            if not isinstance(value, dict):
                errors.append(f"{label} must be an object")
                return value
            if "properties" not in schema:
                return value  # free-form map (headers, sipHeaders, chat messages)
            return self.object(value, schema, name, f"{label}.", errors)
        if kind == "array":
            if not isinstance(value, list):
                errors.append(f"{label} must be an array")
                return value
            item_schema = schema.get("items", {})
            _, resolved = self.deref(item_schema)
            if "oneOf" in resolved or resolved.get("type") == "object":
                return [
                    self.value(item, item_schema, str(i), f"{label}.", errors) for i, item in enumerate(value)
                ]
            each_label = f"{prefix}each value in {prop}"
            for item in value:
                self._scalar(item, resolved, each_label, errors)
            return list(value)
        self._scalar(value, schema, label, errors)
        return value

    def _scalar(self, value: Any, schema: dict[str, Any], label: str, errors: list[str]) -> None:
        def add(message: str) -> None:
            if message not in errors:
                errors.append(message)

        enum = schema.get("enum")
        kind = schema.get("type")
        if enum is not None:
            if value not in enum or isinstance(value, bool) != any(isinstance(v, bool) for v in enum):
                add(self._type_message(schema, label))
                return
        if kind == "string":
            if not isinstance(value, str):
                add(f"{label} must be a string")
                return
            max_length = schema.get("maxLength")
            min_length = schema.get("minLength")
            if max_length is not None and len(value) > max_length:
                add(f"{label} must be shorter than or equal to {max_length} characters")
            if min_length is not None and len(value) < min_length:
                add(f"{label} must be longer than or equal to {min_length} characters")
        elif kind == "number":
            if not _is_number(value):
                add(f"{label} must be a number conforming to the specified constraints")
                return
            maximum = schema.get("maximum")
            minimum = schema.get("minimum")
            if maximum is not None and value > maximum:
                add(f"{label} must not be greater than {_fmt_number(maximum)}")
            if minimum is not None and value < minimum:
                add(f"{label} must not be less than {_fmt_number(minimum)}")
        elif kind == "boolean":
            if not isinstance(value, bool):
                add(f"{label} must be a boolean value")

    def _union(self, value: Any, schema: dict[str, Any], prop: str, prefix: str, errors: list[str]) -> Any:
        label = f"{prefix}{prop}"
        disc = self._discriminator(schema)
        if disc is not None:
            key, branches = disc
            if not isinstance(value, dict):
                errors.append(f"{label} must be an object")
                return value
            tag = value.get(key)
            if isinstance(tag, str) and tag in branches:
                name, branch = branches[tag]
                return self.object(value, branch, name, f"{label}.", errors)
            errors.append(f"{label}.{key} must be one of the following values: {', '.join(branches)}")
            return value
        # string | CustomMessage (the `message` fields)
        for option in schema["oneOf"]:
            name, branch = self.deref(option)
            if branch.get("type") == "string" and isinstance(value, str):
                self._scalar(value, branch, label, errors)
                return value
            if branch.get("type") == "object" and isinstance(value, dict):
                return self.object(value, branch, name, f"{label}.", errors)
        errors.append(f"{label} must be a string or an object")
        return value

    def _discriminator(
        self, schema: dict[str, Any]
    ) -> tuple[str, dict[str, tuple[str | None, dict[str, Any]]]] | None:
        """For a oneOf of objects, the property whose single-value enum tells the branches apart."""
        cache_key = id(schema)
        if cache_key in self._discriminators:
            return self._discriminators[cache_key]
        branches = [self.deref(option) for option in schema["oneOf"]]
        result: tuple[str, dict[str, tuple[str | None, dict[str, Any]]]] | None = None
        if all(b.get("type") == "object" and "properties" in b for _, b in branches):
            candidates: Iterable[str] = branches[0][1]["properties"]
            for key in candidates:
                tags: dict[str, tuple[str | None, dict[str, Any]]] = {}
                for name, branch in branches:
                    enum = self.deref(branch["properties"].get(key, {}))[1].get("enum")
                    if not isinstance(enum, list) or len(enum) != 1 or enum[0] in tags:
                        break
                    tags[enum[0]] = (name, branch)
                else:
                    result = (key, tags)
                    break
        self._discriminators[cache_key] = result
        return result


_WALKER = _Walker(shared_spec())


def _provider_message() -> str:
    return f"provider must be one of the following values: {', '.join(PROVIDERS)}"


def validate_create(body: Any) -> tuple[dict[str, Any], list[str]]:
    """Validate a POST body against the create DTO its `provider` selects.

    Returns the cleaned body (optional `null`s removed) and the messages; the body is valid when the list
    is empty.
    """
    if not isinstance(body, dict):
        return {}, ["Request body must be a JSON object"]
    provider = body.get("provider")
    if not isinstance(provider, str) or provider not in CREATE_DTOS:
        return {}, [_provider_message()]
    name = CREATE_DTOS[provider]
    errors: list[str] = []
    cleaned = _WALKER.object(body, _WALKER.component(name), name, "", errors)
    return cleaned, errors


def validate_update(body: Any, provider: str) -> UpdateResult:
    """Validate a PATCH body against the update DTO of the stored number's `provider`.

    `null` on a property clears it, except on the properties every response must carry.
    A `provider` equal to the stored one is accepted and dropped.
    """
    result = UpdateResult()
    if not isinstance(body, dict):
        result.errors.append("Request body must be a JSON object")
        return result
    name = UPDATE_DTOS[provider]
    schema = _WALKER.component(name)
    props = schema.get("properties", {})
    cleaned = _WALKER.object(body, schema, name, "", result.errors)
    for key, value in body.items():
        if value is None and key in props and key != "provider":
            if key in RESPONSE_REQUIRED[provider]:
                result.errors.append(_WALKER._missing_message(props[key], key))
            else:
                result.cleared.add(key)
    cleaned.pop("provider", None)
    result.changes = cleaned
    return result


def parse_iso_datetime(text: str) -> datetime | None:
    """Parse an ISO 8601 date or date-time; naive values are taken as UTC. `None` when invalid."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def validate_query(params: Iterable[tuple[str, str]], path: str, method: str = "get") -> QueryResult:
    """Validate query parameters against the operation's declared parameters."""
    result = QueryResult()
    operation = shared_spec()["paths"][path][method]
    declared = {p["name"]: p["schema"] for p in operation.get("parameters", ()) if p.get("in") == "query"}
    for key, raw in params:
        schema = declared.get(key)
        if schema is None:
            result.errors.append(f"property {key} should not exist")
            continue
        if schema.get("type") == "number":
            try:
                number = float(raw)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                result.errors.append(f"{key} must be a number conforming to the specified constraints")
                continue
            before = len(result.errors)
            _WALKER._scalar(number, schema, key, result.errors)
            if len(result.errors) == before:
                result.values[key] = number
        elif schema.get("format") == "date-time":
            parsed = parse_iso_datetime(raw)
            if parsed is None:
                result.errors.append(f"{key} must be a valid ISO 8601 date string")
            else:
                result.values[key] = parsed
        else:
            before = len(result.errors)
            _WALKER._scalar(raw, schema, key, result.errors)
            if len(result.errors) == before:
                result.values[key] = raw
    return result
