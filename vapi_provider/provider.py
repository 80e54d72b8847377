"""The Pulumi dynamic provider behind `VapiPhoneNumber`.

The class path `vapi_provider.provider.VapiPhoneNumberProvider` is persisted (pickled by reference) in
every stack's state: never move or rename it without leaving an import shim behind.

How the Python dynamic-provider host uses this class, and what follows from it:

* The instance is pickled with dill when the resource is declared, and stored (as a secret) in state.
  Nothing credential-like is ever set on it before pickling; `__getstate__` drops whatever
  `configure()` set, so even a provider pickled after `configure` carries no key.
* The host unpickles it once per process and calls `configure()` with the stack config: that is where
  the API key, base URL and poll interval are read (`vapi:apiKey`/`VAPI_API_KEY`, ...).
* Up to four gRPC worker threads call methods concurrently: every method builds its own `VapiClient`,
  and the settings from `configure()` are immutable.
* `check` and `diff` may see the unknown sentinel `pulumi.runtime.rpc.UNKNOWN` during previews, at any
  depth. `diff` receives the old *outputs*; `update` must return full outputs; `read` must never
  return `outs=None`.
"""

from __future__ import annotations

import logging
import os
import random
import re
import string
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown
from pulumi.runtime import rpc
from pydantic import BaseModel, ValidationError

from ._constants import (
    API_KEY_ENV,
    AUTONAME_SUFFIX_LENGTH,
    BASE_URL_ENV,
    CONFIG_API_KEY,
    CONFIG_BASE_URL,
    CONFIG_MAX_RETRIES,
    CONFIG_POLL_INTERVAL,
    DEFAULT_ACTIVATION_TIMEOUT_SECONDS,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL_SECONDS,
    DEFAULT_TIMEOUT,
    EU_BASE_URL,
    EU_SIP_HOST,
    LOGGER_NAME,
    MAX_ACTIVATION_TIMEOUT_SECONDS,
    MAX_RETRIES_ENV,
    NAME_MAX_LENGTH,
    POLL_INTERVAL_ENV,
    US_SIP_HOST,
)
from .client import VapiClient
from .errors import (
    AdoptionError,
    AmbiguousMatchError,
    APIConnectionError,
    InternalServerError,
    NotFoundError,
    PhoneNumberBlockedError,
    RateLimitError,
    VapiConfigError,
    VapiError,
)
from .models import (
    E164_PATTERN,
    AnyPhoneNumber,
    VapiPhoneNumberCreate,
    VapiPhoneNumberUpdate,
    parse_request,
)

__all__ = [
    "API_INPUT_KEYS",
    "OUTPUT_ONLY_KEYS",
    "OWN_INPUT_KEYS",
    "VapiPhoneNumberProvider",
    "autoname",
    "autoname_pattern",
]

logger = logging.getLogger(LOGGER_NAME)

PROVIDER_KEY = "__provider"

API_INPUT_KEYS: tuple[str, ...] = (
    "name",
    "numberDesiredAreaCode",
    "sipUri",
    "authentication",
    "assistantId",
    "squadId",
    "workflowId",
    "server",
    "fallbackDestination",
    "hooks",
)
"""Inputs sent to Vapi, under their wire names."""

OWN_INPUT_KEYS: tuple[str, ...] = ("allowRelease", "adopt", "activationTimeoutSeconds", "autonamePrefix")
"""Inputs that steer the provider and are never sent to Vapi."""

OUTPUT_ONLY_KEYS: tuple[str, ...] = ("orgId", "number", "status", "createdAt", "updatedAt")

# What a PATCH sends when a declared field is removed from the program.
_CLEARED_VALUE: dict[str, Any] = {
    "assistantId": None,
    "squadId": None,
    "workflowId": None,
    "server": None,
    "fallbackDestination": None,
    "authentication": None,
    "hooks": [],
}
# Keys that cannot be cleared through the API: removing them from the program keeps the current value
# (numberDesiredAreaCode is create-only; a number always has a name; a SIP number keeps its URI).
_STICKY_KEYS = ("name", "numberDesiredAreaCode", "sipUri")

_UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
_MASKED_PATTERN = re.compile(r"^(?:[*•]+|\[secret\]|redacted)$", re.IGNORECASE)
_RANDOM = random.SystemRandom()

