"""`VapiProvider`: the native `vapi` resource provider, on `pulumi.provider.experimental`.

It serves the five resource tokens (`tokens.TABLE_BY_TOKEN`) by wrapping the dynamic provider's classes
(`vapi_provider.provider`), which already implement check, diff, create, read, update and delete on plain
dicts with every identity rule (uniqueness, in-doubt creates, adoption, recovery). This module adds only
what the native protocol has and the dynamic host lacks:

* conversion between `PropertyValue`s and plain dicts that keeps every secret mark (`convert.py`);
* provider config per plugin process (`check_config`, `configure`): each explicit `vapi.Provider` is its
  own process with its own key and base URL, so its numbers live in its own org;
* autonames from the URN (not the engine's per-run random seed), kept with the resource for good;
* a detailed diff by property path (`diff.py`);
* `read` for `pulumi import` (an id and no state): inputs derived from Vapi's answer;
* real concurrency: every call that talks to Vapi runs in a thread pool sized so that the engine's
  `--parallel` is the limit, not the pool (`MAX_WORKERS`). The shared core and its client are
  synchronous httpx, so threads are how they run concurrently; an async client would mean a second
  copy of the create, reconcile and poll logic.

Errors that are ours (`VapiError`) reach the CLI as their message, without a Python traceback
(`server.py`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
from pulumi.dynamic import ConfigureRequest as CoreConfigureRequest
from pulumi.dynamic import ReadResult
from pulumi.dynamic.config import Config as CoreConfig
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pydantic import SecretStr

from .._constants import DEFAULT_ACTIVATION_TIMEOUT_SECONDS, LOGGER_NAME
from ..client import VapiClient
from ..errors import NotFoundError, VapiConfigError, VapiError
from ..in_doubt import is_in_doubt
from ..models import AnyPhoneNumber
from ..progress import current_urn, urn_context
from ..provider import PROVIDERS, PhoneNumberProviderBase, TwilioPhoneNumberProvider, VapiPhoneNumberProvider
from ..run_claims import RunClaims
from ..secrets import is_sealed, seal
from ..settings import settings_from
from ..unknowns import strip
from .convert import from_plain_map, reseal, secret_paths, to_plain, to_plain_map
from .diff import detailed_diff
from .schema import package_schema
from .tokens import CONFIG_KEYS, PACKAGE, TABLE_BY_TOKEN, native_wording

__all__ = ["CREDENTIAL_MARK", "MAX_WORKERS", "VapiProvider", "current_urn"]

logger = logging.getLogger(LOGGER_NAME)

MAX_WORKERS = 512
"""Threads for calls to Vapi. A thread waiting on Vapi (or sleeping between activation polls) costs a
little memory and no CPU, so the pool is sized far above any `--parallel` a user sets; the engine's
`--parallel` (default: 4 x the CPUs, or `PULUMI_PARALLEL`) is what bounds the concurrency."""

_T = TypeVar("_T")


CREDENTIAL_MARK = "vapiCredentialMark"
"""An output that ties a number to the settings that reach it: an HMAC-SHA256 of the base URL and the
number's id, keyed by the API key, cut to 128 bits. It is a plain output: a keyed hash tells nothing of the
key, and a secret costs the engine encryption and bigger checkpoints for every number. Vapi answers 404
for another org's number exactly as for a released one, so after the provider's key or base URL changed,
a 404 proves nothing: with a mark that differs from the current settings' mark, refresh and destroy refuse
instead of dropping the number from state (which would leave it, still bought, in the old org). A
successful read records the current settings' mark (a key rotated within the org is accepted on the first
refresh)."""

# Keys the engine may pass to a provider besides its own config.
_ENGINE_CONFIG_KEYS = frozenset({"version", "pluginDownloadURL"})


class _NativeVapiCore(VapiPhoneNumberProvider):
    """The Vapi-issued kind, with activation progress tied to the native resource's URN."""

    def _activate(
        self, client: VapiClient, number: AnyPhoneNumber, props: dict[str, Any], poll_interval: float
    ) -> AnyPhoneNumber:
        timeout = float(props.get("activationTimeoutSeconds", DEFAULT_ACTIVATION_TIMEOUT_SECONDS))
        return self._await_active(client, number, timeout, poll_interval, current_urn())


