"""The Pulumi dynamic providers behind `VapiPhoneNumber` and the imported kinds of number.

`PhoneNumberProviderBase` is the CRUD of any kind of number, parameterised by its property table and its
Create/Update request models. `VapiPhoneNumberProvider` adds what only Vapi-issued numbers have (area-code
replacement guarded by `allowRelease`, the SIP region check, activation polling);
`TwilioPhoneNumberProvider`, `VonagePhoneNumberProvider`, `TelnyxPhoneNumberProvider` and
`ByoPhoneNumberProvider` are the numbers imported from a carrier or a SIP trunk.

The class paths `vapi_provider.provider.<Kind>PhoneNumberProvider` are persisted (pickled by reference)
in every stack's state: never move or rename them without leaving an import shim behind
(`tests/e2e/test_upgrade.py` replays a stack written by an earlier version).

How the Python dynamic-provider host uses this class, and what follows from it:

* The instance is pickled with dill when the resource is declared, and stored (as a secret) in state.
  Nothing credential-like is ever set on it before pickling; `__getstate__` drops whatever
  `configure()` set, so even a provider pickled after `configure` carries no key.
* The host unpickles it once per process and calls `configure()` with the stack config (`settings.py`).
  A missing API key fails only the first operation that calls Vapi, so previews that need no API call
  run without one.
* Up to four gRPC worker threads call methods concurrently: the settings are immutable and the shared
  connection pool is thread-safe.
* `check` and `diff` may see unknown values during previews, at any depth (`unknowns.py`). `diff`
  receives the old *outputs*; `update` must return full outputs; `read` must never return `outs=None`.
* The host is one process per run: `create` and `update` claim the number's name and sipUri in it
  (`run_claims.py`), so that no two resources of the run get the same one.

Every property name, key set, cleared value and server default comes from the resource's table
(`properties.PHONE_NUMBER`, `properties.TWILIO_PHONE_NUMBER`, ...).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pydantic import BaseModel, ValidationError

from ._constants import (
    DEFAULT_ACTIVATION_TIMEOUT_SECONDS,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    EU_BASE_URL,
    EU_SIP_HOST,
    LOGGER_NAME,
    PHONE_NUMBER_TYPES,
    US_SIP_HOST,
)
from .changes import changed_keys, same_value
from .check_failures import Problem, failures, format_path, problems_from
from .client import VapiClient
from .errors import (
    AdoptionError,
    AmbiguousMatchError,
    APIConnectionError,
    CreateOutcomeUnknownError,
    InternalServerError,
    InvalidInputsError,
    NotFoundError,
    PhoneNumberBlockedError,
    RateLimitError,
    ReleaseRefusedError,
    VapiError,
)
from .host_diff import install as install_secret_diffs
from .host_diff import installed as secret_diffs_installed
from .host_diff import offer as offer_detailed_diff
from .host_diff import secret_detailed_diff
from .host_errors import install as install_readable_errors
from .in_doubt import (
    CLAIM_KEY,
    IN_DOUBT_ADVICE,
    StillInDoubt,
    in_doubt_error,
    in_doubt_id,
    in_doubt_outputs,
    is_in_doubt,
    resolve_in_doubt,
)
from .models import (
    AnyPhoneNumber,
    ByoPhoneNumberCreate,
    ByoPhoneNumberUpdate,
    TelnyxPhoneNumberCreate,
    TelnyxPhoneNumberUpdate,
    TwilioPhoneNumberCreate,
    TwilioPhoneNumberUpdate,
    VapiPhoneNumberCreate,
    VapiPhoneNumberUpdate,
    VonagePhoneNumberCreate,
    VonagePhoneNumberUpdate,
    parse_request,
)
from .naming import autoname, claim_name, is_autoname
from .own_inputs import UUID_PATTERN, own_input_problems
from .progress import Progress, current_urn, resource_urn
from .properties import (
    BYO_PHONE_NUMBER,
    PHONE_NUMBER,
    TABLE_BY_PROVIDER,
    TELNYX_PHONE_NUMBER,
    TWILIO_PHONE_NUMBER,
    VONAGE_PHONE_NUMBER,
    ResourceTable,
)
from .refresh import align, computed_outputs, keep_secrets, project_inputs
from .run_claims import PROCESS_CLAIMS, RunClaims, claims_of
from .secrets import seal
from .settings import Settings, no_key_error, settings_from
from .unknowns import get_path, known, put_path, split_unknowns, strip

__all__ = [
    "API_INPUT_KEYS",
    "OUTPUT_ONLY_KEYS",
    "OWN_INPUT_KEYS",
    "PROVIDERS",
    "ByoPhoneNumberProvider",
    "ImportedPhoneNumberProvider",
    "PhoneNumberProviderBase",
    "TelnyxPhoneNumberProvider",
    "TwilioPhoneNumberProvider",
    "VapiPhoneNumberProvider",
    "VonagePhoneNumberProvider",
]

logger = logging.getLogger(LOGGER_NAME)

API_INPUT_KEYS = PHONE_NUMBER.api_keys
"""Inputs of a `VapiPhoneNumber` sent to Vapi, under their wire names."""
OWN_INPUT_KEYS = PHONE_NUMBER.own_keys
"""Inputs of a `VapiPhoneNumber` that steer the provider and are never sent to Vapi."""
OUTPUT_ONLY_KEYS = PHONE_NUMBER.output_keys
_PROGRESS = Progress()
"""One engine connection per provider process, shared by the host's worker threads."""

