"""The Starlette application: Vapi's phone-number routes, the admin routes, faults and metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import math
import operator
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._config import MAX_BODY_BYTES, EmulatorConfig
from ._errors import ApiError, envelope, error_response
from ._state import EmulatorState, Fault
from ._store import Record, format_timestamp
from ._validation import validate_create, validate_query, validate_update

__all__ = ["EmulatorApp", "create_app", "route_template"]

T = TypeVar("T")

_TRANSPORT_KEY = "vapi_emulator.transport"
_DROPPED_KEY = "vapi_emulator.dropped"
_COUNT_KEY = "vapi_emulator.count"
_ADMIN_PREFIX = "/__admin"
_ID_PATH = re.compile(r"^/phone-number/[^/]+$")
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_AREA_CODE_RE = re.compile(r"^[2-9][0-9]{2}$")
_DRAIN_LIMIT = 16 * MAX_BODY_BYTES

MISSING_AUTH = "Missing Authorization Header."
INVALID_KEY = (
    "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa."
)
NOT_FOUND = "Phone number not found"
AREA_CODE_OR_SIP_URI = "At least one of numberDesiredAreaCode, sipUri must be provided"


def route_template(path: str) -> str:
    """The route a public path belongs to, as used in metric keys; `<unknown>` for anything else."""
    if path in ("/phone-number", "/v2/phone-number"):
        return path
    if _ID_PATH.match(path):
        return "/phone-number/{id}"
    return "<unknown>"


def quota_message(quota: int) -> str:
    return (
        f"You have reached the limit of {quota} free Vapi phone numbers for this organization. "
        "Delete a number you no longer need or import one from Twilio, Vonage or Telnyx."
    )


def area_code_message(area_code: str) -> str:
    return f"No phone numbers available for area code {area_code}. Try a different area code."


def sip_uri_taken_message(sip_uri: str) -> str:
    return f"sipUri {sip_uri} is already in use. Choose a different SIP username."


# -- helpers --------------------------------------------------------------------------------------------


def _state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


async def _run_store(state: EmulatorState, fn: Callable[[], T]) -> T:
    """Run a store operation. With a data file, writes hold the store lock through an fsync, so every store
    operation then runs in a worker thread and the event loop stays free (latency, other connections)."""
    if state.store.data_file is None:
        return fn()
    return await anyio.to_thread.run_sync(fn)


def _org_for(request: Request) -> str:
    header = request.headers.get("authorization")
    if header is None or not header.strip():
        raise ApiError(401, MISSING_AUTH)
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, INVALID_KEY)
    org = _state(request).api_keys.get(token)
    if org is None:
        raise ApiError(401, INVALID_KEY)
    return org


async def _read_body(request: Request) -> bytes:
    """The request body, at most `MAX_BODY_BYTES`; a larger body is drained and answered 413."""
    declared = request.headers.get("content-length")
    too_large = declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES
    body = bytearray()
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > MAX_BODY_BYTES:
            too_large = True
            body.clear()
        if too_large:
            if seen > _DRAIN_LIMIT:
                break
            continue
        body += chunk
    if too_large:
        raise ApiError(413, "request entity too large")
    return bytes(body)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Unexpected token {name[0]} in JSON")


async def _read_json(request: Request) -> Any:
    """Parse a JSON request body the way Express's body-parser does (an empty body is `{}`)."""
    raw = await _read_body(request)
    if not raw.strip():
        return {}
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        shown = media_type or "none"
        raise ApiError(400, f"Unsupported Content-Type {shown}. Send the body as application/json.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ApiError(400, f"Invalid UTF-8 in JSON at position {err.start}") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ApiError(400, f"Unexpected token in JSON at position {err.pos}") from None
    except (ValueError, RecursionError) as err:
        raise ApiError(400, str(err) if isinstance(err, ValueError) else "JSON nesting too deep") from None


def _view(record: Record) -> dict[str, Any]:
    return dict(record.data)


def _bad_request(errors: list[str]) -> ApiError:
    return ApiError(400, errors)


class _DropConnection(Response):
    """Closes the client's connection without sending any response (the ambiguous create)."""

    def __init__(self) -> None:
        super().__init__(status_code=201)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_DROPPED_KEY] = True
        count = scope.get(_COUNT_KEY)
        if callable(count):
            count("dropped")  # before the client can notice the drop
        transport = scope.get(_TRANSPORT_KEY)
        if transport is not None and hasattr(transport, "close"):
            transport.close()
            # Wait until the server notices the closed connection, so that it does not try to answer.
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
        # No transport to close (another ASGI server): start a response and never finish it, which makes
        # the server close the connection mid-response. The client still sees a transport error.
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )


# -- public routes -------------------------------------------------------------------------------------


async def create_phone_number(request: Request) -> Response:
    body = await _read_json(request)
    org_id = _org_for(request)
    cleaned, errors = validate_create(body)
    if errors:
        raise _bad_request(errors)
    provider = cleaned["provider"]
    area_code = cleaned.get("numberDesiredAreaCode")
    sip_uri = cleaned.get("sipUri")
    if provider == "vapi" and not area_code and not sip_uri:
        raise ApiError(400, AREA_CODE_OR_SIP_URI)
    state = _state(request)
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
            data["status"] = "active"
        org[record.id] = record
        return _view(record)

    view = await _run_store(state, lambda: store.mutate(create))
    if state.roll_drop_after_create():
        return _DropConnection()
    return JSONResponse(view, status_code=201)


def _check_sip_uri_free(orgs: dict[str, dict[str, Record]], sip_uri: str, exclude_id: str | None) -> None:
    # SIP URIs route on a shared host (sip.vapi.ai), so they are unique across all orgs.
    wanted = sip_uri.casefold()
    for org in orgs.values():
        for record in org.values():
            existing = record.data.get("sipUri")
            if isinstance(existing, str) and existing.casefold() == wanted and record.id != exclude_id:
                raise ApiError(400, sip_uri_taken_message(sip_uri))


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


async def _select(request: Request, org_id: str, values: dict[str, Any]) -> list[Record]:
    keep = _date_filters(values)
    search = values.get("search")
    needle = search.casefold() if isinstance(search, str) and search else None
    ascending = values.get("sortOrder") == "ASC"

    def collect(orgs: dict[str, dict[str, Record]]) -> list[Record]:
        records = [r for r in orgs.get(org_id, {}).values() if keep(r)]
        if needle is not None:
            records = [r for r in records if _matches(r, needle)]
        records.sort(key=lambda r: (r.created, r.seq), reverse=not ascending)
        return records

    state = _state(request)
    return await _run_store(state, lambda: state.store.read(collect))


def _matches(record: Record, needle: str) -> bool:
    for key in ("name", "number", "sipUri"):
        value = record.data.get(key)
        if isinstance(value, str) and needle in value.casefold():
            return True
    return False


def _limit(values: dict[str, Any]) -> int:
    limit = values.get("limit")
    return 100 if limit is None else int(limit)


async def list_phone_numbers(request: Request) -> Response:
    org_id = _org_for(request)
    query = validate_query(request.query_params.multi_items(), "/phone-number")
    if query.errors:
        raise _bad_request(query.errors)
    records = await _select(request, org_id, query.values)
    return JSONResponse([_view(r) for r in records[: _limit(query.values)]])


async def list_phone_numbers_v2(request: Request) -> Response:
    org_id = _org_for(request)
    query = validate_query(request.query_params.multi_items(), "/v2/phone-number")
    if query.errors:
        raise _bad_request(query.errors)
    records = await _select(request, org_id, query.values)
    limit = _limit(query.values)
    page = int(query.values.get("page", 1))
    total = len(records)
    pages = math.ceil(total / limit) if limit > 0 else 0
    start = (page - 1) * limit
    results = [_view(r) for r in records[start : start + limit]] if limit > 0 else []
    metadata = {
        "itemsPerPage": limit,
        "totalItems": total,
        "currentPage": page,
        "totalPages": pages,
        "hasNextPage": page < pages,
        "sortOrder": query.values.get("sortOrder", "DESC"),
    }
    return JSONResponse({"results": results, "metadata": metadata})


async def _lookup(request: Request, org_id: str) -> Record:
    phone_number_id = request.path_params["id"]
    if not _UUID_RE.match(phone_number_id):
        raise ApiError(404, NOT_FOUND)

    def find(orgs: dict[str, dict[str, Record]]) -> Record | None:
        return orgs.get(org_id, {}).get(phone_number_id)

    state = _state(request)
    record = await _run_store(state, lambda: state.store.read(find))
    if record is None:
        raise ApiError(404, NOT_FOUND)
    return record