class _NativeTwilioCore(TwilioPhoneNumberProvider):
    """The Twilio kind, whose import records the token and API secret Vapi returns.

    The core's projection of a Twilio number masks its secrets (refresh keeps the stored values where a
    value is masked). An import has no stored values, so where the projection masked a secret the
    number is read once more and the clear value taken from the model.
    """

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        result = super().read(id_, props)
        secrets = [p.wire for p in self.TABLE if p.secret_paths == ((),)]
        inputs = strip(result.inputs)
        masked = [k for k in secrets if k not in strip(props) and _masked(inputs.get(k))]
        if not result.id or not masked:
            return result
        with self._client() as (client, _settings):
            number = client.get_phone_number(result.id)
        clear = {}
        for key in masked:
            value = getattr(number, self.TABLE.by_wire(key).python, None)
            if isinstance(value, SecretStr):
                clear[key] = value.get_secret_value()
        inputs.update(clear)
        outs = {**strip(result.outs), **clear}
        return ReadResult(result.id, seal(self.TABLE, outs), seal(self.TABLE, inputs))


def _masked(value: object) -> bool:
    return isinstance(value, str) and bool(value) and set(value) <= {"*", "\u2022"}


def _core_classes() -> dict[str, type[PhoneNumberProviderBase]]:
    native: dict[type[PhoneNumberProviderBase], type[PhoneNumberProviderBase]] = {
        VapiPhoneNumberProvider: _NativeVapiCore,
        TwilioPhoneNumberProvider: _NativeTwilioCore,
    }
    classes: dict[str, type[PhoneNumberProviderBase]] = {}
    for token, table in TABLE_BY_TOKEN.items():
        cls = PROVIDERS[table.provider]
        classes[token] = native.get(cls, cls)
    return classes


def _urn_parts(urn: str) -> tuple[str, str, str]:
    """(stack, project, resource name) of a URN `urn:pulumi:<stack>::<project>::<type>::<name>`."""
    parts = urn.split("::")
    stack = parts[0].rsplit(":", 1)[-1] if parts else ""
    project = parts[1] if len(parts) > 1 else ""
    return stack, project, parts[-1] if len(parts) > 1 else ""


def _plain_config(value: PropertyValue) -> Any:
    """A config value as the settings reader takes it (secret envelopes opened)."""
    plain = to_plain(value)
    return plain["value"] if is_sealed(plain) else plain


