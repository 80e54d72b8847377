"""Vapi's six phone-number routes: authentication, lookup, validation, business rules, storage, views."""

from __future__ import annotations

import copy
import math
import operator
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._config import SECRET_MASK, EmulatorConfig
from ._errors import INVALID_KEY, MISSING_AUTH, NOT_FOUND, ApiError
from ._http import context_of, emulator_state, read_json, run_store
from ._state import EmulatorState
from ._store import Record, format_timestamp
from ._validation import validate_create, validate_query, validate_update

__all__ = [
    "AREA_CODE_OR_SIP_URI",
    "TWILIO_CREDENTIALS",
    "area_code_message",
    "masked",
    "quota_message",
    "routes",
    "sip_uri_taken_message",
]

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_AREA_CODE_RE = re.compile(r"^[2-9][0-9]{2}$")

AREA_CODE_OR_SIP_URI = "At least one of numberDesiredAreaCode, sipUri must be provided"
TWILIO_CREDENTIALS = (
    "twilioAuthToken, or both twilioApiKey and twilioApiSecret, must be provided "
    "so that Vapi can configure the number on Twilio"
)


def quota_message(quota: int) -> str:
    return (
        f"You have reached the limit of {quota} free Vapi phone numbers for this organization. "
        "Delete a number you no longer need or import one from Twilio, Vonage or Telnyx."
    )


def area_code_message(area_code: str) -> str:
    return f"No phone numbers available for area code {area_code}. Try a different area code."


def sip_uri_taken_message(sip_uri: str) -> str:
    return f"sipUri {sip_uri} is already in use. Choose a different SIP username."


# -- views ---------------------------------------------------------------------------------------------


