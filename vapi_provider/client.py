"""A small synchronous client for Vapi's phone-number API.

No Pulumi imports: the provider, the `orphans` command and tests all use this module directly.

Retry policy (the reason this module exists rather than calling httpx directly):

* GET, PATCH and DELETE are idempotent and are retried on connection errors, timeouts, 408, 429 and
  5xx.
* POST `/phone-number` buys a number. It is retried only when the request cannot have been committed:
  connect errors and connect/pool timeouts (nothing was sent), 429 and 503 (refused before processing).
  A POST whose outcome is unknown (read timeout, dropped connection, 500/502/504) is never repeated
  blindly: `create_phone_number` lists the org's numbers and adopts the one that matches the request's
  `sipUri` (compared case-insensitively) or `name` and did not exist before the POST. Only when no such
  number exists is the POST sent again, within the retry budget; see `create_phone_number`.
* Delays are jittered exponential backoff (0.5 s doubling to 8 s, minus up to 25 %), unless the
  response carries a `Retry-After` (or `retry-after-ms`) of 0 to 60 seconds, which is honoured.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from ._constants import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    LIST_LIMIT,
    LOGGER_NAME,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
)
from .errors import (
    AmbiguousMatchError,
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    CreateOutcomeUnknownError,
    InternalServerError,
    VapiConfigError,
    VapiError,
    make_status_error,
)
from .models import AnyPhoneNumber, PhoneNumberCreate, PhoneNumberUpdate, parse_phone_number

__all__ = ["RECONCILE_SKEW", "VapiClient", "format_time", "parse_time"]

RECONCILE_SKEW = timedelta(minutes=10)
SEARCH_PAGE = 100
"""Page size of `find_named` (a unique name matches one number; a substring may match a few more)."""
MAX_SEARCH_PAGES = 50
"""Pages `find_named` reads at most (a search that matches 5,000 numbers is not a unique name)."""
"""How much earlier than our clock Vapi may date a number this create bought (clock skew allowance)."""


logger = logging.getLogger(LOGGER_NAME)

_RETRYABLE_STATUS = frozenset({408, 429})
_POST_RETRYABLE_STATUS = frozenset({429, 503})
# A 500/502/504 on POST may come after the number was bought (e.g. a gateway gave up waiting).
_POST_UNKNOWN_STATUS = frozenset({500, 502, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class VapiClient:
    """Synchronous Vapi phone-number client.

    Usage::

        with VapiClient(api_key=key) as client:
            number = client.get_phone_number("3f1c...")

    Args:
        api_key: the org's private API key, sent as `Authorization: Bearer <key>`.
        base_url: `https://api.vapi.ai` by default; `https://api.eu.vapi.ai` for the EU region, or an
            emulator's URL.
        timeout: an `httpx.Timeout` (default 30 s, 5 s to connect).
        max_retries: retries after the first attempt (default 4).
        http_client: an `httpx.Client` to use instead of creating one (tests pass a MockTransport);
            the caller keeps ownership of it.
        sleep: how to wait between retries (tests pass `lambda _: None`).
    """

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise VapiConfigError("An API key is required (VapiClient(api_key=...)).")
        if not base_url.startswith(("https://", "http://")):
            raise VapiConfigError(f"The base URL must start with https:// or http://, got {base_url!r}.")
        if max_retries < 0:
            raise ValueError(f"Expected max_retries >= 0, got {max_retries}")
        self._api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self._sleep = sleep
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"VapiClient(base_url={self.base_url!r})"

    # --- lifecycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the underlying `httpx.Client` if this client created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> VapiClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- phone numbers -----------------------------------------------------------------------------

    def get_phone_number(self, phone_number_id: str) -> AnyPhoneNumber:
        """`GET /phone-number/{id}`. Raises `NotFoundError` when it does not exist (or is another org's)."""
        path = _item_path(phone_number_id)
        return self._parse("GET", path, self._request("GET", path))

    def list_phone_numbers(self, *, limit: int | None = LIST_LIMIT) -> list[AnyPhoneNumber]:
        """`GET /phone-number`: the org's numbers, newest first (at most `limit`, up to 1000).

        Items that do not parse as a phone number are skipped (logged at DEBUG).
        """
        return self._list_page({} if limit is None else {"limit": str(limit)})

    def _list_page(self, params: dict[str, str]) -> list[AnyPhoneNumber]:
        response = self._request("GET", "/phone-number", params=params)
        body = _json(response, "GET", "/phone-number")
        if isinstance(body, dict) and isinstance(body.get("results"), list):
            items = body["results"]  # tolerate the paginated envelope too
        elif isinstance(body, list):
            items = body
        else:
            raise APIResponseValidationError(
                "GET /phone-number returned neither a list nor {results: [...]}",
                method="GET",
                path="/phone-number",
                status_code=response.status_code,
            )
        numbers: list[AnyPhoneNumber] = []
        for item in items:
            try:
                numbers.append(parse_phone_number(item))
            except ValidationError:
                logger.debug("Skipping a list item that is not a phone number")
        return numbers

    def list_all_phone_numbers(self) -> list[AnyPhoneNumber]:
        """Every number of the org, newest first, however many there are.

        `GET /phone-number` returns at most 1,000 and has no cursor, so the window is moved back by
        `createdAtLe` (the oldest `createdAt` seen): numbers that share that instant are fetched again
        and de-duplicated by id, so none is skipped. One request for an org of fewer than 1,000.
        """
        seen: dict[str, AnyPhoneNumber] = {}
        params: dict[str, str] = {}
        while True:
            page = self._list_page({"limit": str(LIST_LIMIT), **params})
            fresh = [item for item in page if item.id not in seen]
            for item in fresh:
                seen[item.id] = item
            if len(page) < LIST_LIMIT or not fresh:
                return list(seen.values())
            oldest = min(item.created_at for item in page)
            params = {"createdAtLe": oldest}

    def find_phone_numbers(
        self, *, name: str | None = None, sip_uri: str | None = None, number: str | None = None
    ) -> list[AnyPhoneNumber]:
        """Every number of the org matching every given key (`list_all_phone_numbers`).

        `name` and `number` match exactly; `sip_uri` case-insensitively (Vapi treats it so).
        """
        found = []
        for item in self.list_all_phone_numbers():
            if name is not None and item.name != name:
                continue
            if not _same_sip_uri(item, sip_uri):
                continue
            if number is not None and getattr(item, "number", None) != number:
                continue
            found.append(item)
        return found

    def find_named(self, name: str) -> list[AnyPhoneNumber]:
        """The org's numbers named exactly `name`, whatever the org's size.

        `GET /v2/phone-number?search=<name>` matches name, number and sipUri by case-insensitive
        substring, so its answer holds only the few numbers that contain the name; they are filtered to
        the exact name here. Used with names that are unique by construction (an autoname, a create's
        claim name), so the answer is one short page: the cost does not grow with the org.
        """
        found: list[AnyPhoneNumber] = []
        page = 1
        while True:
            params = {"search": name, "limit": str(SEARCH_PAGE), "page": str(page)}
            response = self._request("GET", "/v2/phone-number", params=params)
            body = _json(response, "GET", "/v2/phone-number")
            items = body.get("results") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise APIResponseValidationError(
                    "GET /v2/phone-number returned no {results: [...]}",
                    method="GET",
                    path="/v2/phone-number",
                    status_code=response.status_code,
                )
            for item in items:
                try:
                    number = parse_phone_number(item)
                except ValidationError:
                    logger.debug("Skipping a search result that is not a phone number")
                    continue
                if number.name == name:
                    found.append(number)
            metadata = body.get("metadata")
            more = isinstance(metadata, dict) and metadata.get("hasNextPage") is True
            if not more or not items or page >= MAX_SEARCH_PAGES:
                return found
            page += 1

    def create_phone_number(self, body: PhoneNumberCreate, *, unique_name: bool = False) -> AnyPhoneNumber:
        """`POST /phone-number`, never buying a number twice and never taking a number it did not buy.

        A POST refused before processing (connect error, 429, 503) is retried. A POST whose outcome is
        unknown (read timeout, dropped connection, 500/502/504) is never sent again, since a list may
        lag behind a committed create. Instead the client lists the org's numbers once (after a backoff
        delay) and takes a number only when it can prove it is this create's own: the body's name is
        unique by construction (`unique_name`: an autoname, whose suffix is derived from this
        resource's stack and name), the number has that name (and the body's `sipUri`, if any), and Vapi
        created it no earlier than `RECONCILE_SKEW` before the attempt. Anything else (an explicit name,
        which Vapi does not keep unique; a list that does not show it yet; a list that fails) raises
        `CreateOutcomeUnknownError` with the candidate ids, and the caller records the create as in
        doubt for a later `refresh` to resolve. A unique name is looked up with `find_named` (one short
        search, whatever the org's size); a name that is not unique costs a list of the whole org before
        the POST, so that numbers that existed before are never candidates (the providers never send one:
        they POST a claim name, `naming.claim_name`).
        """
        wire = body.to_wire()
        secrets = _secret_values(body)
        sip_uri = getattr(body, "sip_uri", None)
        attempted = datetime.now(UTC)
        before: set[str] = set()
        if not unique_name and (body.name or sip_uri):
            before = {item.id for item in self._candidates(body.name, sip_uri, None)}
        try:
            response = self._request("POST", "/phone-number", json_body=wire, secrets=secrets)
            return self._parse("POST", "/phone-number", response)
        except (APIConnectionError, InternalServerError) as err:
            if isinstance(err, APIConnectionError) and not err.request_sent:
                raise
            if isinstance(err, InternalServerError) and err.status_code not in _POST_UNKNOWN_STATUS:
                raise
            cause: VapiError = err
        stamp = format_time(attempted)
        logger.debug("POST /phone-number outcome unknown (%s); reconciling", cause)
        self._sleep(self._backoff(1, None))
        try:
            if unique_name and body.name:
                found = self.find_created(body.name, sip_uri, since=attempted - RECONCILE_SKEW)
            else:
                found = [
                    item
                    for item in self._candidates(body.name, sip_uri, attempted - RECONCILE_SKEW)
                    if item.id not in before
                ]
        except VapiError as list_error:
            raise CreateOutcomeUnknownError(
                f"POST /phone-number: the outcome is unknown ({cause}) and listing the org's numbers to "
                f"check failed ({list_error}); a number may have been bought.",
                candidates=[],
                attempted_at=stamp,
                existing=sorted(before),
            ) from cause
        ids = sorted(item.id for item in found)
        if unique_name and len(found) == 1:
            logger.debug("Reconciled POST /phone-number: it created %s", found[0].id)
            return found[0]
        if unique_name and len(found) > 1:
            raise AmbiguousMatchError(
                f"POST /phone-number: the outcome was unknown and {len(ids)} new numbers have its unique "
                f"name: {', '.join(ids)}. Keep one with adopt=<id> and delete the others in Vapi.",
                ids=ids,
            ) from cause
        what = "none has appeared yet" if not ids else f"it may be one of {', '.join(ids)}"
        raise CreateOutcomeUnknownError(
            f"POST /phone-number: the outcome is unknown ({cause}); a number may have been bought, "
            f"and {what}.",
            candidates=ids,
            attempted_at=stamp,
            existing=sorted(before),
        ) from cause

    def find_created(
        self, name: str | None, sip_uri: str | None, *, since: datetime, unique: bool = True
    ) -> list[AnyPhoneNumber]:
        """Numbers named `name`, with this sipUri when given, that Vapi created at or after `since`.

        A `unique` name (an autoname or a claim name) is searched for (`find_named`); any other name
        costs a list of the whole org.
        """
        if not unique or name is None:
            return self._candidates(name, sip_uri, since)
        return [
            item
            for item in self.find_named(name)
            if _same_sip_uri(item, sip_uri) and (parse_time(item.created_at) or since) >= since
        ]

    def find_claimed(self, name: str, sip_uri: str | None) -> list[AnyPhoneNumber]:
        """Numbers named `name` (a unique name), with this sipUri when given, created at any time."""
        return [item for item in self.find_named(name) if _same_sip_uri(item, sip_uri)]

    def update_phone_number(self, phone_number_id: str, body: PhoneNumberUpdate) -> AnyPhoneNumber:
        """`PATCH /phone-number/{id}` with exactly the fields set on `body` (None clears a field)."""
        path = _item_path(phone_number_id)
        response = self._request("PATCH", path, json_body=body.to_wire(), secrets=_secret_values(body))
        return self._parse("PATCH", path, response)

    def delete_phone_number(self, phone_number_id: str) -> None:
        """`DELETE /phone-number/{id}`. For a Vapi-issued number this releases it for good."""
        self._request("DELETE", _item_path(phone_number_id))

    # --- internals ---------------------------------------------------------------------------------

    def _candidates(
        self, name: str | None, sip_uri: str | None, since: datetime | None
    ) -> list[AnyPhoneNumber]:
        found = self.find_phone_numbers(name=name, sip_uri=sip_uri)
        if since is None:
            return found
        return [item for item in found if (parse_time(item.created_at) or since) >= since]

    def _parse(self, method: str, path: str, response: httpx.Response) -> AnyPhoneNumber:
        body = _json(response, method, path)
        try:
            return parse_phone_number(body)
        except ValidationError as err:
            fields = ", ".join(sorted({".".join(str(p) for p in e["loc"]) for e in err.errors()}))
            raise APIResponseValidationError(
                f"{method} {path} returned a body that is not a phone number (fields: {fields})",
                method=method,
                path=path,
                status_code=response.status_code,
            ) from None

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        secrets: tuple[str, ...] = (),
    ) -> httpx.Response:
        """Send one logical request with retries. The only place transport errors are translated."""
        secrets = (self._api_key, *secrets)
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        is_post = method == "POST"
        attempt = 0
        while True:
            headers["X-Retry-Count"] = str(attempt)
            try:
                response = self._http.request(
                    method,
                    self.base_url + path,
                    json=json_body,
                    params=params,
                    headers=headers,
                    timeout=self._timeout,
                )
            except httpx.TransportError as err:
                sent = not isinstance(err, _NOT_SENT)
                kind = type(err).__name__
                retryable = not sent or not is_post
                if retryable and attempt < self.max_retries:
                    delay = self._backoff(attempt, None)
                    logger.debug("%s %s: %s; retry %d in %.2fs", method, path, kind, attempt + 1, delay)
                    self._sleep(delay)
                    attempt += 1
                    continue
                cls = APITimeoutError if isinstance(err, httpx.TimeoutException) else APIConnectionError
                what = "timed out" if cls is APITimeoutError else "could not get a response"
                raise cls(
                    f"{method} {path} {what} ({kind}) after {attempt + 1} attempt(s)",
                    method=method,
                    path=path,
                    request_sent=sent,
                ) from None
            if response.is_success:
                return response
            status = response.status_code
            if is_post:
                retryable = status in _POST_RETRYABLE_STATUS
            else:
                retryable = status in _RETRYABLE_STATUS or status >= 500
            if retryable and attempt < self.max_retries:
                delay = self._backoff(attempt, response)
                logger.debug("%s %s: status %d; retry %d in %.2fs", method, path, status, attempt + 1, delay)
                response.close()
                self._sleep(delay)
                attempt += 1
                continue
            raise make_status_error(method, path, response, secrets=secrets)

    def _backoff(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            retry_after = _retry_after_seconds(response.headers)
            if retry_after is not None and 0 <= retry_after <= MAX_RETRY_AFTER:
                return retry_after
        delay = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())