class VapiProvider(Provider):
    """The native `vapi` provider: one instance per plugin process, i.e. per provider configuration.

    Args:
        http_client_factory: tests only; builds the `httpx.Client` each operation uses.
        sleep: tests only; replaces `time.sleep` for retries and activation polling.
        max_workers: threads for calls to Vapi (see `MAX_WORKERS`).
    """

    def __init__(
        self,
        *,
        http_client_factory: Callable[[], httpx.Client] | None = None,
        sleep: Callable[[float], None] | None = None,
        max_workers: int = MAX_WORKERS,
    ) -> None:
        # One set of claims for every kind: no two numbers of this provider configuration get the same
        # name or sipUri in a run (`run_claims.py`).
        claims = RunClaims()
        self._cores: dict[str, PhoneNumberProviderBase] = {
            token: cls(http_client_factory=http_client_factory, sleep=sleep, claims=claims)
            for token, cls in _core_classes().items()
        }
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="vapi")
        self._schema: str | None = None

    def close(self) -> None:
        """Close the connection pools and the thread pool (tests; the plugin process just ends)."""
        for core in self._cores.values():
            core.close()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _core(self, type_token: str) -> PhoneNumberProviderBase:
        try:
            return self._cores[type_token]
        except KeyError:
            known = ", ".join(sorted(self._cores))
            raise VapiError(
                f"the vapi provider has no resource type {type_token} (it has: {known})"
            ) from None

    async def _in_thread(self, urn: str, fn: Callable[..., _T], *args: Any) -> _T:
        """Run a call that talks to Vapi in the pool, with the resource's URN in its context."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(urn_context(urn).run, fn, *args))

    # --- schema and config -----------------------------------------------------------------------

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:  # noqa: ARG002
        if self._schema is None:
            self._schema = json.dumps(package_schema())
        return GetSchemaResponse(schema=self._schema)

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        """Accept a missing key (previews need none); refuse unknown keys and malformed values by name."""
        failures: list[CheckFailure] = []
        inputs: dict[str, PropertyValue] = {}
        for key, value in request.new_inputs.items():
            if key in _ENGINE_CONFIG_KEYS or key.startswith("__"):
                inputs[key] = value
                continue
            if key not in CONFIG_KEYS:
                failures.append(
                    CheckFailure(
                        key,
                        f"{PACKAGE}:{key} is not a setting of the vapi provider; remove it or fix its "
                        f"spelling (settings: {', '.join(CONFIG_KEYS)})",
                    )
                )
                continue
            plain = _plain_config(value)
            if plain is not None and not (isinstance(plain, str) and plain == "") and not _is_unknown(value):
                try:
                    settings_from(functools.partial(_only, f"{PACKAGE}:{key}", plain))
                except VapiConfigError as err:
                    failures.append(CheckFailure(key, str(err)))
            inputs[key] = value.with_secret(True) if key == "apiKey" else value
        return CheckResponse(inputs=inputs, failures=failures)

    async def diff_config(self, request: DiffRequest) -> DiffResponse:
        """A change of settings updates the provider in place: it never replaces the numbers."""
        olds = to_plain_map(request.old_state)
        news = to_plain_map(request.new_inputs)
        changed = sorted(k for k in set(olds) | set(news) if olds.get(k) != news.get(k))
        return DiffResponse(changes=bool(changed), diffs=changed)

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        """Read the settings from the provider's inputs, then `vapi:*` config variables, then env vars."""
        values: dict[str, Any] = {}
        for key in CONFIG_KEYS:
            if key in request.args:
                if not _is_unknown(request.args[key]):  # unknown in a preview: as if not set yet
                    values[f"{PACKAGE}:{key}"] = _plain_config(request.args[key])
                continue
            for variable in (f"{PACKAGE}:config:{key}", f"{PACKAGE}:{key}"):
                if variable in request.variables:
                    values[f"{PACKAGE}:{key}"] = request.variables[variable]
                    break
        values = {k: v for k, v in values.items() if v not in (None, "")}
        config = CoreConfig(values, PACKAGE)
        for core in self._cores.values():
            core.configure(CoreConfigureRequest(config))
        logger.debug("configured (pid %s): %s", os.getpid(), sorted(values))
        # No preview support: the engine never asks create/update to simulate, and shows their outputs as
        # unknown in a preview instead.
        return ConfigureResponse(accept_secrets=True, supports_preview=False, accept_resources=False)

    # --- resources ------------------------------------------------------------------------------

    async def check(self, request: CheckRequest) -> CheckResponse:
        """Validate locally (the core's rules), filling in the autoname from the resource's own seed.

        The seed is the URN's project, stack and name, like the dynamic resource's (which adds the Pulumi
        org, which no plugin request carries), not the engine's random seed: the engine draws that afresh
        on every run unless an update plan carries it (pkg/resource/deploy/step_generator.go), so a name
        derived from it would differ between `pulumi preview` and `pulumi up`.
        """
        core = self._core(request.type)
        olds = to_plain_map(request.old_inputs)
        news = to_plain_map(request.new_inputs)
        stack, project, name = _urn_parts(request.urn)
        news.setdefault("autonamePrefix", olds.get("autonamePrefix") or name)
        if "autonameSeed" not in news:
            seed = olds.get("autonameSeed")
            if not isinstance(seed, str) or not seed:
                seed = f"{project}/{stack}/{name}"
            news["autonameSeed"] = seed
        # The core remembers the old name by URN: the engine checks a replacement again without olds.
        result = urn_context(request.urn).run(core.check, olds, news)
        inputs = reseal(result.inputs or {}, secret_paths(request.new_inputs))
        failures = [_failure(core, f.property, f.reason) for f in result.failures or []]
        return CheckResponse(inputs=from_plain_map(inputs), failures=failures)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        core = self._core(request.type)
        olds = to_plain_map(request.old_state)
        news = to_plain_map(request.new_inputs)
        result = core.diff(request.resource_id, olds, news)
        replaces = list(result.replaces or [])
        details = detailed_diff(core.TABLE, request.resource_id, olds, news, replaces, bool(result.changes))
        return DiffResponse(
            changes=bool(result.changes),
            replaces=replaces,
            delete_before_replace=bool(result.delete_before_replace),
            diffs=sorted({path.split(".", 1)[0].split("[", 1)[0] for path in details}),
            detailed_diff=details,
        )

    def _mark(self, core: PhoneNumberProviderBase, resource_id: str) -> str | None:
        """The credential mark of the current settings for a number (None without a key or a real id)."""
        settings = core._current_settings(need_key=False)  # noqa: SLF001 - the core's own settings
        if not settings.api_key or not resource_id or is_in_doubt(resource_id):
            return None
        message = f"{settings.base_url}\n{resource_id}".encode()
        return hmac.new(settings.api_key.encode(), message, hashlib.sha256).hexdigest()[:32]

    def _marked(
        self, core: PhoneNumberProviderBase, resource_id: str, outs: dict[str, Any]
    ) -> dict[str, Any]:
        mark = self._mark(core, resource_id)
        if mark is None:
            return outs
        return {**outs, CREDENTIAL_MARK: mark}

    def _moved(self, core: PhoneNumberProviderBase, resource_id: str, props: dict[str, Any]) -> bool:
        """Whether the number was reached with other settings (another key or base URL) than the current."""
        stored = strip(props).get(CREDENTIAL_MARK)
        return isinstance(stored, str) and bool(stored) and stored != self._mark(core, resource_id)

    @staticmethod
    def _moved_error(type_token: str, resource_id: str, action: str) -> VapiError:
        return VapiError(
            f"{type_token} {resource_id}: Vapi answers 404 for it, but it was created or last read with "
            f"another vapi:apiKey or vapi:baseUrl than the provider has now, and Vapi answers 404 for a "
            f"number of another org too; {action} stops here, since the number may still be bought in "
            f"the old org. Restore the provider's previous key and base URL (then move the "
            f"number deliberately), or, if the number really is gone, run "
            f"`pulumi state delete <urn>` for it"
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        core = self._core(request.type)
        props = to_plain_map(request.properties)
        result = await self._in_thread(request.urn, core.create, props)
        outs = reseal(dict(result.outs or {}), secret_paths(request.properties))
        return CreateResponse(
            resource_id=result.id, properties=from_plain_map(self._marked(core, result.id, outs))
        )

    async def read(self, request: ReadRequest) -> ReadResponse:
        """Refresh (state given) and `pulumi import` (only an id): GET the number, rebuild its inputs."""
        core = self._core(request.type)
        props = {**to_plain_map(request.inputs), **to_plain_map(request.properties)}
        result = await self._in_thread(request.urn, core.read, request.resource_id, props)
        if not result.id:
            if self._moved(core, request.resource_id, props):
                raise self._moved_error(request.type, request.resource_id, "refresh")
            return ReadResponse(resource_id="", properties={}, inputs={})
        marks = secret_paths({**request.inputs, **request.properties})
        outs = self._marked(core, result.id, reseal(dict(result.outs or {}), marks))
        inputs = reseal(dict(result.inputs or {}), marks)
        inputs.pop(CREDENTIAL_MARK, None)
        return ReadResponse(
            resource_id=result.id, properties=from_plain_map(outs), inputs=from_plain_map(inputs)
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        core = self._core(request.type)
        olds = to_plain_map(request.olds)
        news = to_plain_map(request.news)
        try:
            result = await self._in_thread(request.urn, core.update, request.resource_id, olds, news)
        except NotFoundError:
            if self._moved(core, request.resource_id, olds):
                raise self._moved_error(request.type, request.resource_id, "update") from None
            raise
        outs = reseal(dict(result.outs or {}), secret_paths({**request.olds, **request.news}))
        outs.pop(CREDENTIAL_MARK, None)
        if CREDENTIAL_MARK in olds:  # no API call may have been made: keep the mark of the last one
            outs[CREDENTIAL_MARK] = olds[CREDENTIAL_MARK]
        return UpdateResponse(properties=from_plain_map(outs))

    async def delete(self, request: DeleteRequest) -> None:
        core = self._core(request.type)
        props = to_plain_map(request.properties)
        if self._moved(core, request.resource_id, props):
            found = await self._in_thread(request.urn, self._exists, core, request.resource_id)
            if not found:
                raise self._moved_error(request.type, request.resource_id, "delete")
        await self._in_thread(request.urn, core.delete, request.resource_id, props)

    @staticmethod
    def _exists(core: PhoneNumberProviderBase, resource_id: str) -> bool:
        with core._client() as (client, _settings):  # noqa: SLF001 - the core's own client
            try:
                client.get_phone_number(resource_id)
            except NotFoundError:
                return False
        return True


def _failure(core: PhoneNumberProviderBase, prop: str, reason: str) -> CheckFailure:
    """A check failure the engine can print without a secret in it.

    The engine prints a failure that names a property with that input's whole value ("property
    authentication value {map[password:{...}]} has a problem"), masking only values marked secret. A
    program may pass a secret as a plain value (raw tokens, YAML, `pulumi.CustomResource`), so a
    failure on a property that holds a secret names no property: its reason names the field instead.
    """
    reason = native_wording(reason)
    holds_secret = any(p.wire == prop and p.secret_paths for p in core.TABLE)
    if not holds_secret:
        return CheckFailure(prop, reason)
    return CheckFailure("", reason if reason.startswith(prop) else f"{prop}: {reason}")


def _is_unknown(value: PropertyValue) -> bool:
    return isinstance(value.value, Computed)


def _only(key: str, value: Any, asked: str) -> Any:
    """A config getter that knows one key (to judge each setting on its own)."""
    return value if asked == key else None