# Fields Vapi may fill in with its documented default although the program did not set them; `read`
# does not report them as drift. (key, default) pairs from Vapi's OpenAPI document.
_SERVER_DEFAULTS: frozenset[tuple[str, object]] = frozenset(
    {
        ("numberE164CheckEnabled", True),
        ("timeout", 60),
        ("dialTimeout", 60),
        ("sipVerb", "refer"),
        ("endCallEnabled", True),
        ("enabled", True),
        ("timeoutSeconds", 20),
        ("timeoutSeconds", 5),
        ("staticIpAddressesEnabled", False),
        ("sipHeadersInReferToEnabled", False),
    }
)

# Loc elements that pydantic inserts for union members; they are not field names.
_UNION_FIELDS = frozenset({"fallbackDestination", "destination", "message", "contextEngineeringPlan", "do"})
_UNION_LISTS = frozenset({"hooks", "do"})
_TYPE_ERRORS = frozenset(
    {
        "string_type",
        "bool_type",
        "float_type",
        "int_type",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "literal_error",
        "union_tag_invalid",
    }
)


@dataclass(frozen=True)
class _Settings:
    api_key: str = ""
    base_url: str = DEFAULT_BASE_URL
    poll_interval: float = DEFAULT_POLL_INTERVAL_SECONDS
    max_retries: int = DEFAULT_MAX_RETRIES

    def __repr__(self) -> str:  # never show the key
        return (
            f"_Settings(base_url={self.base_url!r}, poll_interval={self.poll_interval!r}, "
            f"max_retries={self.max_retries!r})"
        )


def _settings_from(config_get: Callable[[str], Any]) -> _Settings:
    api_key = config_get(CONFIG_API_KEY) or os.environ.get(API_KEY_ENV) or ""
    base_url = config_get(CONFIG_BASE_URL) or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    raw_poll = config_get(CONFIG_POLL_INTERVAL)
    if raw_poll is None:
        raw_poll = os.environ.get(POLL_INTERVAL_ENV)
    try:
        poll = DEFAULT_POLL_INTERVAL_SECONDS if raw_poll in (None, "") else float(raw_poll)
    except (TypeError, ValueError):
        raise VapiConfigError(
            f"{CONFIG_POLL_INTERVAL} / {POLL_INTERVAL_ENV} must be a number of seconds."
        ) from None
    if poll < 0:
        raise VapiConfigError(f"{CONFIG_POLL_INTERVAL} / {POLL_INTERVAL_ENV} must not be negative.")
    raw_retries = config_get(CONFIG_MAX_RETRIES)
    if raw_retries is None:
        raw_retries = os.environ.get(MAX_RETRIES_ENV)
    try:
        retries = DEFAULT_MAX_RETRIES if raw_retries in (None, "") else int(raw_retries)
    except (TypeError, ValueError):
        raise VapiConfigError(f"{CONFIG_MAX_RETRIES} / {MAX_RETRIES_ENV} must be a whole number.") from None
    if not 0 <= retries <= 20:
        raise VapiConfigError(f"{CONFIG_MAX_RETRIES} / {MAX_RETRIES_ENV} must be between 0 and 20.")
    base_url = str(base_url).rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise VapiConfigError(
            f"{CONFIG_BASE_URL} / {BASE_URL_ENV} must be an http(s) URL such as {DEFAULT_BASE_URL}."
        )
    return _Settings(api_key=str(api_key), base_url=base_url, poll_interval=poll, max_retries=retries)


def _no_key_error() -> VapiConfigError:
    return VapiConfigError(
        f"No Vapi API key. Set it with `pulumi config set --secret {CONFIG_API_KEY} <private key>` "
        f"or export {API_KEY_ENV}."
    )


def autoname(prefix: str) -> str:
    """`<prefix>-<7 random lowercase letters and digits>`, the prefix cut so the whole fits 40 chars."""
    suffix = "".join(_RANDOM.choice(_SUFFIX_ALPHABET) for _ in range(AUTONAME_SUFFIX_LENGTH))
    return f"{_autoname_prefix(prefix)}-{suffix}"


def _autoname_prefix(prefix: str) -> str:
    return prefix[: NAME_MAX_LENGTH - AUTONAME_SUFFIX_LENGTH - 1]


def autoname_pattern(prefix: str) -> re.Pattern[str]:
    """The names `autoname(prefix)` can produce (use with `fullmatch`)."""
    return re.compile(re.escape(_autoname_prefix(prefix)) + f"-[a-z0-9]{{{AUTONAME_SUFFIX_LENGTH}}}")


def _is_autoname(name: object, prefix: str) -> bool:
    return isinstance(name, str) and autoname_pattern(prefix).fullmatch(name) is not None