def _retry_after_seconds(headers: httpx.Headers) -> float | None:
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return float(raw_ms) / 1000.0
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()


def _same_sip_uri(number: AnyPhoneNumber, sip_uri: str | None) -> bool:
    return sip_uri is None or (getattr(number, "sip_uri", None) or "").lower() == sip_uri.lower()


def _item_path(phone_number_id: str) -> str:
    if not phone_number_id:
        raise ValueError(f"Expected a non-empty phone number id, got {phone_number_id!r}")
    return "/phone-number/" + quote(phone_number_id, safe="")


def _json(response: httpx.Response, method: str, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise APIResponseValidationError(
            f"{method} {path} returned a body that is not JSON",
            method=method,
            path=path,
            status_code=response.status_code,
        ) from None


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and `Z`, as Vapi writes `createdAt`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text: str | None) -> datetime | None:
    """A Vapi timestamp (`2026-01-01T00:00:00.000Z`) as an aware datetime; None if it is not one."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _secret_values(model: BaseModel) -> tuple[str, ...]:
    """Every `SecretStr` value inside a model, so error messages can mask them if Vapi echoes one."""
    return tuple(_walk_secrets(model))


def _walk_secrets(value: object) -> Iterator[str]:
    if isinstance(value, SecretStr):
        yield value.get_secret_value()
    elif isinstance(value, BaseModel):
        for field_name in type(value).model_fields:
            yield from _walk_secrets(getattr(value, field_name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk_secrets(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_secrets(item)