async def get_phone_number(request: Request) -> Response:
    org_id = _org_for(request)
    record = await _lookup(request, org_id)
    return JSONResponse(_view(record))


async def update_phone_number(request: Request) -> Response:
    body = await _read_json(request)
    org_id = _org_for(request)
    found = await _lookup(request, org_id)
    provider = str(found.data["provider"])
    result = validate_update(body, provider)
    if result.errors:
        raise _bad_request(result.errors)
    state = _state(request)
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
        record.updated = max(store.now(), record.updated)
        data["updatedAt"] = format_timestamp(record.updated)
        record.data = data
        return _view(record)

    view = await _run_store(state, lambda: store.mutate(update))
    return JSONResponse(view)


async def delete_phone_number(request: Request) -> Response:
    org_id = _org_for(request)
    found = await _lookup(request, org_id)
    state = _state(request)

    def delete(orgs: dict[str, dict[str, Record]]) -> dict[str, Any]:
        record = orgs.get(org_id, {}).pop(found.id, None)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return _view(record)

    view = await _run_store(state, lambda: state.store.mutate(delete))
    return JSONResponse(view)


# -- admin routes --------------------------------------------------------------------------------------


def _require_admin(request: Request) -> EmulatorState:
    state = _state(request)
    token = request.headers.get("x-admin-token", "")
    if not hmac.compare_digest(token.encode(), state.config.admin_token.encode()):
        raise ApiError(401, "Invalid or missing X-Admin-Token header.")
    return state


async def admin_metrics(request: Request) -> Response:
    return JSONResponse(_require_admin(request).metrics())


async def admin_reset_metrics(request: Request) -> Response:
    state = _require_admin(request)
    state.reset_metrics()
    return JSONResponse(state.metrics())


async def admin_get_config(request: Request) -> Response:
    return JSONResponse(_require_admin(request).config.live_view())


async def admin_set_config(request: Request) -> Response:
    state = _require_admin(request)
    body = await _read_json(request)
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object")
    try:
        config = state.configure(**body)
    except ValueError as err:
        raise ApiError(400, str(err)) from None
    return JSONResponse(config.live_view())


async def admin_fail_next(request: Request) -> Response:
    state = _require_admin(request)
    body = await _read_json(request)
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object")
    status = body.get("status")
    times = body.get("times", 1)
    headers = body.get("headers") or {}
    if isinstance(times, bool) or not isinstance(times, int):
        raise ApiError(400, "times must be an integer")
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ApiError(400, "headers must be an object of strings")
    try:
        if status == "drop":
            state.drop_next_creates(times)
        elif isinstance(status, int) and not isinstance(status, bool):
            state.fail_next(status, times, headers)
        else:
            raise ValueError('status must be 429, 500, 503 or "drop"')
    except ValueError as err:
        raise ApiError(400, str(err)) from None
    return JSONResponse({"status": status, "times": times})


async def admin_reset(request: Request) -> Response:
    state = _require_admin(request)
    await _run_store(state, state.reset)
    return JSONResponse(state.metrics())


async def admin_numbers(request: Request) -> Response:
    state = _require_admin(request)
    return JSONResponse(state.numbers(request.query_params.get("orgId")))


async def admin_block(request: Request) -> Response:
    state = _require_admin(request)
    phone_number_id = request.path_params["id"]
    view = await _run_store(state, lambda: state.block(phone_number_id))
    if view is None:
        raise ApiError(404, NOT_FOUND)
    return JSONResponse(view)


# -- error handlers and the outer middleware ------------------------------------------------------------


async def _api_error_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.headers)


async def _http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code in (404, 405):
        # NestJS has no 405: an unknown method on a known path is an unknown route.
        return error_response(404, f"Cannot {request.method} {request.url.path}")
    return error_response(exc.status_code, str(exc.detail))


async def _server_error_handler(_request: Request, _exc: Exception) -> Response:
    return error_response(500, "Internal server error")


