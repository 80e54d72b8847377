"""Pydantic models of Vapi's phone-number API (`/phone-number`), as in Vapi's OpenAPI document.

Python names are snake_case; the wire is camelCase (`alias_generator=to_camel`). Two policies:

* **Responses are tolerant.** Every model ignores fields it does not know, so a new server field never
  breaks `read` or `refresh`, and format rules (E.164, https, SIP host) are not enforced on what Vapi
  returns.
* **Requests are strict.** The `*Create`/`*Update` models forbid unknown top-level fields. Build them
  from plain dicts with `parse_request()`, which also forbids unknown nested fields, rejects wrong types
  (no `"20"` for a number) and turns on the format rules via the validation context.

Secrets (`SipAuthentication.password`, `Server.headers` values, Twilio token/secret) are `SecretStr`:
masked in `repr()` and in Python-mode dumps, revealed only by the JSON serializer that builds the wire
body (`model_dump(mode="json")`).

Response models are named `<Kind>PhoneNumberResponse` (`VapiPhoneNumberResponse`), so that they never
clash with the Pulumi resources (`vapi_provider.VapiPhoneNumber`, `resource.py`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SecretStr,
    TypeAdapter,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from .rules import header_name_problem, header_value_problem, is_https_url

__all__ = [
    "AnyPhoneNumber",
    "BackoffPlan",
    "ByoPhoneNumberResponse",
    "ByoPhoneNumberCreate",
    "ByoPhoneNumberUpdate",
    "CHECK_CONTEXT",
    "ContextEngineeringPlan",
    "ContextEngineeringPlanAll",
    "ContextEngineeringPlanLastNMessages",
    "ContextEngineeringPlanNone",
    "CustomMessage",
    "E164_PATTERN",
    "FallbackDestination",
    "GenericPhoneNumberResponse",
    "Hook",
    "HookAction",
    "PhoneNumberCallEndingHookFilter",
    "PhoneNumberCallRingingHookFilter",
    "PhoneNumberCreate",
    "PhoneNumberHookCallEnding",
    "PhoneNumberHookCallRinging",
    "PhoneNumberUpdate",
    "SIP_URI_PATTERN",
    "SayPhoneNumberHookAction",
    "Server",
    "SipAuthentication",
    "SummaryPlan",
    "TelnyxPhoneNumberResponse",
    "TelnyxPhoneNumberCreate",
    "TelnyxPhoneNumberUpdate",
    "TextContent",
    "TransferDestinationNumber",
    "TransferDestinationSip",
    "TransferFallbackPlan",
    "TransferPhoneNumberHookAction",
    "TransferPlan",
    "TwilioPhoneNumberResponse",
    "TwilioPhoneNumberCreate",
    "TwilioPhoneNumberUpdate",
    "VapiModel",
    "VapiPhoneNumberResponse",
    "VapiPhoneNumberCreate",
    "VapiPhoneNumberUpdate",
    "VonagePhoneNumberResponse",
    "VonagePhoneNumberCreate",
    "VonagePhoneNumberUpdate",
    "parse_phone_number",
    "parse_request",
]

CHECK_CONTEXT = "vapi_provider.check"
"""Validation-context key that switches on format rules (used by `parse_request`)."""

E164_PATTERN = re.compile(r"^\+[1-9][0-9]{1,14}$")
_LOOSE_NUMBER_PATTERN = re.compile(r"^\+?[a-zA-Z0-9]+$")
SIP_URI_PATTERN = re.compile(r"^sip:[A-Za-z0-9._~+\-]+@sip(\.eu)?\.vapi\.ai$", re.IGNORECASE)
_AREA_CODE_PATTERN = re.compile(r"^[2-9][0-9]{2}$")


def _whole_to_int(value: float) -> float | int:
    # Pulumi carries every number as a float; send 20, not 20.0, to Vapi.
    return int(value) if float(value).is_integer() else value


Number = Annotated[float, PlainSerializer(_whole_to_int, when_used="json")]
"""A JSON number. Accepts int or float; whole values serialise as ints."""


def _whole(value: object) -> object:
    # Pulumi delivers every number as a float: 400.0 is the whole number 400; 400.5 is not whole.
    if isinstance(value, float) and not isinstance(value, bool):
        if not value.is_integer():
            raise PydanticCustomError("whole_number", "must be a whole number", {"field": ""})
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole)]
"""A JSON number that must be whole. Accepts 400 and 400.0 (as Pulumi sends it), refuses 400.5."""


def invalid(code: str, message: str, field: str = "") -> PydanticCustomError:
    """A validator error as data: `code`, a message that does not repeat the field name, and the
    offending `field` when a model-level validator reports it (see `check_failures.py`)."""
    return PydanticCustomError(code, message, {"field": field})


def _checking(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and bool(info.context.get(CHECK_CONTEXT))


class VapiModel(BaseModel):
    """Base of every wire model: snake_case attributes, camelCase JSON, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
    )