_Create = Callable[["PhoneNumberProviderBase", dict[str, Any]], CreateResult]
_Update = Callable[["PhoneNumberProviderBase", str, dict[str, Any], dict[str, Any]], UpdateResult]


def _claims_create(create: _Create) -> _Create:
    """`create`, holding the run's claims on the number's name and sipUri (`run_claims.py`)."""

    @functools.wraps(create)
    def claimed(self: PhoneNumberProviderBase, props: dict[str, Any]) -> CreateResult:
        with self._claims.held(self._urn(props), claims_of(self.TABLE, props)):
            return create(self, props)

    return claimed


def _claims_update(update: _Update) -> _Update:
    """`update`, holding the run's claims on a changed name or sipUri (`run_claims.py`)."""

    @functools.wraps(update)
    def claimed(
        self: PhoneNumberProviderBase, id_: str, olds: dict[str, Any], news: dict[str, Any]
    ) -> UpdateResult:
        with self._claims.held(self._urn(news), claims_of(self.TABLE, news, olds)):
            return update(self, id_, olds, news)

    return claimed


class PhoneNumberProviderBase(ResourceProvider):
    """CRUD for one phone number of the kind described by `TABLE`, `CREATE` and `UPDATE`.

    Args:
        http_client_factory: tests only; builds the `httpx.Client` each operation uses.
        sleep: tests only; replaces `time.sleep` for retries and activation polling.
        claims: the names and sipUris claimed in this run (`run_claims.py`); by default the process's
            (the dynamic host's, shared by every kind). The native provider passes its own.
    """

    TABLE: ResourceTable
    """The kind's property table: every key set, cleared value, secret path and default."""
    CREATE: type[BaseModel]
    """The strict body of `POST /phone-number` for this kind."""
    UPDATE: type[BaseModel]
    """The strict body of `PATCH /phone-number/{id}` for this kind."""

    serialize_as_secret_always = True
    ADOPT_BY_SIP_URI = True
    """Whether `adopt` may name the number by its sipUri (only Vapi numbers have one)."""

    def __init__(
        self,
        *,
        http_client_factory: Callable[[], httpx.Client] | None = None,
        sleep: Callable[[float], None] | None = None,
        claims: RunClaims | None = None,
    ) -> None:
        super().__init__()
        self._http_client_factory = http_client_factory
        self._sleep = sleep
        self._init_runtime()
        if claims is not None:
            self._claims = claims

    def _init_runtime(self) -> None:
        # Per-process state, never pickled: the settings from configure(), and one HTTP connection pool
        # shared by the host's worker threads (httpx.Client is thread-safe), so that each operation
        # does not pay for a new TLS context and connection.
        self._settings: Settings | None = None
        self._http: httpx.Client | None = None
        self._http_lock = threading.Lock()
        self._claims = PROCESS_CLAIMS
        # URN -> the name in the old inputs `check` last saw: a replacement is checked again without them.
        self._old_names: dict[str, str] = {}

    _RUNTIME_KEYS = frozenset({"_settings", "_http", "_http_lock", "_claims", "_old_names"})

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

    def _urn(self, props: dict[str, Any]) -> str:
        """The resource's URN: the one the caller runs this call for (the native provider), else rebuilt
        from its seed (the dynamic host names no resource); '' when neither is known."""
        seed = props.get("autonameSeed")
        return current_urn() or resource_urn(seed, PHONE_NUMBER_TYPES[self.TABLE.provider])

    # --- configure -------------------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        """Read the API key, base URL, poll interval and retry budget from stack config or env vars.

        Raises `VapiConfigError` for a malformed setting. A missing key is not an error yet: previews
        that make no API call need none, and the first call to Vapi raises the key error instead.
        """
        install_readable_errors()
        install_secret_diffs()
        self._settings = settings_from(req.config.get)

    def _current_settings(self, *, need_key: bool) -> Settings:
        settings = self._settings or settings_from(lambda _key: None)
        if need_key and not settings.api_key:
            raise no_key_error()
        return settings

    @contextmanager
    def _client(self) -> Iterator[tuple[VapiClient, Settings]]:
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

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs locally (no API call); one failure per bad field.

        Unknown values (previews) are passed through and not validated. Fills in the autoname, keeps
        the values that cannot be cleared when they are removed from the program (`name`,
        `numberDesiredAreaCode`, `sipUri`), and refuses a replacement that would release a Vapi-issued
        number unless `allowRelease` is true.
        """
        table = self.TABLE
        old = strip(olds)
        props = strip(news)
        problems: list[Problem] = []

        for key in props:
            if key not in table.input_keys:
                if key in table.output_keys:
                    reason = f"{key} is an output of the phone number and cannot be set; remove it"
                else:
                    settable = ", ".join(p.wire for p in table.args)
                    reason = (
                        f"{key} is not an input of {table.resource}; remove it or fix its spelling "
                        f"(inputs: {settable}){_other_kind_hint(key, table)}"
                    )
                problems.append(Problem("unknown_input", (key,), reason))
        problems.extend(own_input_problems(props))
        adopt = props.get("adopt")
        if not self.ADOPT_BY_SIP_URI and isinstance(adopt, str) and adopt.lower().startswith("sip:"):
            problems.append(
                Problem(
                    "adopt_key",
                    ("adopt",),
                    f"adopt must be the number's id (a UUID) or its E.164 number: a {table.resource} "
                    "has no sipUri",
                )
            )

        replacing = _replacing(table, old, props)
        # Values that cannot be cleared keep their current value when removed from the program; a
        # replacement gets a new name.
        for key in table.kept_keys:
            if key not in props and key in old and not (key == "name" and replacing):
                props[key] = old[key]

        problems.extend(self._replacement_problems(old, props, replacing))
        if replacing and known(props.get("adopt")) and props.get("adopt"):
            problems.append(
                Problem(
                    "adopt_replace",
                    ("adopt",),
                    f"adopt must be removed before changing {', '.join(replacing)}: a replacement needs "
                    "a new number, and adopt would take over the old one",
                )
            )

        urn = self._urn(props)
        if urn and isinstance(old.get("name"), str) and known(old["name"]):
            self._old_names[urn] = old["name"]
        if "name" not in props:
            prefix = props.get("autonamePrefix")
            seed = props.get("autonameSeed")
            if isinstance(prefix, str) and prefix and known(prefix) and known(seed):
                # A replacement's name is derived from the old one, so the two never share a name. Having
                # decided to replace, the engine checks the inputs again without the old ones (as for a
                # new resource): a check without olds of a resource checked with olds before, in this
                # process, is that second check of a replacement.
                previous = old.get("name") if replacing else None if old else self._old_names.get(urn)
                generation = str(previous or "")
                props["name"] = autoname(prefix, f"{seed}|{generation}" if isinstance(seed, str) else None)

        api_props = {k: props[k] for k in table.api_keys if k in props}
        known_props, unknown_paths = split_unknowns(api_props)
        normalised: dict[str, Any] | None = None
        try:
            body: Any = parse_request(self._check_model(props), known_props)
        except ValidationError as err:
            problems.extend(problems_from(err, unknown_paths))
        else:
            normalised = body.to_wire()
            normalised.pop("provider", None)
            for path in unknown_paths:
                put_path(normalised, path, get_path(api_props, path))

        problems.extend(self._cross_field_problems(props))

        if problems:
            return CheckResult(seal(table, props), failures(problems))
        if normalised is None:
            # Only errors caused by unknown values: nothing to report yet, pass the inputs through.
            return CheckResult(seal(table, props), [])
        return CheckResult(seal(table, {**normalised, **_own(table, props)}), [])

    def _check_model(self, props: dict[str, Any]) -> type[BaseModel]:  # noqa: ARG002
        """The request model `check` validates the inputs with: the create body."""
        return self.CREATE

    def _replacement_problems(
        self,
        old: dict[str, Any],  # noqa: ARG002 (a hook: subclasses use the arguments)
        props: dict[str, Any],  # noqa: ARG002
        replacing: list[str],  # noqa: ARG002
    ) -> list[Problem]:
        """Problems of a replacement (changed replacing keys) that `check` must refuse; none by default."""
        return []

    def _cross_field_problems(self, props: dict[str, Any]) -> list[Problem]:  # noqa: ARG002
        """Rules across fields that the request model cannot express; none by default."""
        return []

    # --- diff ------------------------------------------------------------------------------------

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare old outputs with new checked inputs locally (no API call).

        Only a change of a replacing key replaces the resource; every other input is updated in place.
        The Python host cannot return a detailed diff; the changed keys are logged at DEBUG and the CLI
        renders the field-level diff from the inputs, except for a change at a secret path, which the
        CLI cannot see in masked values: then the host is handed the detailed diff (`host_diff.py`).
        """
        old = strip(olds)
        new = strip(news)
        if is_in_doubt(id_):
            if new.get("adopt") and not _autonamed(old) and not old.get(CLAIM_KEY):
                # The user chose the number (see `read`): take it over, forgetting the record first.
                return DiffResult(changes=True, replaces=["adopt"], delete_before_replace=True)
            # Shown as an update, which `update` refuses with the reason (diff also runs during
            # `pulumi refresh`, which must not fail here: it is what resolves the record).
            return DiffResult(changes=True, replaces=[])
        changed = changed_keys(self.TABLE, old, new)
        # An unknown replacing value (preview) is shown as an update; the real value is checked at `up`.
        replaces = [k for k in self.TABLE.replace_keys if k in changed and known(new.get(k))]
        if replaces:
            self._refuse_replacement(id_, old, new)
        logger.debug("diff %s: changed=%s replaces=%s", id_, changed, replaces)
        if changed and secret_diffs_installed():
            offer_detailed_diff(secret_detailed_diff(self.TABLE, id_, old, new, replaces))
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=self._delete_first(old, new) if replaces else None,
        )

    def _refuse_replacement(self, id_: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Raise when a replacement must not go ahead; replacing is allowed by default."""

    def _complete_patch(self, patch: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:  # noqa: ARG002
        """The PATCH body with the fields the API needs alongside the changed ones; as is by default."""
        return patch

    def _delete_first(self, old: dict[str, Any], new: dict[str, Any]) -> bool:  # noqa: ARG002
        """Whether a replacement must delete the old number before creating the new one."""
        return False

    # --- create ----------------------------------------------------------------------------------

    @_claims_create
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create (buy or import) or adopt the number and return curated outputs.

        With `adopt`, nothing is created: the named number is taken over, the declared fields are
        PATCHed where they differ, and undeclared ones are left alone. A Vapi-issued number is then
        awaited until active (`VapiPhoneNumberProvider`); imported kinds are active at once.
        """
        table = self.TABLE
        props = strip(props)
        inputs = {k: props[k] for k in table.api_keys if k in props}
        with self._client() as (client, settings):
            adopt = props.get("adopt")
            if adopt:
                # Settings the program does not declare are left alone: not changed, and not recorded
                # (recorded, the next diff would see them removed and clear them).
                number = self._adopt(client, str(adopt), inputs)
            else:
                # Sent under its claim name, which only this resource's creates use: a number that an
                # interrupted earlier create bought is found by it (one short search), and taken instead
                # of buying another; an unknown POST outcome is settled by it (`naming.claim_name`).
                claim = claim_name(props, table.replace_keys)
                earlier = client.find_claimed(claim, None) if claim is not None else []
                if len(earlier) > 1:
                    ids = sorted(n.id for n in earlier)
                    raise AmbiguousMatchError(
                        f"{len(ids)} numbers carry the claim name {claim!r} of this resource: "
                        f"{', '.join(ids)}. Keep one with adopt=<id> and delete the others in Vapi.",
                        ids=ids,
                    )
                if earlier:
                    logger.info(
                        "phone number %s was bought by an interrupted earlier create of this resource "
                        "(it carries the resource's claim name %s): taking it instead of buying another",
                        earlier[0].id,
                        claim,
                    )
                    number = self._adopt(client, earlier[0].id, inputs)
                else:
                    sent = {**inputs, "name": claim} if claim is not None else inputs
                    try:
                        number = client.create_phone_number(
                            _parse(self.CREATE, sent), unique_name=claim is not None
                        )
                    except CreateOutcomeUnknownError as err:
                        # Vapi may have bought it: record the attempt, so that nothing more is bought
                        # for this resource until `pulumi refresh` resolves it (`in_doubt.py`).
                        logger.warning("%s %s", err, IN_DOUBT_ADVICE)
                        outs = in_doubt_outputs(table, inputs, _own(table, props), err, claim)
                        return CreateResult(in_doubt_id(), seal(table, outs))
                    logger.debug("created phone number %s (status %s)", number.id, number.status)
                # From here on the number exists: whatever fails, it is recorded (`_activate`).
                number = self._activate(client, number, props, settings.poll_interval)
                number = _declare_name(client, self.UPDATE, number, inputs.get("name"))
        outs = _outputs(table, inputs, props, number)
        if number.name != inputs.get("name"):
            outs["name"] = number.name  # the rename failed: the state says what Vapi holds
        return CreateResult(number.id, seal(table, outs))

    def _activate(
        self,
        client: VapiClient,  # noqa: ARG002 (a hook: VapiPhoneNumberProvider polls)
        number: AnyPhoneNumber,
        props: dict[str, Any],  # noqa: ARG002
        poll_interval: float,  # noqa: ARG002
    ) -> AnyPhoneNumber:
        """The created number once it can be recorded; imported numbers are active at once."""
        return number

    def _adopt(self, client: VapiClient, adopt: str, inputs: dict[str, Any]) -> AnyPhoneNumber:
        if UUID_PATTERN.match(adopt):
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
        table = self.TABLE
        if number.provider != table.provider:
            other = TABLE_BY_PROVIDER.get(number.provider)
            hint = f"; declare it as a {other.resource} instead" if other is not None else ""
            raise AdoptionError(
                f"adopt: phone number {number.id} has provider {number.provider!r}; "
                f"{table.resource} only manages provider {table.provider!r} numbers{hint}"
            )
        current = project_inputs(table, number)
        patch = {
            key: value
            for key, value in inputs.items()
            if key not in table.create_only_keys and not same_value(value, current.get(key))
        }
        if patch:
            patch = self._complete_patch(patch, inputs)
            logger.debug("adopting %s: patching %s", number.id, sorted(patch))
            number = client.update_phone_number(number.id, _parse(self.UPDATE, patch))
        return number

    # --- read ------------------------------------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """GET the number. A 404 means it is gone (refresh drops it from state).

        Returns outputs and inputs rebuilt from Vapi's answer (`refresh.py`), so that after
        `pulumi refresh` a preview shows exactly the fields changed outside Pulumi. Secret values Vapi
        omits or masks keep their previous value.
        """
        table = self.TABLE
        previous = strip(props)
        with self._client() as (client, settings):
            if is_in_doubt(id_):
                try:
                    found = resolve_in_doubt(
                        client,
                        previous,
                        autonamed=_autonamed(previous),
                        settle_seconds=settings.in_doubt_settle,
                    )
                except StillInDoubt:
                    logger.warning("%s is not listed yet; it stays in doubt (refresh again later)", id_)
                    return ReadResult(id_, seal(table, previous), seal(table, _declared(table, previous)))
                if found is None:
                    return ReadResult("", {})  # nothing was bought: the next `pulumi up` creates it
                number = found
            else:
                try:
                    number = client.get_phone_number(id_)
                except NotFoundError:
                    # Never outs=None: the host writes into outs. An empty id tells the engine it is gone.
                    return ReadResult("", {})
        if number.provider != table.provider:
            other = TABLE_BY_PROVIDER.get(number.provider)
            raise AdoptionError(
                f"phone number {number.id} is now a provider {number.provider!r} number, which "
                f"{table.resource} does not manage"
                + (f"; declare it as a {other.resource}" if other is not None else "")
            )
        # Top-level keys the program did not set are dropped when Vapi filled in its default.
        previous_inputs = {k: previous[k] for k in table.api_keys if k in previous}
        inputs: dict[str, Any] = align(project_inputs(table, number), previous_inputs, table.defaults)
        keep_secrets(table, inputs, previous)
        for key in table.create_only_keys:
            if key not in inputs and key in previous:
                inputs[key] = previous[key]
        inputs.update(_own(table, previous))
        outs = {**inputs, **computed_outputs(table, number)}
        return ReadResult(number.id, seal(table, outs), seal(table, inputs))

    # --- update ----------------------------------------------------------------------------------

    @_claims_update
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """PATCH only the changed fields (the table's cleared value for removed ones); full outputs.

        Changes to the provider's own inputs (allowRelease, adopt, ...) need no API call.
        """
        table = self.TABLE
        old = strip(olds)
        new = strip(news)
        if is_in_doubt(id_):
            raise in_doubt_error(old)
        inputs = {k: new[k] for k in table.api_keys if k in new}
        for key in table.kept_keys:
            if key not in inputs and key in old:
                inputs[key] = old[key]
        cleared = table.cleared
        patch: dict[str, Any] = {}
        for key in changed_keys(table, old, new):
            if key not in table.api_keys or key in table.create_only_keys:
                continue
            if key in new:
                patch[key] = new[key]
            elif key in cleared:
                patch[key] = cleared[key]
        patch = self._complete_patch(patch, new)
        if not patch:
            computed = {k: old.get(k) for k in table.output_keys}
            return UpdateResult(seal(table, {**inputs, **_own(table, new), **computed}))
        logger.debug("update %s: patching %s", id_, sorted(patch))
        with self._client() as (client, _settings):
            number = client.update_phone_number(id_, _parse(self.UPDATE, patch))
        return UpdateResult(seal(table, _outputs(table, inputs, new, number)))

    # --- delete ----------------------------------------------------------------------------------

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """DELETE the number; a 404 counts as already gone.

        A Vapi-issued number is released for good. An imported number (Twilio, Vonage, Telnyx, BYO) is
        only detached from Vapi: the carrier or trunk keeps it, and it can be imported again.
        """
        previous = strip(props)
        with self._client() as (client, settings):
            if is_in_doubt(id_):
                if not _autonamed(previous) and not previous.get(CLAIM_KEY):
                    # Nothing proves that any number is this resource's: release none, forget the record.
                    logger.warning("forgetting the in-doubt record %s without releasing any number", id_)
                    return
                try:
                    found = resolve_in_doubt(
                        client, previous, autonamed=True, settle_seconds=settings.in_doubt_settle
                    )
                except StillInDoubt:
                    raise in_doubt_error(previous) from None
                if found is None:
                    return
                id_ = found.id
            try:
                client.delete_phone_number(id_)
            except NotFoundError:
                logger.debug("delete %s: already gone", id_)


class VapiPhoneNumberProvider(PhoneNumberProviderBase):
    """CRUD for one Vapi phone number (`provider: "vapi"`): a free US number or a SIP URI.

    Args:
        http_client_factory: tests only; builds the `httpx.Client` each operation uses.
        sleep: tests only; replaces `time.sleep` for retries and activation polling.
    """

    TABLE = PHONE_NUMBER
    CREATE = VapiPhoneNumberCreate
    UPDATE = VapiPhoneNumberUpdate

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs locally (no API call); one failure per bad field.

        Unknown values (previews) are passed through and not validated. Fills in the autoname, keeps
        the values that cannot be cleared when they are removed from the program (`name`,
        `numberDesiredAreaCode`, `sipUri`), and refuses a replacement that would release a Vapi-issued
        number unless `allowRelease` is true.
        """
        return super().check(olds, news)

    def _replacement_problems(
        self, old: dict[str, Any], props: dict[str, Any], replacing: list[str]
    ) -> list[Problem]:
        if not replacing or props.get("allowRelease") is True:
            return []
        return [
            Problem(
                "release_refused",
                ("numberDesiredAreaCode",),
                f"numberDesiredAreaCode: changing it from {old['numberDesiredAreaCode']} to "
                f"{props['numberDesiredAreaCode']} replaces the phone number, and deleting the old "
                "one releases it for good. Keep the old area code, or opt in with "
                "allow_release=True (allowRelease: true); protect production numbers with "
                "protect=True.",
            )
        ]

    def _cross_field_problems(self, props: dict[str, Any]) -> list[Problem]:
        problems: list[Problem] = []
        if not any(k in props for k in ("numberDesiredAreaCode", "sipUri", "adopt")):
            problems.append(
                Problem(
                    "source_missing",
                    ("numberDesiredAreaCode",),
                    "numberDesiredAreaCode or sipUri is required: set a 3-digit US area code for a free "
                    "Vapi number, a sipUri (sip:<name>@sip.vapi.ai) for a SIP number, or adopt=<id, "
                    "E.164 number or sipUri> to take over an existing number",
                )
            )
        # Several routing targets at once are accepted, as Vapi accepts them: whether that is allowed is
        # a team's rule, enforced by the policy pack (vapi-number-single-target), not an API constraint.
        sip_uri = props.get("sipUri")
        if isinstance(sip_uri, str) and known(sip_uri) and "@" in sip_uri:
            host = sip_uri.rsplit("@", 1)[1].lower()
            base_url = self._current_settings(need_key=False).base_url
            expected = {DEFAULT_BASE_URL: US_SIP_HOST, EU_BASE_URL: EU_SIP_HOST}.get(base_url)
            if expected is not None and host in (US_SIP_HOST, EU_SIP_HOST) and host != expected:
                problems.append(
                    Problem(
                        "sip_region",
                        ("sipUri",),
                        f"sipUri must use @{expected} with the API at {base_url}: Vapi requires the SIP "
                        "host of the same region as the API",
                    )
                )
        return problems

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare old outputs with new checked inputs locally (no API call).

        Only a change of a replacing key (`numberDesiredAreaCode`) replaces the resource, and only with
        `allowRelease`; every other input is updated in place.
        """
        return super().diff(id_, olds, news)

    def _refuse_replacement(self, id_: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        if new.get("allowRelease") is not True and (old.get("number") or old.get("numberDesiredAreaCode")):
            raise ReleaseRefusedError(
                f"Refusing to replace phone number {id_}: numberDesiredAreaCode changed, and deleting "
                "the current number releases it for good. Set allow_release=True to accept that."
            )

    def _delete_first(self, old: dict[str, Any], new: dict[str, Any]) -> bool:
        # Keeping the same sipUri across a replacement needs the old number gone first (sipUri is unique).
        sip_uri = new.get("sipUri")
        return bool(sip_uri) and same_value(sip_uri, old.get("sipUri"))

    def _activate(
        self, client: VapiClient, number: AnyPhoneNumber, props: dict[str, Any], poll_interval: float
    ) -> AnyPhoneNumber:
        timeout = props.get("activationTimeoutSeconds", DEFAULT_ACTIVATION_TIMEOUT_SECONDS)
        return self._await_active(
            client, number, float(timeout), poll_interval, resource_urn(props.get("autonameSeed"))
        )

    def _await_active(
        self, client: VapiClient, number: AnyPhoneNumber, timeout: float, poll_interval: float, urn: str = ""
    ) -> AnyPhoneNumber:
        """Poll until `number` is no longer activating, the deadline passes, or a poll fails for good.

        Whichever way polling ends, one warning says which: an error that stops it (a 401 or 403) is
        named as the reason, and "still activating after N s" is said only when the deadline passed.
        """
        sleep = self._sleep or time.sleep
        started = time.monotonic()
        deadline = started + timeout
        label = number.name or number.id
        last_error: VapiError | None = None
        while number.status == "activating" and time.monotonic() < deadline:
            waited = time.monotonic() - started
            _PROGRESS.say(urn, f"{label}: activating, {waited:.0f} s of at most {timeout:.0f} s")
            sleep(poll_interval)
            try:
                number = client.get_phone_number(number.id)
                last_error = None
            except (APIConnectionError, InternalServerError, RateLimitError, NotFoundError) as err:
                # Transient, or a read that lags behind the create: keep waiting.
                logger.debug("polling %s failed (%s); still waiting", number.id, err)
                last_error = err
            except VapiError as err:
                # Say, a 401 or 403: polling cannot go on, but the number exists and is recorded with
                # the status Vapi last reported; `pulumi refresh` picks up the rest. The message names
                # the error (never the key: errors carry no headers) and claims no timeout.
                logger.warning(
                    "polling phone number %s stopped after %.1f s because %s; it is recorded with "
                    "status %r and `pulumi refresh` picks up its final status",
                    number.id,
                    time.monotonic() - started,
                    err,
                    number.status,
                )
                return self._not_blocked(number)
        number = self._not_blocked(number)
        if number.status == "activating":
            last = f" (the last poll failed: {last_error})" if last_error is not None else ""
            logger.warning(
                "phone number %s is still activating after %g s, the activation timeout%s; it is "
                "recorded with status 'activating' and `pulumi refresh` picks up its final status",
                number.id,
                timeout,
                last,
            )
        return number

    @staticmethod
    def _not_blocked(number: AnyPhoneNumber) -> AnyPhoneNumber:
        if number.status == "blocked":
            raise PhoneNumberBlockedError(
                f"Vapi created phone number {number.id} but reports it as blocked. It is not recorded "
                "in the stack: ask Vapi support why, then delete it in the dashboard or take it over "
                f"with adopt='{number.id}'. `python -m vapi_provider orphans` lists such numbers.",
                phone_number_id=number.id,
            )
        return number


class ImportedPhoneNumberProvider(PhoneNumberProviderBase):
    """What every imported kind shares: a replacement of the same `number` (only the account or
    credential changed) deletes the old import first, since one carrier number points at one Vapi
    number; deleting detaches the number from Vapi and the carrier keeps it."""

    ADOPT_BY_SIP_URI = False

    def _delete_first(self, old: dict[str, Any], new: dict[str, Any]) -> bool:
        return same_value(new.get("number"), old.get("number"))

    def _check_model(self, props: dict[str, Any]) -> type[BaseModel]:
        # Adopting, the number's own fields may be left out (they are the adopted number's); the
        # request then is the PATCH that adoption sends, whose fields are all optional.
        return self.UPDATE if props.get("adopt") else self.CREATE


class TwilioPhoneNumberProvider(ImportedPhoneNumberProvider):
    """CRUD for a Twilio number imported into Vapi (`provider: "twilio"`).

    `check` needs `twilioAuthToken`, or both `twilioApiKey` and `twilioApiSecret` (Vapi must reach
    Twilio to point the number at itself). Where Vapi masks or omits the secrets on read, refresh keeps
    the stored values; so a token rotated outside Pulumi is not seen as drift.
    """

    TABLE = TWILIO_PHONE_NUMBER
    CREATE = TwilioPhoneNumberCreate
    UPDATE = TwilioPhoneNumberUpdate

    def _cross_field_problems(self, props: dict[str, Any]) -> list[Problem]:
        token, key, secret = (props.get(k) for k in ("twilioAuthToken", "twilioApiKey", "twilioApiSecret"))
        if not all(known(v) for v in (token, key, secret)):
            return []
        if token is None and (key is None) != (secret is None):
            missing, given = (
                ("twilioApiSecret", "twilioApiKey") if secret is None else ("twilioApiKey", "twilioApiSecret")
            )
            return [
                Problem(
                    "twilio_credentials",
                    (missing,),
                    f"{missing} is required with {given}: Twilio API keys work only as a pair "
                    "(or set twilioAuthToken instead)",
                )
            ]
        if token is None and key is None and not props.get("adopt"):
            return [
                Problem(
                    "twilio_credentials",
                    ("twilioAuthToken",),
                    "twilioAuthToken is required, or both twilioApiKey and twilioApiSecret: Vapi must "
                    "reach your Twilio account to import the number (set them from secret config)",
                )
            ]
        return []


class VonagePhoneNumberProvider(ImportedPhoneNumberProvider):
    """CRUD for a Vonage number imported into Vapi (`provider: "vonage"`) with a Vapi credential."""

    TABLE = VONAGE_PHONE_NUMBER
    CREATE = VonagePhoneNumberCreate
    UPDATE = VonagePhoneNumberUpdate


class TelnyxPhoneNumberProvider(ImportedPhoneNumberProvider):
    """CRUD for a Telnyx number imported into Vapi (`provider: "telnyx"`) with a Vapi credential."""

    TABLE = TELNYX_PHONE_NUMBER
    CREATE = TelnyxPhoneNumberCreate
    UPDATE = TelnyxPhoneNumberUpdate


class ByoPhoneNumberProvider(ImportedPhoneNumberProvider):
    """CRUD for a bring-your-own number on a SIP trunk credential (`provider: "byo-phone-number"`)."""

    TABLE = BYO_PHONE_NUMBER
    CREATE = ByoPhoneNumberCreate
    UPDATE = ByoPhoneNumberUpdate

    def _complete_patch(self, patch: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        # Vapi judges a new `number` by the `numberE164CheckEnabled` of the same body.
        if "number" in patch and "numberE164CheckEnabled" in new:
            return {**patch, "numberE164CheckEnabled": new["numberE164CheckEnabled"]}
        return patch


PROVIDERS: dict[str, type[PhoneNumberProviderBase]] = {
    cls.TABLE.provider: cls
    for cls in (
        VapiPhoneNumberProvider,
        TwilioPhoneNumberProvider,
        VonagePhoneNumberProvider,
        TelnyxPhoneNumberProvider,
        ByoPhoneNumberProvider,
    )
}
"""Vapi's `provider` value -> the provider class of that kind."""


# --- helpers ---------------------------------------------------------------------------------------


def _autonamed(props: dict[str, Any]) -> bool:
    prefix = props.get("autonamePrefix")
    return isinstance(prefix, str) and is_autoname(props.get("name"), prefix)


def _declare_name(
    client: VapiClient, update: type[BaseModel], number: AnyPhoneNumber, name: object
) -> AnyPhoneNumber:
    """Rename a number bought under its claim name to its declared name (one PATCH).

    A failure is no reason to lose the number: it is recorded under the name Vapi holds, and the next
    `pulumi up` renames it (the state's name differs from the program's).
    """
    if not isinstance(name, str) or number.name == name:
        return number
    try:
        return client.update_phone_number(number.id, _parse(update, {"name": name}))
    except VapiError as err:
        logger.warning(
            "phone number %s was bought under its claim name %r, and renaming it to %r failed (%s); it "
            "is recorded under the claim name, and the next `pulumi up` renames it",
            number.id,
            number.name,
            name,
            err,
        )
        return number


def _declared(table: ResourceTable, props: dict[str, Any]) -> dict[str, Any]:
    return {k: props[k] for k in table.input_keys if k in props}


def _own(table: ResourceTable, props: dict[str, Any]) -> dict[str, Any]:
    return {k: props[k] for k in table.own_keys if k in props}


def _outputs(
    table: ResourceTable, inputs: dict[str, Any], props: dict[str, Any], number: AnyPhoneNumber
) -> dict[str, Any]:
    """Curated outputs: the declared inputs as given, our own inputs, and the computed fields."""
    return {**inputs, **_own(table, props), **computed_outputs(table, number)}


def _replacing(table: ResourceTable, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The replacing keys whose known value changed from a known old one."""
    out = []
    for key in table.replace_keys:
        before, after = old.get(key), new.get(key)
        if before is None or after is None or not known(before) or not known(after):
            continue
        if not same_value(after, before):
            out.append(key)
    return out


def _other_kind_hint(key: str, table: ResourceTable) -> str:
    """` (it belongs to TwilioPhoneNumber)` when `key` is an input of another kind of number."""
    owners = [t.resource for t in TABLE_BY_PROVIDER.values() if t is not table and key in t.input_keys]
    return f"; {key} is an input of {' and '.join(owners)}" if owners else ""


def _parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return parse_request(model, data)
    except ValidationError as err:
        # Never str(err): it quotes input values, which may be secrets.
        fields = sorted({format_path(p.path) for p in problems_from(err)})
        raise InvalidInputsError(
            f"Invalid inputs for {model.__name__} (fields: {', '.join(fields)}); run `pulumi preview`",
            fields=fields,
        ) from None