class VapiPhoneNumberProvider(ResourceProvider):
    """CRUD for one Vapi phone number (`provider: "vapi"`): a free US number or a SIP URI.

    Args:
        http_client_factory: tests only; builds the `httpx.Client` each operation uses.
        sleep: tests only; replaces `time.sleep` for retries and activation polling.
    """

    serialize_as_secret_always = True

    def __init__(
        self,
        *,
        http_client_factory: Callable[[], httpx.Client] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__()
        self._http_client_factory = http_client_factory
        self._sleep = sleep
        self._init_runtime()

    def _init_runtime(self) -> None:
        # Per-process state, never pickled: the settings from configure(), and one HTTP connection pool
        # shared by the host's worker threads (httpx.Client is thread-safe), so that each operation
        # does not pay for a new TLS context and connection.
        self._settings: _Settings | None = None
        self._http: httpx.Client | None = None
        self._http_lock = threading.Lock()

    _RUNTIME_KEYS = frozenset({"_settings", "_http", "_http_lock"})

    # Pickling: the pickle is stored (encrypted) twice per resource in state. Everything configure()
    # sets stays out of it, and so do unset test hooks, which keeps it to the class reference.
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in self._RUNTIME_KEYS and v is not None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._http_client_factory = None
        self._sleep = None
        self.__dict__.update(state)
        self._init_runtime()

    def close(self) -> None:
        """Close the shared connection pool (the dynamic host never does; its process just ends)."""
        with self._http_lock:
            if self._http is not None:
                self._http.close()
                self._http = None

    def _shared_http(self) -> httpx.Client:
        with self._http_lock:
            if self._http is None:
                self._http = httpx.Client(timeout=DEFAULT_TIMEOUT)
            return self._http

    # --- configure -------------------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        """Read the API key, base URL and poll interval from stack config, falling back to env vars.

        Raises `VapiConfigError` when neither `vapi:apiKey` nor `VAPI_API_KEY` is set.
        """
        settings = _settings_from(req.config.get)
        if not settings.api_key:
            raise _no_key_error()
        self._settings = settings

    def _current_settings(self, *, need_key: bool) -> _Settings:
        settings = self._settings or _settings_from(lambda _key: None)
        if need_key and not settings.api_key:
            raise _no_key_error()
        return settings

    @contextmanager
    def _client(self) -> Iterator[tuple[VapiClient, _Settings]]:
        settings = self._current_settings(need_key=True)
        own_http = self._http_client_factory() if self._http_client_factory is not None else None
        client = VapiClient(
            api_key=settings.api_key,
            base_url=settings.base_url,
            http_client=own_http or self._shared_http(),
            max_retries=settings.max_retries,
            sleep=self._sleep or time.sleep,
        )
        try:
            yield client, settings
        finally:
            if own_http is not None:
                own_http.close()

    # --- check -----------------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs locally (no API call); one failure per bad field.

        Unknown values (previews) are passed through and not validated. Fills in the autoname,
        keeps create-only values that were removed from the program, and refuses a replacement that
        would release a Vapi-issued number unless `allowRelease` is true.
        """
        olds = _strip(_olds)
        props = _strip(news)
        failures: list[CheckFailure] = []

        for key in props:
            if key not in API_INPUT_KEYS and key not in OWN_INPUT_KEYS:
                if key in OUTPUT_ONLY_KEYS:
                    reason = f"{key} is an output of the phone number and cannot be set; remove it"
                else:
                    reason = (
                        f"{key} is not an input of VapiPhoneNumber; remove it or fix its spelling "
                        f"(inputs: {', '.join(API_INPUT_KEYS + OWN_INPUT_KEYS[:3])})"
                    )
                failures.append(CheckFailure(key, reason))
        failures.extend(_check_own_keys(props))

        # Create-only / unclearable values removed from the program keep their current value.
        for key in ("numberDesiredAreaCode", "sipUri"):
            if key not in props and key in olds:
                props[key] = olds[key]

        replacing = _area_code_changes(olds, props)
        if replacing and props.get("allowRelease") is not True:
            failures.append(
                CheckFailure(
                    "numberDesiredAreaCode",
                    f"numberDesiredAreaCode: changing it from {olds['numberDesiredAreaCode']} to "
                    f"{props['numberDesiredAreaCode']} replaces the phone number, and deleting the old "
                    "one releases it for good. Keep the old area code, or opt in with "
                    "allow_release=True (allowRelease: true); protect production numbers with "
                    "protect=True.",
                )
            )
        if replacing and _known(props.get("adopt")) and props.get("adopt"):
            failures.append(
                CheckFailure(
                    "adopt",
                    "adopt must be removed before changing numberDesiredAreaCode: a replacement needs "
                    "a new number, and adopt would take over the old one",
                )
            )

        if "name" not in props:
            prefix = props.get("autonamePrefix")
            if isinstance(prefix, str) and prefix and _known(prefix):
                old_name = olds.get("name")
                keep = (
                    not replacing and olds.get("autonamePrefix") == prefix and _is_autoname(old_name, prefix)
                )
                props["name"] = old_name if keep else autoname(prefix)

        api_props = {k: props[k] for k in API_INPUT_KEYS if k in props}
        known, unknown_paths = _split_unknowns(api_props)
        normalised: dict[str, Any] | None = None
        try:
            body = parse_request(VapiPhoneNumberCreate, known)
        except ValidationError as err:
            failures.extend(_failures_from(err, unknown_paths))
        else:
            normalised = body.to_wire()
            normalised.pop("provider", None)
            for path in unknown_paths:
                _put(normalised, path, _get(api_props, path))

        failures.extend(self._check_cross_field(props))

        if failures:
            return CheckResult(props, _one_per_field(failures))
        if normalised is None:
            # Only errors caused by unknown values: nothing to report yet, pass the inputs through.
            return CheckResult(props, [])
        result = {**normalised, **{k: props[k] for k in OWN_INPUT_KEYS if k in props}}
        return CheckResult(result, [])

    def _check_cross_field(self, props: dict[str, Any]) -> list[CheckFailure]:
        failures: list[CheckFailure] = []
        has_source = any(k in props for k in ("numberDesiredAreaCode", "sipUri", "adopt"))
        if not has_source:
            failures.append(
                CheckFailure(
                    "numberDesiredAreaCode",
                    "numberDesiredAreaCode or sipUri is required: set a 3-digit US area code for a free "
                    "Vapi number, a sipUri (sip:<name>@sip.vapi.ai) for a SIP number, or adopt=<id, "
                    "E.164 number or sipUri> to take over an existing number",
                )
            )
        # Several routing targets at once are accepted, as Vapi accepts them: whether that is allowed is
        # a team's rule, enforced by the policy pack (vapi-number-single-target), not an API constraint.
        sip_uri = props.get("sipUri")
        if isinstance(sip_uri, str) and _known(sip_uri) and "@" in sip_uri:
            host = sip_uri.rsplit("@", 1)[1].lower()
            base_url = self._current_settings(need_key=False).base_url
            expected = {DEFAULT_BASE_URL: US_SIP_HOST, EU_BASE_URL: EU_SIP_HOST}.get(base_url)
            if expected is not None and host in (US_SIP_HOST, EU_SIP_HOST) and host != expected:
                failures.append(
                    CheckFailure(
                        "sipUri",
                        f"sipUri must use @{expected} with the API at {base_url}: Vapi requires the SIP "
                        "host of the same region as the API",
                    )
                )
        return failures

    # --- diff ------------------------------------------------------------------------------------

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """Compare old outputs with new checked inputs locally (no API call).

        Only a change of `numberDesiredAreaCode` replaces the resource; every other input is updated in
        place. The Python host cannot return a detailed diff; the changed keys are logged at DEBUG and
        the CLI renders the field-level diff from the inputs.
        """
        olds = _strip(_olds)
        news = _strip(_news)
        changed = _changed_keys(olds, news)
        replaces = ["numberDesiredAreaCode"] if "numberDesiredAreaCode" in changed else []
        # An unknown area code (preview) is shown as an update; the real value is checked at `up`.
        if replaces and not _known(news.get("numberDesiredAreaCode")):
            replaces = []
        if replaces and news.get("allowRelease") is not True:
            if olds.get("number") or olds.get("numberDesiredAreaCode"):
                raise VapiError(
                    f"Refusing to replace phone number {_id}: numberDesiredAreaCode changed, and deleting "
                    "the current number releases it for good. Set allow_release=True to accept that."
                )
        logger.debug("diff %s: changed=%s replaces=%s", _id, changed, replaces)
        # Keeping the same sipUri across a replacement needs the old number gone first (sipUri is unique).
        sip_uri = news.get("sipUri")
        delete_first = bool(replaces) and bool(sip_uri) and _same_value(sip_uri, olds.get("sipUri"))
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=delete_first if replaces else None,
        )

    # --- create ----------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Buy (or adopt) the number, wait for it to become active, and return curated outputs.

        With `adopt`, no number is bought: the named number is taken over and the declared fields are
        PATCHed where they differ. Reaching the activation timeout is not a failure: the number exists,
        so it is recorded with `status: activating`, and `pulumi refresh` updates the status later.
        """
        props = _strip(props)
        inputs = {k: props[k] for k in API_INPUT_KEYS if k in props}
        timeout = props.get("activationTimeoutSeconds", DEFAULT_ACTIVATION_TIMEOUT_SECONDS)
        with self._client() as (client, settings):
            adopt = props.get("adopt")
            if adopt:
                number = self._adopt(client, str(adopt), inputs)
                for key, value in _project_inputs(number).items():
                    inputs.setdefault(key, value)  # report undeclared settings honestly
            else:
                prefix = props.get("autonamePrefix")
                autonamed = isinstance(prefix, str) and _is_autoname(inputs.get("name"), prefix)
                number = client.create_phone_number(
                    _parse(VapiPhoneNumberCreate, inputs), unique_name=autonamed
                )
                logger.debug("created phone number %s (status %s)", number.id, number.status)
                number = self._await_active(client, number, float(timeout), settings.poll_interval)
        return CreateResult(number.id, _outputs(inputs, props, number))

    def _adopt(self, client: VapiClient, adopt: str, inputs: dict[str, Any]) -> AnyPhoneNumber:
        if _UUID_PATTERN.match(adopt):
            try:
                number = client.get_phone_number(adopt)
            except NotFoundError:
                raise AdoptionError(f"adopt: no phone number with id {adopt} exists in this org") from None
        else:
            if adopt.lower().startswith("sip:"):
                matches = client.find_phone_numbers(sip_uri=adopt)
            else:
                matches = client.find_phone_numbers(number=adopt)
            if not matches:
                raise AdoptionError(f"adopt: no phone number in this org has number or sipUri {adopt}")
            if len(matches) > 1:
                ids = sorted(m.id for m in matches)
                raise AmbiguousMatchError(
                    f"adopt: {len(ids)} phone numbers match {adopt}: {', '.join(ids)}; adopt one by id",
                    ids=ids,
                )
            number = matches[0]
        if number.provider != "vapi":
            raise AdoptionError(
                f"adopt: phone number {number.id} has provider {number.provider!r}; "
                "VapiPhoneNumber only manages provider 'vapi' numbers"
            )
        current = _project_inputs(number)
        patch = {
            key: value
            for key, value in inputs.items()
            if key != "numberDesiredAreaCode" and not _same_value(value, current.get(key))
        }
        if patch:
            logger.debug("adopting %s: patching %s", number.id, sorted(patch))
            number = client.update_phone_number(number.id, _parse(VapiPhoneNumberUpdate, patch))
        return number

    def _await_active(
        self, client: VapiClient, number: AnyPhoneNumber, timeout: float, poll_interval: float
    ) -> AnyPhoneNumber:
        sleep = self._sleep or time.sleep
        deadline = time.monotonic() + timeout
        while number.status == "activating" and time.monotonic() < deadline:
            sleep(poll_interval)
            try:
                number = client.get_phone_number(number.id)
            except (APIConnectionError, InternalServerError, RateLimitError) as err:
                logger.debug("polling %s failed (%s); still waiting", number.id, err)
        if number.status == "blocked":
            raise PhoneNumberBlockedError(
                f"Vapi created phone number {number.id} but reports it as blocked. It is not recorded "
                "in the stack: ask Vapi support why, then delete it in the dashboard or take it over "
                f"with adopt='{number.id}'. `python -m vapi_provider orphans` lists such numbers.",
                phone_number_id=number.id,
            )
        if number.status == "activating":
            logger.warning(
                "phone number %s is still activating after %.0fs; it is recorded with status "
                "'activating' and `pulumi refresh` will pick up its final status",
                number.id,
                timeout,
            )
        return number

    # --- read ------------------------------------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """GET the number. A 404 means it is gone (refresh drops it from state).

        Returns outputs and inputs rebuilt from Vapi's answer, so that after `pulumi refresh` a preview
        shows exactly the fields changed outside Pulumi. Secret values Vapi omits or masks keep their
        previous value.
        """
        props = _strip(props)
        with self._client() as (client, _settings):
            try:
                number = client.get_phone_number(id_)
            except NotFoundError:
                # Never outs=None: the host writes into outs. An empty id tells the engine it is gone.
                return ReadResult("", {})
        current = _project_inputs(number)
        inputs: dict[str, Any] = {}
        for key, value in current.items():
            inputs[key] = _align(value, props.get(key))
        _keep_secrets(inputs, props)
        if "numberDesiredAreaCode" not in inputs and "numberDesiredAreaCode" in props:
            inputs["numberDesiredAreaCode"] = props["numberDesiredAreaCode"]
        for key in OWN_INPUT_KEYS:
            if key in props:
                inputs[key] = props[key]
        outs = {**inputs, **_computed(number)}
        return ReadResult(number.id, outs, inputs)

    # --- update ----------------------------------------------------------------------------------

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """PATCH only the changed fields (None/[] for removed ones) and return full outputs.

        Changes to the provider's own inputs (allowRelease, adopt, ...) need no API call.
        """
        olds = _strip(_olds)
        news = _strip(_news)
        inputs = {k: news[k] for k in API_INPUT_KEYS if k in news}
        for key in _STICKY_KEYS:
            if key not in inputs and key in olds:
                inputs[key] = olds[key]
        patch: dict[str, Any] = {}
        for key in _changed_keys(olds, news):
            if key not in API_INPUT_KEYS or key == "numberDesiredAreaCode":
                continue
            if key in news:
                patch[key] = news[key]
            elif key in _CLEARED_VALUE:
                patch[key] = _CLEARED_VALUE[key]
        if not patch:
            computed = {k: olds.get(k) for k in OUTPUT_ONLY_KEYS}
            return UpdateResult({**inputs, **_own(news), **computed})
        logger.debug("update %s: patching %s", _id, sorted(patch))
        with self._client() as (client, _settings):
            number = client.update_phone_number(_id, _parse(VapiPhoneNumberUpdate, patch))
        return UpdateResult(_outputs(inputs, news, number))

    # --- delete ----------------------------------------------------------------------------------

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """DELETE the number; a 404 counts as already gone. Releases a Vapi-issued number for good."""
        with self._client() as (client, _settings):
            try:
                client.delete_phone_number(_id)
            except NotFoundError:
                logger.debug("delete %s: already gone", _id)


# --- helpers ---------------------------------------------------------------------------------------


def _known(value: object) -> bool:
    return not (isinstance(value, str) and value == rpc.UNKNOWN)


def _strip(props: dict[str, Any] | None) -> dict[str, Any]:
    """Drop `__provider` and None values (an unset input); unknowns become the `rpc.UNKNOWN` string."""
    return {k: _sentinel_unknowns(v) for k, v in (props or {}).items() if k != PROVIDER_KEY and v is not None}


def _sentinel_unknowns(value: Any) -> Any:
    # The host deserializes preview unknowns as `pulumi.output.Unknown` objects (SDK >= 3.2xx; older
    # SDKs gave the string sentinel). The string is what the host serializes back as "unknown", so the
    # provider works with the string throughout.
    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if isinstance(value, dict):
        return {k: _sentinel_unknowns(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_sentinel_unknowns(v) for v in value]
    return value


def _own(props: dict[str, Any]) -> dict[str, Any]:
    return {k: props[k] for k in OWN_INPUT_KEYS if k in props}


def _parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return parse_request(model, data)
    except ValidationError as err:
        # Never str(err): it quotes input values, which may be secrets.
        fields = ", ".join(sorted({_format_path(_clean_loc(e["loc"])) for e in err.errors()}))
        raise VapiError(
            f"Invalid inputs for {model.__name__} (fields: {fields}); run `pulumi preview`"
        ) from None


def _check_own_keys(props: dict[str, Any]) -> list[CheckFailure]:
    failures = []
    value = props.get("allowRelease")
    if value is not None and _known(value) and not isinstance(value, bool):
        failures.append(CheckFailure("allowRelease", "allowRelease must be true or false"))
    value = props.get("adopt")
    if value is not None and _known(value):
        ok = isinstance(value, str) and (
            _UUID_PATTERN.match(value) or E164_PATTERN.match(value) or value.lower().startswith("sip:")
        )
        if not ok:
            failures.append(
                CheckFailure(
                    "adopt",
                    "adopt must be an existing number's id (a UUID), its E.164 number (+14155550123) "
                    "or its sipUri (sip:name@sip.vapi.ai)",
                )
            )
    value = props.get("activationTimeoutSeconds")
    if value is not None and _known(value):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= MAX_ACTIVATION_TIMEOUT_SECONDS
        ):
            failures.append(
                CheckFailure(
                    "activationTimeoutSeconds",
                    f"activationTimeoutSeconds must be a number of seconds from 0 to "
                    f"{MAX_ACTIVATION_TIMEOUT_SECONDS:.0f}",
                )
            )
    value = props.get("autonamePrefix")
    if value is not None and _known(value) and (not isinstance(value, str) or not value):
        failures.append(CheckFailure("autonamePrefix", "autonamePrefix must be a non-empty string"))
    return failures


def _area_code_changes(olds: dict[str, Any], news: dict[str, Any]) -> bool:
    old = olds.get("numberDesiredAreaCode")
    new = news.get("numberDesiredAreaCode")
    if old is None or new is None or not _known(old) or not _known(new):
        return False
    return bool(old != new)


def _normal(value: Any) -> Any:
    """Comparison form: None entries dropped, whole floats as ints, [] the same as absent."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _same_value(new: Any, old: Any) -> bool:
    if new in (None, []) and old in (None, []):
        return True
    return bool(_normal(new) == _normal(old))