class _RequestModel(VapiModel):
    model_config = ConfigDict(extra="forbid")

    def to_wire(self) -> dict[str, Any]:
        """The JSON request body.

        Top level: exactly the fields that were set, plus `provider`; a field set to None is sent as
        `null` (that is how a PATCH clears a routing target). Nested objects: None fields are left out,
        defaults such as a destination's `type` are kept. Secrets are revealed here and only here.
        """
        dumped = self.model_dump(mode="json", exclude_none=True)
        wanted = set(self.model_fields_set) | {"provider"}
        body: dict[str, Any] = {}
        for field_name, field in type(self).model_fields.items():
            if field_name in wanted:
                alias = field.alias or field_name
                body[alias] = dumped.get(alias)
        return body


# --- messages ------------------------------------------------------------------------------------


class TextContent(VapiModel):
    """One language variant of a `CustomMessage`."""

    type: Literal["text"] = "text"
    text: str
    language: str = Field(min_length=2, max_length=3)
    """ISO-639-1 code (or `yue`)."""


class CustomMessage(VapiModel):
    """A spoken message with optional per-language variants."""

    type: Literal["custom-message"] = "custom-message"
    content: str | None = Field(default=None, max_length=1000)
    contents: list[TextContent] | None = None
    """Per-language variants; they override `content`."""


Message = str | CustomMessage


# --- transfer destinations -----------------------------------------------------------------------


class ContextEngineeringPlanLastNMessages(VapiModel):
    type: Literal["lastNMessages"] = "lastNMessages"
    max_messages: Number = Field(ge=0)


class ContextEngineeringPlanNone(VapiModel):
    type: Literal["none"] = "none"


class ContextEngineeringPlanAll(VapiModel):
    type: Literal["all"] = "all"


ContextEngineeringPlan = Annotated[
    ContextEngineeringPlanLastNMessages | ContextEngineeringPlanNone | ContextEngineeringPlanAll,
    Field(discriminator="type"),
]


class SummaryPlan(VapiModel):
    """How the call summary given to the transfer destination is generated."""

    messages: list[dict[str, Any]] | None = None
    enabled: bool | None = None
    timeout_seconds: Number | None = Field(default=None, ge=1, le=60)


class TransferFallbackPlan(VapiModel):
    """What happens when a transfer fails."""

    message: Message
    end_call_enabled: bool | None = None


TransferMode = Literal[
    "blind-transfer",
    "blind-transfer-add-summary-to-sip-header",
    "warm-transfer-say-message",
    "warm-transfer-say-summary",
    "warm-transfer-twiml",
    "warm-transfer-wait-for-operator-to-speak-first-and-then-say-message",
    "warm-transfer-wait-for-operator-to-speak-first-and-then-say-summary",
    "warm-transfer-experimental",
]


class TransferPlan(VapiModel):
    """How a transfer is carried out (blind, warm, ...)."""

    mode: TransferMode
    message: Message | None = None
    timeout: Number | None = Field(default=None, ge=1, le=600)
    sip_verb: Literal["refer", "bye", "dial"] | None = None
    dial_timeout: Number | None = Field(default=None, ge=1, le=600)
    hold_audio_url: str | None = None
    transfer_complete_audio_url: str | None = None
    context_engineering_plan: ContextEngineeringPlan | None = None
    twiml: str | None = Field(default=None, max_length=4096)
    summary_plan: SummaryPlan | None = None
    sip_headers_in_refer_to_enabled: bool | None = None
    fallback_plan: TransferFallbackPlan | None = None


