"""The `vapi` package schema, derived from the property tables and the request/response models.

Nothing here names a property: the resources and their top-level properties (names, docs, secret flags,
which are inputs) come from the tables (`properties.py`), and the nested object types (`Server`,
`SipAuthentication`, `FallbackDestination`, `Hook`, ...) from the pydantic models of the wire contract
(`models.py`), under Vapi's own camelCase keys. Where the models say a value is one of several shapes:

* a union of objects told apart by a discriminator (`FallbackDestination`: number or SIP; `Hook`:
  `call.ringing` or `call.ending`; `HookAction`: say or transfer) becomes one object type holding the
  fields of every shape (the discriminator says which apply; `check` validates the combination);
* a field whose shapes disagree (a hook's `do`: a list of actions for `call.ringing`, one action for
  `call.ending`; a `message`: text or a custom-message object) becomes `pulumi.json#/Any`.

Secrets: a property that is secret as a whole is `secret: true`; a secret path inside an object
(`authentication.password`, `server.headers.*`) marks that field of the object type secret.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr

from .._constants import DEFAULT_BASE_URL
from ..models import (
    ByoPhoneNumberResponse,
    TelnyxPhoneNumberResponse,
    TwilioPhoneNumberResponse,
    VapiPhoneNumberResponse,
    VonagePhoneNumberResponse,
)
from ..properties import ANY, Property, ResourceTable
from ..provider import PROVIDERS
from .tokens import CONFIG_KEYS, PACKAGE, TABLE_BY_TOKEN, package_version

__all__ = ["ANY_TYPE", "UNION_NAMES", "package_schema", "type_token"]

ANY_TYPE: dict[str, Any] = {"$ref": "pulumi.json#/Any"}

UNION_NAMES: dict[frozenset[str], str] = {
    frozenset({"TransferDestinationNumber", "TransferDestinationSip"}): "FallbackDestination",
    frozenset({"TransferPhoneNumberHookAction", "SayPhoneNumberHookAction"}): "HookAction",
    frozenset({"PhoneNumberHookCallRinging", "PhoneNumberHookCallEnding"}): "Hook",
    frozenset(
        {"ContextEngineeringPlanLastNMessages", "ContextEngineeringPlanNone", "ContextEngineeringPlanAll"}
    ): "ContextEngineeringPlan",
}
"""The object type a discriminated union of models becomes, by the names of its members."""

_TYPE_NAMES = {
    "Server": "Server",
    "SipAuthentication": "SipAuthentication",
    "BackoffPlan": "BackoffPlan",
    "TransferPlan": "TransferPlan",
    "SummaryPlan": "SummaryPlan",
    "TransferFallbackPlan": "TransferFallbackPlan",
    "CustomMessage": "CustomMessage",
    "TextContent": "TextContent",
    "PhoneNumberCallRingingHookFilter": "HookFilter",
    "PhoneNumberCallEndingHookFilter": "HookFilter",
}
"""Schema names of single models (the two hook filters share the shape `{type, key, startsWith|oneOf}`)."""

_RESPONSES: dict[str, type[BaseModel]] = {
    "vapi": VapiPhoneNumberResponse,
    "twilio": TwilioPhoneNumberResponse,
    "vonage": VonagePhoneNumberResponse,
    "telnyx": TelnyxPhoneNumberResponse,
    "byo-phone-number": ByoPhoneNumberResponse,
}

_SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "bool": {"type": "boolean"},
    "float": {"type": "number"},
    "int": {"type": "integer"},
}


def type_token(name: str) -> str:
    return f"{PACKAGE}:index:{name}"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/types/{type_token(name)}"}


def _strip_optional(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _strip_optional(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _strip_optional(members[0])
        return Union[tuple(members)]  # noqa: UP007 (rebuilt from parts)
    return annotation


class _Builder:
    """Collects the object types while walking the models."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, Any]] = {}

    def type_of(self, annotation: Any) -> dict[str, Any]:
        annotation = _strip_optional(annotation)
        origin = get_origin(annotation)
        if annotation is str or annotation is SecretStr:
            return {"type": "string"}
        if annotation is bool:
            return {"type": "boolean"}
        if annotation is int:
            return {"type": "integer"}
        if annotation is float:
            return {"type": "number"}
        if origin is Literal:
            values = get_args(annotation)
            kinds = {type(v) for v in values}
            if kinds == {str}:
                return {"type": "string"}
            return ANY_TYPE
        if origin is list:
            (item,) = get_args(annotation) or (Any,)
            return {"type": "array", "items": self.type_of(item)}
        if origin is dict:
            _key, value = get_args(annotation) or (str, Any)
            return {"type": "object", "additionalProperties": self.type_of(value)}
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            name = _TYPE_NAMES.get(annotation.__name__, annotation.__name__)
            self._object(name, [annotation])
            return _ref(name)
        if origin in (Union, types.UnionType):
            members = [_strip_optional(a) for a in get_args(annotation)]
            if all(isinstance(m, type) and issubclass(m, BaseModel) for m in members):
                union = UNION_NAMES.get(frozenset(m.__name__ for m in members))
                if union is not None:
                    self._object(union, members)
                    return _ref(union)
        return ANY_TYPE

    def _object(self, name: str, models: list[type[BaseModel]]) -> None:
        if name in self.types:
            return
        spec: dict[str, Any] = {"type": "object", "properties": {}}
        self.types[name] = spec  # registered first: the models are recursive
        fields: dict[str, list[dict[str, Any]]] = {}
        required: list[set[str]] = []
        docs: dict[str, str] = {}
        for model in models:
            needed: set[str] = set()
            for field_name, info in model.model_fields.items():
                wire = info.alias or field_name
                fields.setdefault(wire, []).append(self.type_of(info.annotation))
                if info.description is not None:
                    docs.setdefault(wire, info.description)
                if info.is_required():
                    needed.add(wire)
            required.append(needed)
        for wire, shapes in fields.items():
            shape = shapes[0] if all(s == shapes[0] for s in shapes) else ANY_TYPE
            prop = dict(shape)
            if wire in docs:
                prop["description"] = docs[wire]
            spec["properties"][wire] = prop
        common = set.intersection(*required) if required else set()
        if common:
            spec["required"] = sorted(common)
        if models[0].__doc__:
            spec["description"] = " ".join(models[0].__doc__.split())