class _PublicApiMiddleware:
    """Outermost layer: latency and fault injection, metrics, and the connection handle for drops.

    Only public API paths get latency and faults and are counted; `/__admin/` passes straight through.
    """

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if len(path) > 1 and path.endswith("/"):
            # Express routing is not strict about one trailing slash.
            path = path[:-1]
            scope = dict(scope, path=path, raw_path=path.encode())
        if path == _ADMIN_PREFIX or path.startswith(_ADMIN_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        # uvicorn's `send` is a bound method of the request cycle, which owns the connection's transport.
        scope[_TRANSPORT_KEY] = getattr(getattr(send, "__self__", None), "transport", None)
        counted: list[str] = []

        def count(outcome: str) -> None:
            # Counted before the client can see the outcome, so that a test that has its answer also
            # finds it in the metrics.
            if not counted:
                counted.append(outcome)
                self.state.count(f"{scope['method']} {route_template(path)} {outcome}")

        scope[_COUNT_KEY] = count

        async def send_and_observe(message: Message) -> None:
            if message["type"] == "http.response.start":
                count(str(message["status"]))
            await send(message)

        try:
            delay = self.state.roll_latency()
            if delay > 0:
                await asyncio.sleep(delay)
            fault = self.state.roll_fault()
            if fault is None:
                await self.app(scope, receive, send_and_observe)
            else:
                await self._answer_fault(fault, scope, receive, send_and_observe)
        finally:
            count("dropped" if scope.get(_DROPPED_KEY) else "none")

    async def _answer_fault(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        status = fault.status
        headers: dict[str, str] = {}
        if status == 429:
            message = "Rate limit exceeded"
            headers["Retry-After"] = _fmt_seconds(self.state.config.retry_after_seconds)
        elif status == 503:
            message = "Service Unavailable"
        else:
            message = "Internal server error"
        for name, value in fault.headers:
            headers = {k: v for k, v in headers.items() if k.lower() != name.lower()}
            headers[name] = value
        response = JSONResponse(envelope(status, message), status_code=status, headers=headers)
        await response(scope, receive, send)


def _fmt_seconds(seconds: float) -> str:
    return str(math.ceil(seconds)) if seconds != int(seconds) else str(int(seconds))


def create_app(config: EmulatorConfig | None = None, *, state: EmulatorState | None = None) -> EmulatorApp:
    """Build the ASGI app for `config` (or around an existing `state`).

    The app's `state.emulator` attribute is the `EmulatorState` (metrics, faults, store).
    """
    if state is None:
        state = EmulatorState(config or EmulatorConfig())
    routes = [
        Route("/phone-number", create_phone_number, methods=["POST"]),
        Route("/phone-number", list_phone_numbers, methods=["GET"]),
        Route("/v2/phone-number", list_phone_numbers_v2, methods=["GET"]),
        Route("/phone-number/{id}", get_phone_number, methods=["GET"]),
        Route("/phone-number/{id}", update_phone_number, methods=["PATCH"]),
        Route("/phone-number/{id}", delete_phone_number, methods=["DELETE"]),
        Route(f"{_ADMIN_PREFIX}/metrics", admin_metrics, methods=["GET"]),
        Route(f"{_ADMIN_PREFIX}/metrics/reset", admin_reset_metrics, methods=["POST"]),
        Route(f"{_ADMIN_PREFIX}/config", admin_get_config, methods=["GET"]),
        Route(f"{_ADMIN_PREFIX}/config", admin_set_config, methods=["POST"]),
        Route(f"{_ADMIN_PREFIX}/fail-next", admin_fail_next, methods=["POST"]),
        Route(f"{_ADMIN_PREFIX}/reset", admin_reset, methods=["POST"]),
        Route(f"{_ADMIN_PREFIX}/numbers", admin_numbers, methods=["GET"]),
        Route(f"{_ADMIN_PREFIX}/phone-number/{{id}}/block", admin_block, methods=["POST"]),
    ]
    app = EmulatorApp(
        state,
        routes=routes,
        exception_handlers={
            ApiError: _api_error_handler,
            HTTPException: _http_error_handler,
            Exception: _server_error_handler,
        },
    )
    app.router.redirect_slashes = False
    return app


class EmulatorApp(Starlette):
    """A Starlette app whose outermost layer is `_PublicApiMiddleware`.

    The layer sits outside Starlette's own middleware so that it sees the server's `send` callable,
    through which it reaches the connection to drop it (the ambiguous create).
    """

    def __init__(self, emulator_state: EmulatorState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state.emulator = emulator_state
        self._public = _PublicApiMiddleware(super().__call__, emulator_state)

    @property
    def emulator(self) -> EmulatorState:
        """The shared state: config, store, faults and metrics."""
        return self._public.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._public(scope, receive, send)