def _contains_unknown(value: Any) -> bool:
    if not _known(value):
        return True
    if isinstance(value, dict):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return False


def _changed_keys(olds: dict[str, Any], news: dict[str, Any]) -> list[str]:
    changed = []
    for key in API_INPUT_KEYS + OWN_INPUT_KEYS:
        if key in _STICKY_KEYS and key not in news:
            continue  # cannot be cleared: absence keeps the current value
        new = news.get(key)
        if _contains_unknown(new) or not _same_value(new, olds.get(key)):
            changed.append(key)
    return changed


_DROP = object()


def _split_unknowns(value: Any, path: tuple[str | int, ...] = ()) -> tuple[Any, list[tuple[str | int, ...]]]:
    """Remove unknown values; return the known rest and the paths removed.

    A list holding an unknown anywhere is removed as a whole (its indices would no longer line up).
    """
    if not _known(value):
        return _DROP, [path]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        paths: list[tuple[str | int, ...]] = []
        for key, item in value.items():
            known, sub = _split_unknowns(item, (*path, key))
            paths.extend(sub)
            if known is not _DROP:
                out[key] = known
        return out, paths
    if isinstance(value, list):
        if _contains_unknown(value):
            return _DROP, [path]
        return value, []
    return value, []


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _put(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    target: Any = data
    for part in path[:-1]:
        if isinstance(target, dict):
            target = target.setdefault(part, {})
        else:
            target = target[part]
    target[path[-1]] = value


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the union-member names and tags pydantic puts into error locations."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        prev = loc[i - 1] if i >= 1 else None
        prev2 = loc[i - 2] if i >= 2 else None
        if isinstance(part, str) and (
            (isinstance(prev, str) and prev in _UNION_FIELDS)
            or (isinstance(prev, int) and isinstance(prev2, str) and prev2 in _UNION_LISTS)
        ):
            continue
        out.append(part)
    return tuple(out)


def _format_path(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _related(path: tuple[str | int, ...], unknown: tuple[str | int, ...]) -> bool:
    # An error at, inside or around an unknown value may be caused by it (model-level validators report
    # on the enclosing object); siblings are still validated.
    n = min(len(path), len(unknown))
    return path[:n] == unknown[:n]


def _describe(error: Any, path: str) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"{path} is not a known field; remove it or fix its spelling"
    if kind == "missing":
        return f"{path} is required"
    if kind in ("string_too_long", "string_too_short", "too_long", "too_short"):
        longest = kind.endswith("too_long")
        limit = ctx.get("max_length" if longest else "min_length")
        side = "most" if longest else "least"
        # SecretStr reports string lengths as too_long/too_short, with the string as input.
        if kind.startswith("string_") or isinstance(error.get("input"), str):
            return f"{path} must be at {side} {_count(limit, 'character')}"
        return f"{path} must have at {side} {_count(limit, 'item')}"
    if kind == "literal_error":
        return f"{path} must be one of {ctx.get('expected')}"
    if kind == "string_type":
        return f"{path} must be a string"
    if kind == "bool_type":
        return f"{path} must be true or false"
    if kind in ("float_type", "int_type", "int_from_float", "finite_number"):
        return f"{path} must be a number"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{path} must be an object"
    if kind == "list_type":
        return f"{path} must be a list"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("greater than", "gt"),
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
        }[kind]
        limit = ctx.get(words[1])
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        return f"{path} must be {words[0]} {limit}"
    if kind == "union_tag_invalid":
        return (
            f"{path}.{str(ctx.get('discriminator')).strip(chr(39))} must be one of {ctx.get('expected_tags')}"
        )
    if kind == "union_tag_not_found":
        return f"{path} needs a {str(ctx.get('discriminator')).strip(chr(39))} field saying which kind it is"
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        first = message.split(" ", 1)[0]
        if path == first or path.endswith("." + first):
            return path[: len(path) - len(first)] + message
        return f"{path}.{message}" if path else message
    return f"{path}: {error['msg']}"


def _failures_from(err: ValidationError, unknown_paths: list[tuple[str | int, ...]]) -> list[CheckFailure]:
    entries = []
    for error in err.errors():
        path = _clean_loc(tuple(error["loc"]))
        if any(_related(path, unknown) for unknown in unknown_paths):
            continue
        entries.append((path, error))
    # Smart unions report one error per member: keep the most specific one.
    paths = [p for p, _ in entries]
    kept = [
        (p, e)
        for p, e in entries
        if not (e["type"] in _TYPE_ERRORS and any(len(q) > len(p) and q[: len(p)] == p for q in paths))
    ]
    failures = []
    for path, error in kept:
        text = _format_path(path)
        top = str(path[0]) if path else ""
        failures.append(CheckFailure(top, _describe(error, text)))
    return failures


def _one_per_field(failures: list[CheckFailure]) -> list[CheckFailure]:
    """One failure per field path (the first wins)."""
    seen: set[str] = set()
    out = []
    for failure in failures:
        field = failure.reason.split(" ", 1)[0].rstrip(":")
        if field in seen:
            continue
        seen.add(field)
        out.append(failure)
    return out


def _project_inputs(number: AnyPhoneNumber) -> dict[str, Any]:
    """The input keys of a phone number as Vapi reports them (wire names, secrets revealed)."""
    dumped = number.model_dump(mode="json", exclude_none=True, by_alias=True)  # JSON mode reveals secrets
    return {k: dumped[k] for k in API_INPUT_KEYS if k in dumped}


def _computed(number: AnyPhoneNumber) -> dict[str, Any]:
    return {
        "orgId": number.org_id,
        "number": getattr(number, "number", None),
        "status": number.status,
        "createdAt": number.created_at,
        "updatedAt": number.updated_at,
    }


def _outputs(inputs: dict[str, Any], props: dict[str, Any], number: AnyPhoneNumber) -> dict[str, Any]:
    """Curated outputs: the declared inputs as given, our own inputs, and the computed fields."""
    return {**inputs, **_own(props), **_computed(number)}


def _align(current: Any, old: Any) -> Any:
    """Shape Vapi's value like the previous one: keep old number types, drop server-filled defaults."""
    if isinstance(current, dict) and isinstance(old, dict):
        out = {}
        for key, value in current.items():
            if key in old:
                out[key] = _align(value, old[key])
            elif value is None or (key, _hashable(value)) in _SERVER_DEFAULTS:
                continue
            else:
                out[key] = value
        return out
    if isinstance(current, list) and isinstance(old, list) and len(current) == len(old):
        return [_align(c, o) for c, o in zip(current, old, strict=True)]
    if (
        isinstance(current, int | float)
        and isinstance(old, int | float)
        and not isinstance(current, bool)
        and not isinstance(old, bool)
        and current == old
    ):
        return old
    return current


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) else repr(value)


def _masked(value: Any) -> bool:
    return not isinstance(value, str) or not value or _MASKED_PATTERN.match(value) is not None


def _keep_secrets(inputs: dict[str, Any], props: dict[str, Any]) -> None:
    """Where Vapi omits or masks a secret, keep the previous value (a masked value is not drift)."""
    old_auth = props.get("authentication")
    auth = inputs.get("authentication")
    if isinstance(auth, dict) and isinstance(old_auth, dict) and _masked(auth.get("password")):
        if "password" in old_auth:
            auth["password"] = old_auth["password"]
    old_server = props.get("server")
    server = inputs.get("server")
    if (
        isinstance(server, dict)
        and isinstance(old_server, dict)
        and isinstance(old_server.get("headers"), dict)
    ):
        old_headers = old_server["headers"]
        headers = server.get("headers")
        if not isinstance(headers, dict):
            server["headers"] = dict(old_headers)
        else:
            for name, value in headers.items():
                if _masked(value) and name in old_headers:
                    headers[name] = old_headers[name]


def _count(n: object, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