def _table_type(builder: _Builder, table: ResourceTable, prop: Property) -> dict[str, Any]:
    """The schema type of a top-level property: from the request/response model, else the table."""
    models: list[type[BaseModel]] = []
    if prop.role == "api":
        models.append(PROVIDERS[table.provider].CREATE)
    models.append(_RESPONSES[table.provider])
    for model in models:
        for field_name, info in model.model_fields.items():
            if (info.alias or field_name) == prop.wire:
                return builder.type_of(info.annotation)
    return dict(_SCALARS.get(prop.type, ANY_TYPE))


def _mark_nested_secrets(builder: _Builder, shape: dict[str, Any], prop: Property) -> None:
    ref = shape.get("$ref", "")
    prefix = f"#/types/{PACKAGE}:index:"
    if not ref.startswith(prefix):
        return
    spec = builder.types[ref[len(prefix) :]]
    for path in prop.secret_paths:
        if path and path[0] != ANY and path[0] in spec["properties"]:
            spec["properties"][path[0]]["secret"] = True


def _property(builder: _Builder, table: ResourceTable, prop: Property) -> dict[str, Any]:
    shape = _table_type(builder, table, prop)
    out = {**shape, "description": prop.doc}
    if prop.secret_paths == ((),):
        out["secret"] = True
    else:
        _mark_nested_secrets(builder, shape, prop)
    if prop.replaces:
        out["willReplaceOnChanges"] = True
    return out


def _resource(builder: _Builder, table: ResourceTable, doc: str) -> dict[str, Any]:
    properties = {p.wire: _property(builder, table, p) for p in table}
    inputs = {p.wire: properties[p.wire] for p in table.args}
    return {
        "description": doc,
        "properties": properties,
        "inputProperties": inputs,
        "required": ["name"],
    }


def _config_property(key: str, doc: str) -> dict[str, Any]:
    kind = {"maxRetries": "integer", "pollIntervalSeconds": "number", "inDoubtSettleSeconds": "number"}
    out: dict[str, Any] = {"type": kind.get(key, "string"), "description": doc}
    if key == "apiKey":
        out["secret"] = True
    if key == "baseUrl":
        out["default"] = DEFAULT_BASE_URL
    return out


_RESOURCE_DOCS: Mapping[str, str] = {
    "vapi": "A Vapi phone number: a free US number (numberDesiredAreaCode) or a Vapi SIP URI (sipUri).",
    "twilio": "A Twilio number imported into Vapi.",
    "vonage": "A Vonage number imported into Vapi with a Vapi credential.",
    "telnyx": "A Telnyx number imported into Vapi with a Vapi credential.",
    "byo-phone-number": "A bring-your-own number on a SIP trunk credential.",
}


def package_schema() -> dict[str, Any]:
    """The package schema `GetSchema` serves (a JSON-able dict)."""
    builder = _Builder()
    resources = {
        token: _resource(builder, table, _RESOURCE_DOCS[table.provider])
        for token, table in TABLE_BY_TOKEN.items()
    }
    config = {key: _config_property(key, doc) for key, doc in CONFIG_KEYS.items()}
    return {
        "name": PACKAGE,
        "displayName": "Vapi",
        "version": package_version(),
        "description": "Vapi (vapi.ai) phone numbers as code: the native vapi provider.",
        "keywords": ["vapi", "phone-numbers", "category/utility", "kind/native"],
        "license": "Apache-2.0",
        "config": {"variables": config},
        "provider": {
            "description": "The vapi provider: one Vapi org (its API key and base URL).",
            "properties": {k: v for k, v in config.items() if k != "apiKey"},
            "inputProperties": config,
        },
        "resources": resources,
        "types": {type_token(name): spec for name, spec in sorted(builder.types.items())},
        "language": {"python": {"packageName": "pulumi_vapi"}},
    }