class TransferDestinationNumber(VapiModel):
    """Transfer to a phone number."""

    type: Literal["number"] = "number"
    number: str = Field(min_length=3, max_length=40)
    number_e164_check_enabled: bool | None = None
    """Default true: `number` must be E.164. False allows `^\\+?[a-zA-Z0-9]+$`."""
    extension: str | None = Field(default=None, min_length=1, max_length=10)
    caller_id: str | None = Field(default=None, max_length=40)
    message: Message | None = None
    transfer_plan: TransferPlan | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _number_format(self, info: ValidationInfo) -> TransferDestinationNumber:
        if not _checking(info):
            return self
        if self.number_e164_check_enabled is False:
            if not _LOOSE_NUMBER_PATTERN.match(self.number):
                raise invalid(
                    "loose_number",
                    "must be letters and digits with an optional leading '+' "
                    "(numberE164CheckEnabled is false)",
                    "number",
                )
        elif not E164_PATTERN.match(self.number):
            raise invalid(
                "e164", "must be E.164, e.g. +14155550123 (or set numberE164CheckEnabled: false)", "number"
            )
        if self.extension is not None and not self.extension.isdigit():
            raise invalid("digits", "must be digits only, e.g. 1234", "extension")
        return self


class TransferDestinationSip(VapiModel):
    """Transfer to a SIP URI."""

    type: Literal["sip"] = "sip"
    sip_uri: str
    caller_id: str | None = Field(default=None, max_length=40)
    sip_headers: dict[str, Any] | None = None
    message: Message | None = None
    transfer_plan: TransferPlan | None = None
    description: str | None = None

    @field_validator("sip_uri")
    @classmethod
    def _sip_uri_format(cls, value: str, info: ValidationInfo) -> str:
        if _checking(info) and not re.match(r"^sips?:[^@\s]+@[^@\s]+$", value, re.IGNORECASE):
            raise invalid("sip_uri", "must look like sip:user@host")
        return value


FallbackDestination = Annotated[
    TransferDestinationNumber | TransferDestinationSip, Field(discriminator="type")
]


# --- hooks ---------------------------------------------------------------------------------------


class SayPhoneNumberHookAction(VapiModel):
    """Hook action: say a fixed text."""

    type: Literal["say"] = "say"
    exact: str = Field(min_length=1, max_length=4000)


class TransferPhoneNumberHookAction(VapiModel):
    """Hook action: transfer the call."""

    type: Literal["transfer"] = "transfer"
    destination: FallbackDestination | None = None


HookAction = Annotated[TransferPhoneNumberHookAction | SayPhoneNumberHookAction, Field(discriminator="type")]