def masked(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its secrets replaced by `SECRET_MASK`: `authentication.password`, `twilioAuthToken`,
    `twilioApiSecret` and every `server.headers` value."""
    out = copy.deepcopy(data)
    for key in ("twilioAuthToken", "twilioApiSecret"):
        if isinstance(out.get(key), str):
            out[key] = SECRET_MASK
    authentication = out.get("authentication")
    if isinstance(authentication, dict) and isinstance(authentication.get("password"), str):
        authentication["password"] = SECRET_MASK
    server = out.get("server")
    if isinstance(server, dict) and isinstance(server.get("headers"), dict):
        server["headers"] = {name: SECRET_MASK for name in server["headers"]}
    return out


def _view(record: Record, config: EmulatorConfig) -> dict[str, Any]:
    """A number as a public response shows it."""
    return masked(record.data) if config.mask_secrets else dict(record.data)


# -- shared steps --------------------------------------------------------------------------------------


def _org_for(request: Request) -> str:
    header = request.headers.get("authorization")
    if header is None or not header.strip():
        raise ApiError(401, MISSING_AUTH)
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, INVALID_KEY)
    org = emulator_state(request).api_keys.get(token)
    if org is None:
        raise ApiError(401, INVALID_KEY)
    return org


def _check_sip_uri_free(orgs: dict[str, dict[str, Record]], sip_uri: str, exclude_id: str | None) -> None:
    # SIP URIs route on a shared host (sip.vapi.ai), so they are unique across all orgs.
    wanted = sip_uri.casefold()
    for org in orgs.values():
        for record in org.values():
            existing = record.data.get("sipUri")
            if isinstance(existing, str) and existing.casefold() == wanted and record.id != exclude_id:
                raise ApiError(400, sip_uri_taken_message(sip_uri))


def _check_twilio_credentials(data: dict[str, Any]) -> None:
    # Vapi must reach Twilio to point the number's webhooks at itself, with an auth token or an API key
    # and its secret (changelog 2025-04-27). The spec describes both ways; the error text is ours.
    if data.get("provider") != "twilio" or data.get("twilioAuthToken"):
        return
    if not (data.get("twilioApiKey") and data.get("twilioApiSecret")):
        raise ApiError(400, TWILIO_CREDENTIALS)


def _check_area_code(org: dict[str, Record], area_code: str, config: EmulatorConfig) -> None:
    held = sum(
        1 for r in org.values() if r.data.get("provider") == "vapi" and r.data.get("numberDesiredAreaCode")
    )
    if held >= config.free_number_quota:
        raise ApiError(400, quota_message(config.free_number_quota))
    if area_code in config.exhausted_area_codes or not _AREA_CODE_RE.match(area_code):
        raise ApiError(400, area_code_message(area_code))


def _assign_number(state: EmulatorState, orgs: dict[str, dict[str, Record]], area_code: str) -> str:
    taken = {
        value
        for org in orgs.values()
        for record in org.values()
        for value in (record.data.get("number"), record.pending_number)
        if value
    }
    for _ in range(1000):
        candidate = f"+1{area_code}{state.random_digits(7)}"
        if candidate not in taken:
            return candidate
    raise ApiError(400, area_code_message(area_code))


async def _lookup(request: Request, org_id: str) -> Record:
    phone_number_id = request.path_params["id"]
    if not _UUID_RE.match(phone_number_id):
        raise ApiError(404, NOT_FOUND)

    def find(orgs: dict[str, dict[str, Record]]) -> Record | None:
        return orgs.get(org_id, {}).get(phone_number_id)

    state = emulator_state(request)
    record = await run_store(state, lambda: state.store.read(find))
    if record is None:
        raise ApiError(404, NOT_FOUND)
    return record


# -- create --------------------------------------------------------------------------------------------


async def create_phone_number(request: Request) -> Response:
    body = await read_json(request)
    org_id = _org_for(request)
    cleaned, errors = validate_create(body)
    if errors:
        raise ApiError(400, errors)
    provider = cleaned["provider"]
    area_code = cleaned.get("numberDesiredAreaCode")
    sip_uri = cleaned.get("sipUri")
    if provider == "vapi" and not area_code and not sip_uri:
        raise ApiError(400, AREA_CODE_OR_SIP_URI)
    _check_twilio_credentials(cleaned)
    state = emulator_state(request)
    config = state.config
    store = state.store

    def create(orgs: dict[str, dict[str, Record]]) -> dict[str, Any]:
        if isinstance(sip_uri, str):
            _check_sip_uri_free(orgs, sip_uri, exclude_id=None)
        org = store.org(orgs, org_id)
        pending: str | None = None
        if provider == "vapi" and isinstance(area_code, str):
            _check_area_code(org, area_code, config)
            pending = _assign_number(state, orgs, area_code)
        now = store.now()
        stamp = format_timestamp(now)
        data: dict[str, Any] = {"id": store.new_id(), "orgId": org_id, **cleaned, "createdAt": stamp}
        data["updatedAt"] = stamp
        record = Record(data=data, seq=store.next_seq(), created=now, updated=now)
        if pending is not None:
            data["status"] = "activating"
            record.activate_at = now + config.activation_delay_seconds
            record.pending_number = pending
            record.materialise(store.now())
        else:
            # SIP-only vapi numbers and every imported number (twilio, vonage, telnyx, byo) are usable
            # at once: there is nothing to provision.
            data["status"] = "active"
        org[record.id] = record
        return _view(record, config)

    view = await run_store(state, lambda: store.mutate(create))
    return JSONResponse(view, status_code=201)


# -- lists ---------------------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_COMPARISONS: tuple[tuple[str, Callable[[int, int], bool]], ...] = (
    ("Gt", operator.gt),
    ("Lt", operator.lt),
    ("Ge", operator.ge),
    ("Le", operator.le),
)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _date_filters(values: dict[str, Any]) -> Callable[[Record], bool]:
    """The createdAt/updatedAt filters as one predicate, compared in whole microseconds."""
    checks: list[tuple[str, Callable[[int, int], bool], int]] = []
    for field_name, attr in (("createdAt", "created"), ("updatedAt", "updated")):
        for suffix, compare in _COMPARISONS:
            bound = values.get(field_name + suffix)
            if isinstance(bound, datetime):
                checks.append((attr, compare, _micros(bound)))

    def keep(record: Record) -> bool:
        return all(
            compare(round(getattr(record, attr) * 1000) * 1000, limit) for attr, compare, limit in checks
        )

    return keep


def _matches(record: Record, needle: str) -> bool:
    for key in ("name", "number", "sipUri"):
        value = record.data.get(key)
        if isinstance(value, str) and needle in value.casefold():
            return True
    return False


async def _select(request: Request, org_id: str, values: dict[str, Any]) -> list[Record]:
    keep = _date_filters(values)
    search = values.get("search")
    needle = search.casefold() if isinstance(search, str) and search else None
    ascending = values.get("sortOrder") == "ASC"
    state = emulator_state(request)
    ctx = context_of(request)
    lag = ctx.list_lag_seconds if ctx is not None else 0.0

    def collect(orgs: dict[str, dict[str, Record]]) -> list[Record]:
        records = [r for r in orgs.get(org_id, {}).values() if keep(r)]
        if lag > 0:
            # The list-lag fault: a lagging replica has not seen the newest creates yet.
            visible_before = state.store.now() - lag
            records = [r for r in records if r.created <= visible_before]
        if needle is not None:
            records = [r for r in records if _matches(r, needle)]
        records.sort(key=lambda r: (r.created, r.seq), reverse=not ascending)
        return records

    return await run_store(state, lambda: state.store.read(collect))


def _limit(values: dict[str, Any]) -> int:
    limit = values.get("limit")
    return 100 if limit is None else int(limit)


async def list_phone_numbers(request: Request) -> Response:
    org_id = _org_for(request)
    query = validate_query(request.query_params.multi_items(), "/phone-number")
    if query.errors:
        raise ApiError(400, query.errors)
    records = await _select(request, org_id, query.values)
    config = emulator_state(request).config
    return JSONResponse([_view(r, config) for r in records[: _limit(query.values)]])


async def list_phone_numbers_v2(request: Request) -> Response:
    org_id = _org_for(request)
    query = validate_query(request.query_params.multi_items(), "/v2/phone-number")
    if query.errors:
        raise ApiError(400, query.errors)
    records = await _select(request, org_id, query.values)
    config = emulator_state(request).config
    limit = _limit(query.values)
    page = int(query.values.get("page", 1))
    total = len(records)
    pages = math.ceil(total / limit) if limit > 0 else 0
    start = (page - 1) * limit
    results = [_view(r, config) for r in records[start : start + limit]] if limit > 0 else []
    metadata = {
        "itemsPerPage": limit,
        "totalItems": total,
        "currentPage": page,
        "totalPages": pages,
        "hasNextPage": page < pages,
        "sortOrder": query.values.get("sortOrder", "DESC"),
    }
    return JSONResponse({"results": results, "metadata": metadata})


# -- one number ----------------------------------------------------------------------------------------


async def get_phone_number(request: Request) -> Response:
    org_id = _org_for(request)
    record = await _lookup(request, org_id)
    return JSONResponse(_view(record, emulator_state(request).config))


async def update_phone_number(request: Request) -> Response:
    body = await read_json(request)
    org_id = _org_for(request)
    found = await _lookup(request, org_id)
    provider = str(found.data["provider"])
    result = validate_update(body, provider)
    if result.errors:
        raise ApiError(400, result.errors)
    state = emulator_state(request)
    store = state.store
    sip_uri = result.changes.get("sipUri")

    def update(orgs: dict[str, dict[str, Record]]) -> dict[str, Any]:
        record = orgs.get(org_id, {}).get(found.id)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        if isinstance(sip_uri, str):
            _check_sip_uri_free(orgs, sip_uri, exclude_id=record.id)
        data = dict(record.data)
        for key in result.cleared:
            data.pop(key, None)
        data.update(result.changes)
        _check_twilio_credentials(data)
        record.updated = max(store.now(), record.updated)
        data["updatedAt"] = format_timestamp(record.updated)
        record.data = data
        return _view(record, state.config)

    view = await run_store(state, lambda: store.mutate(update))
    return JSONResponse(view)


async def delete_phone_number(request: Request) -> Response:
    org_id = _org_for(request)
    found = await _lookup(request, org_id)
    state = emulator_state(request)

    def delete(orgs: dict[str, dict[str, Record]]) -> dict[str, Any]:
        record = orgs.get(org_id, {}).pop(found.id, None)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return _view(record, state.config)

    view = await run_store(state, lambda: state.store.mutate(delete))
    return JSONResponse(view)


def routes() -> list[Route]:
    """The six public routes of Vapi's phone-number API."""
    return [
        Route("/phone-number", create_phone_number, methods=["POST"]),
        Route("/phone-number", list_phone_numbers, methods=["GET"]),
        Route("/v2/phone-number", list_phone_numbers_v2, methods=["GET"]),
        Route("/phone-number/{id}", get_phone_number, methods=["GET"]),
        Route("/phone-number/{id}", update_phone_number, methods=["PATCH"]),
        Route("/phone-number/{id}", delete_phone_number, methods=["DELETE"]),
    ]