class PhoneNumberCallRingingHookFilter(VapiModel):
    """Run a `call.ringing` hook only for callers whose number starts with one of the prefixes."""

    type: Literal["startsWith"] = "startsWith"
    key: Literal["number"] = "number"
    starts_with: list[Annotated[str, Field(max_length=20)]] = Field(max_length=20)

    @field_validator("starts_with")
    @classmethod
    def _digits(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if _checking(info):
            if not value:
                raise invalid("empty", "needs at least one prefix, e.g. ['1', '44']")
            for prefix in value:
                if not prefix.isdigit():
                    raise invalid("digits", "prefixes must be digits without '+', e.g. '44'")
        return value


EndedReason = Literal[
    "assistant-request-failed",
    "assistant-request-returned-error",
    "assistant-request-returned-unspeakable-error",
    "assistant-request-returned-invalid-assistant",
    "assistant-request-returned-no-assistant",
    "assistant-request-returned-forwarding-phone-number",
]


class PhoneNumberCallEndingHookFilter(VapiModel):
    """Run a `call.ending` hook only for the listed assistant-request failure reasons."""

    type: Literal["oneOf"] = "oneOf"
    key: Literal["call.endedReason"] = "call.endedReason"
    one_of: list[EndedReason]


class PhoneNumberHookCallRinging(VapiModel):
    """`call.ringing` hook. Only the first action of `do` runs."""

    on: Literal["call.ringing"] = "call.ringing"
    do: list[HookAction] = Field(alias="do")
    filters: list[PhoneNumberCallRingingHookFilter] | None = None

    @field_validator("do")
    @classmethod
    def _non_empty(cls, value: list[Any], info: ValidationInfo) -> list[Any]:
        if _checking(info) and not value:
            raise invalid("empty", "needs one action, e.g. [{type: say, exact: '...'}]")
        return value


class PhoneNumberHookCallEnding(VapiModel):
    """`call.ending` hook. `do` is a single action here, not a list."""

    on: Literal["call.ending"] = "call.ending"
    do: HookAction | None = Field(default=None, alias="do")
    filters: list[PhoneNumberCallEndingHookFilter] | None = None


Hook = Annotated[PhoneNumberHookCallRinging | PhoneNumberHookCallEnding, Field(discriminator="on")]


# --- server, SIP authentication ------------------------------------------------------------------


class BackoffPlan(VapiModel):
    """Retry policy for webhook requests."""

    type: Literal["fixed", "exponential"]
    max_retries: Number = Field(ge=0, le=10)
    base_delay_seconds: Number = Field(ge=0, le=10)
    excluded_status_codes: list[Annotated[WholeNumber, Field(ge=100, le=599)]] | None = None

    @field_validator("max_retries")
    @classmethod
    def _whole(cls, value: float, info: ValidationInfo) -> float:
        if _checking(info) and not float(value).is_integer():
            raise invalid("whole_number", "must be a whole number from 0 to 10")
        return value


class Server(VapiModel):
    """Webhook target for this number's calls. `headers` values are secret."""

    url: str | None = None
    timeout_seconds: Number | None = Field(default=None, ge=1, le=300)
    headers: dict[str, SecretStr] | None = None
    credential_id: str | None = None
    static_ip_addresses_enabled: bool | None = None
    encrypted_paths: list[str] | None = None
    backoff_plan: BackoffPlan | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and _checking(info):
            if not value.lower().startswith("https://"):
                raise invalid("https_url", "must start with https:// (Vapi refuses other schemes)")
            if not is_https_url(value):
                raise invalid(
                    "https_url", "must be a public https URL with a domain, e.g. https://example.com/hook"
                )
        return value

    @model_validator(mode="after")
    def _header_rules(self, info: ValidationInfo) -> Server:
        if not _checking(info) or not self.headers:
            return self
        for name, value in self.headers.items():
            problem = header_name_problem(name)
            if problem is None:
                problem = header_value_problem(value.get_secret_value())
            if problem is not None:
                raise PydanticCustomError("header", problem, {"field": ["headers", name]})
        return self

    @field_serializer("headers", when_used="json")
    def _reveal_headers(self, value: dict[str, SecretStr] | None) -> dict[str, str] | None:
        if value is None:
            return None
        return {k: v.get_secret_value() for k, v in value.items()}


class SipAuthentication(VapiModel):
    """Digest credentials that inbound SIP INVITEs must present. `password` is secret.

    Lengths (20-40) and the presence of `password` are enforced on requests only: Vapi may omit or mask
    the password in responses.
    """

    realm: str | None = None
    username: str
    password: SecretStr | None = None

    @field_validator("username", "password")
    @classmethod
    def _length(cls, value: str | SecretStr | None, info: ValidationInfo) -> str | SecretStr | None:
        if value is None or not _checking(info):
            return value
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not 20 <= len(text) <= 40:
            bound = "at least 20" if len(text) < 20 else "at most 40"
            raise invalid("length", f"must be {bound} characters")
        return value

    @model_validator(mode="after")
    def _password_required(self, info: ValidationInfo) -> SipAuthentication:
        if _checking(info) and self.password is None:
            raise invalid("missing", "is required", "password")
        return self

    @field_serializer("password", when_used="json")
    def _reveal(self, value: SecretStr | None) -> str | None:
        return None if value is None else value.get_secret_value()


# --- responses -----------------------------------------------------------------------------------

Status = Literal["active", "activating", "blocked"]


class _Routing(VapiModel):
    name: str | None = Field(default=None, min_length=1, max_length=40)
    assistant_id: str | None = Field(default=None, min_length=1)
    workflow_id: str | None = Field(default=None, min_length=1)
    squad_id: str | None = Field(default=None, min_length=1)
    server: Server | None = None
    fallback_destination: FallbackDestination | None = None
    hooks: list[Hook] | None = None

    @field_validator("assistant_id", "workflow_id", "squad_id")
    @classmethod
    def _not_blank(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and _checking(info) and value and not value.strip():
            raise invalid("blank", "must not be blank: set the id, or remove the field")
        return value


class _PhoneNumberBase(_Routing):
    model_config = ConfigDict(frozen=True)

    id: str
    org_id: str
    created_at: str
    updated_at: str
    status: Status | str | None = None


class VapiPhoneNumberResponse(_PhoneNumberBase):
    """A Vapi-issued number (`numberDesiredAreaCode`) or a Vapi SIP URI (`sipUri`)."""

    provider: Literal["vapi"] = "vapi"
    number: str | None = None
    """E.164 digits Vapi issued; absent for SIP-only numbers and possibly while activating."""
    number_desired_area_code: str | None = None
    sip_uri: str | None = None
    authentication: SipAuthentication | None = None


class TwilioPhoneNumberResponse(_PhoneNumberBase):
    """A number imported from Twilio."""

    provider: Literal["twilio"] = "twilio"
    number: str
    twilio_account_sid: str
    twilio_auth_token: SecretStr | None = None
    twilio_api_key: str | None = None
    twilio_api_secret: SecretStr | None = None
    sms_enabled: bool | None = None


class VonagePhoneNumberResponse(_PhoneNumberBase):
    """A number imported from Vonage."""

    provider: Literal["vonage"] = "vonage"
    number: str
    credential_id: str


class TelnyxPhoneNumberResponse(_PhoneNumberBase):
    """A number imported from Telnyx."""

    provider: Literal["telnyx"] = "telnyx"
    number: str
    credential_id: str


class ByoPhoneNumberResponse(_PhoneNumberBase):
    """A bring-your-own number over a SIP trunk credential."""

    provider: Literal["byo-phone-number"] = "byo-phone-number"
    number: str | None = None
    number_e164_check_enabled: bool | None = None
    credential_id: str


class GenericPhoneNumberResponse(_PhoneNumberBase):
    """Fallback for a phone number whose `provider` this package does not know yet."""

    provider: str
    number: str | None = None
    sip_uri: str | None = None


AnyPhoneNumber = (
    VapiPhoneNumberResponse
    | TwilioPhoneNumberResponse
    | VonagePhoneNumberResponse
    | TelnyxPhoneNumberResponse
    | ByoPhoneNumberResponse
    | GenericPhoneNumberResponse
)

_KnownResponse = (
    VapiPhoneNumberResponse
    | TwilioPhoneNumberResponse
    | VonagePhoneNumberResponse
    | TelnyxPhoneNumberResponse
    | ByoPhoneNumberResponse
)
_KNOWN_PHONE_NUMBER: TypeAdapter[_KnownResponse] = TypeAdapter(
    Annotated[
        _KnownResponse,
        Field(discriminator="provider"),
    ]
)

_KNOWN_PROVIDERS = frozenset({"vapi", "twilio", "vonage", "telnyx", "byo-phone-number"})


def parse_phone_number(data: object) -> AnyPhoneNumber:
    """Validate one phone-number response; an unknown `provider` gives a `GenericPhoneNumberResponse`.

    Raises `pydantic.ValidationError` when the body is not a phone number at all.
    """
    if isinstance(data, dict) and data.get("provider") not in _KNOWN_PROVIDERS:
        return GenericPhoneNumberResponse.model_validate(data)
    return _KNOWN_PHONE_NUMBER.validate_python(data)


# --- requests ------------------------------------------------------------------------------------


class VapiPhoneNumberCreate(_Routing, _RequestModel):
    """Body of `POST /phone-number` for a Vapi number: an area code, a SIP URI, or both."""

    provider: Literal["vapi"] = "vapi"
    number_desired_area_code: str | None = None
    sip_uri: str | None = None
    authentication: SipAuthentication | None = None

    @field_validator("number_desired_area_code")
    @classmethod
    def _area_code(cls, value: str | None) -> str | None:
        if value is not None and not _AREA_CODE_PATTERN.match(value):
            raise invalid("area_code", "must be a 3-digit US area code such as 415")
        return value

    @field_validator("sip_uri")
    @classmethod
    def _sip_uri(cls, value: str | None) -> str | None:
        if value is not None and not SIP_URI_PATTERN.match(value):
            raise invalid(
                "sip_uri",
                "must be sip:<username>@sip.vapi.ai (or @sip.eu.vapi.ai), e.g. sip:support-line@sip.vapi.ai",
            )
        return value


class VapiPhoneNumberUpdate(_Routing, _RequestModel):
    """Body of `PATCH /phone-number/{id}` for a Vapi number. Only set fields are sent; None = clear."""

    provider: Literal["vapi"] = "vapi"
    sip_uri: str | None = None
    authentication: SipAuthentication | None = None

    @field_validator("sip_uri")
    @classmethod
    def _sip_uri(cls, value: str | None) -> str | None:
        return VapiPhoneNumberCreate._sip_uri(value)


class TwilioPhoneNumberCreate(_Routing, _RequestModel):
    """Body of `POST /phone-number` importing a Twilio number."""

    provider: Literal["twilio"] = "twilio"
    number: str
    twilio_account_sid: str
    twilio_auth_token: SecretStr | None = None
    twilio_api_key: str | None = None
    twilio_api_secret: SecretStr | None = None
    sms_enabled: bool | None = None

    @field_serializer("twilio_auth_token", "twilio_api_secret", when_used="json")
    def _reveal(self, value: SecretStr | None) -> str | None:
        return None if value is None else value.get_secret_value()


class TwilioPhoneNumberUpdate(_Routing, _RequestModel):
    """Body of `PATCH /phone-number/{id}` for a Twilio number."""

    provider: Literal["twilio"] = "twilio"
    number: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_api_key: str | None = None
    twilio_api_secret: SecretStr | None = None
    sms_enabled: bool | None = None

    @field_serializer("twilio_auth_token", "twilio_api_secret", when_used="json")
    def _reveal(self, value: SecretStr | None) -> str | None:
        return None if value is None else value.get_secret_value()


class VonagePhoneNumberCreate(_Routing, _RequestModel):
    """Body of `POST /phone-number` importing a Vonage number."""

    provider: Literal["vonage"] = "vonage"
    number: str
    credential_id: str


class VonagePhoneNumberUpdate(_Routing, _RequestModel):
    """Body of `PATCH /phone-number/{id}` for a Vonage number."""

    provider: Literal["vonage"] = "vonage"
    number: str | None = None
    credential_id: str | None = None


class TelnyxPhoneNumberCreate(_Routing, _RequestModel):
    """Body of `POST /phone-number` importing a Telnyx number."""

    provider: Literal["telnyx"] = "telnyx"
    number: str
    credential_id: str


class TelnyxPhoneNumberUpdate(_Routing, _RequestModel):
    """Body of `PATCH /phone-number/{id}` for a Telnyx number."""

    provider: Literal["telnyx"] = "telnyx"
    number: str | None = None
    credential_id: str | None = None


def _check_byo_number(number: str | None, e164_check: bool | None, info: ValidationInfo) -> None:
    """A BYO `number` is E.164 unless the same body turns the check off (as the API decides it)."""
    if number is None or not _checking(info):
        return
    if e164_check is False:
        if not _LOOSE_NUMBER_PATTERN.match(number):
            raise invalid(
                "loose_number",
                "must be letters and digits with an optional leading '+' (numberE164CheckEnabled is false)",
                "number",
            )
    elif not E164_PATTERN.match(number):
        raise invalid(
            "e164",
            "must be E.164, e.g. +14155550123 (or set numberE164CheckEnabled: false for an extension)",
            "number",
        )


class ByoPhoneNumberCreate(_Routing, _RequestModel):
    """Body of `POST /phone-number` for a bring-your-own number."""

    provider: Literal["byo-phone-number"] = "byo-phone-number"
    credential_id: str
    number: str | None = Field(default=None, min_length=3, max_length=40)
    number_e164_check_enabled: bool | None = None

    @model_validator(mode="after")
    def _number_format(self, info: ValidationInfo) -> ByoPhoneNumberCreate:
        _check_byo_number(self.number, self.number_e164_check_enabled, info)
        return self


class ByoPhoneNumberUpdate(_Routing, _RequestModel):
    """Body of `PATCH /phone-number/{id}` for a bring-your-own number."""

    provider: Literal["byo-phone-number"] = "byo-phone-number"
    credential_id: str | None = None
    number: str | None = Field(default=None, min_length=3, max_length=40)
    number_e164_check_enabled: bool | None = None

    @model_validator(mode="after")
    def _number_format(self, info: ValidationInfo) -> ByoPhoneNumberUpdate:
        _check_byo_number(self.number, self.number_e164_check_enabled, info)
        return self


PhoneNumberCreate = (
    VapiPhoneNumberCreate
    | TwilioPhoneNumberCreate
    | VonagePhoneNumberCreate
    | TelnyxPhoneNumberCreate
    | ByoPhoneNumberCreate
)
PhoneNumberUpdate = (
    VapiPhoneNumberUpdate
    | TwilioPhoneNumberUpdate
    | VonagePhoneNumberUpdate
    | TelnyxPhoneNumberUpdate
    | ByoPhoneNumberUpdate
)

_M = TypeVar("_M", bound=BaseModel)


def parse_request(model: type[_M], data: dict[str, Any]) -> _M:
    """Validate a camelCase request dict strictly: no unknown fields at any depth, no type coercion,
    format rules on. Raises `pydantic.ValidationError` with camelCase locations.
    """
    return model.model_validate(
        data,
        strict=True,
        extra="forbid",
        by_alias=True,
        by_name=False,
        context={CHECK_CONTEXT: True},
    )
