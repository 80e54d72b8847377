"""Request plumbing shared by every route: body reading with its size limit, JSON parsing the way Express's
body-parser does it, the error handlers that answer with the NestJS envelope, and the request metrics."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from ._errors import ApiError, error_response

if TYPE_CHECKING:
    from ._state import EmulatorState

__all__ = [
    "ADMIN_PREFIX",
    "CONTEXT_KEY",
    "HANDLERS",
    "RequestContext",
    "api_error_handler",
    "client_disconnect_handler",
    "context_of",
    "emulator_state",
    "http_error_handler",
    "json_error_position",
    "open_context",
    "read_body",
    "read_json",
    "route_key",
    "route_template",
    "run_store",
    "server_error_handler",
]

T = TypeVar("T")

ADMIN_PREFIX = "/__admin"
CONTEXT_KEY = "vapi_emulator.request"
_ID_PATH = re.compile(r"^/phone-number/[^/]+$")
_DRAIN_FACTOR = 16
"""A body over the limit is read (and thrown away) up to this many times the limit before the 413, so that
the client reads the answer instead of an error from writing into a closed socket."""


def route_template(path: str) -> str:
    """The route a public path belongs to, as used in metric keys; `<unknown>` for anything else."""
    if path in ("/phone-number", "/v2/phone-number"):
        return path
    if _ID_PATH.match(path):
        return "/phone-number/{id}"
    return "<unknown>"


def route_key(method: str, path: str) -> str:
    """`"<METHOD> <route template>"`, e.g. `GET /phone-number/{id}`: how metrics and faults name routes."""
    return f"{method} {route_template(path)}"


@dataclass
class RequestContext:
    """What the outer layer knows about one public request; stored in the ASGI scope under `CONTEXT_KEY`."""

    route: str
    """`"<METHOD> <route template>"`."""
    count: Callable[[str], None]
    """Count the request's outcome once (a status, `dropped`, `abandoned`); later calls do nothing."""
    transport: Any = None
    """The server's connection transport when the server exposes it (uvicorn), for dropping it."""
    list_lag_seconds: float = 0.0
    """Lists leave out numbers younger than this (a fault; see `_faults`)."""
    outcome: str | None = None
    """`dropped` or `abandoned` when no response was sent."""


def open_context(state: EmulatorState, scope: Scope, send: Send) -> tuple[RequestContext, Send]:
    """The context of a new public request, and a `send` that counts the status it answers with.

    A request is counted exactly once, before the client can see the outcome, so that a test that has its
    answer also finds it in the metrics.
    """
    route = route_key(scope["method"], scope["path"])
    counted = False

    def count(outcome: str) -> None:
        nonlocal counted
        if not counted:
            counted = True
            state.count(f"{route} {outcome}")

    # uvicorn's `send` is a bound method of the request cycle, which owns the connection's transport.
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    ctx = RequestContext(route=route, count=count, transport=transport)

    async def send_and_count(message: Message) -> None:
        if message["type"] == "http.response.start":
            count(str(message["status"]))
        await send(message)

    return ctx, send_and_count


def context_of(request: Request) -> RequestContext | None:
    ctx = request.scope.get(CONTEXT_KEY)
    return ctx if isinstance(ctx, RequestContext) else None


def emulator_state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, at most `limit` bytes; a larger body is drained and answered 413.

    A client that disconnects before its body is complete raises starlette's `ClientDisconnect`, which
    `client_disconnect_handler` turns into no answer at all.
    """
    declared = request.headers.get("content-length")
    too_large = declared is not None and declared.isdigit() and int(declared) > limit
    body = bytearray()
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            too_large = True
            body.clear()
        if too_large:
            if seen > _DRAIN_FACTOR * limit:
                break
            continue
        body += chunk
    if too_large:
        raise ApiError(413, "request entity too large")
    return bytes(body)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Unexpected token {name[0]} in JSON")


def json_error_position(text: str, err: json.JSONDecodeError) -> int:
    """Where JavaScript's `JSON.parse` reports the error: at the unexpected character.

    Python 3.13 reports a trailing comma (`{"a": 1,}`) at the comma, where 3.11 and 3.12 (and V8) report
    the character after it; the message, not the version, tells the cases apart.
    """
    if not err.msg.startswith("Illegal trailing comma"):
        return err.pos
    after = err.pos + 1
    while after < len(text) and text[after] in " \t\n\r":
        after += 1
    return after


async def read_json(request: Request) -> Any:
    """Parse a JSON request body the way Express's body-parser does (an empty body is `{}`)."""
    raw = await read_body(request, emulator_state(request).config.max_body_bytes)
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
        position = json_error_position(text, err)
        raise ApiError(400, f"Unexpected token in JSON at position {position}") from None
    except (ValueError, RecursionError) as err:
        raise ApiError(400, str(err) if isinstance(err, ValueError) else "JSON nesting too deep") from None


# -- error handlers --------------------------------------------------------------------------------------


async def api_error_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.headers)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code in (404, 405):
        # NestJS has no 405: an unknown method on a known path is an unknown route.
        return error_response(404, f"Cannot {request.method} {request.url.path}")
    return error_response(exc.status_code, str(exc.detail))


class _NoAnswer(Response):
    """Sends nothing: the client is gone (uvicorn then neither answers nor logs)."""

    def __init__(self) -> None:
        super().__init__(status_code=499)

    async def __call__(self, _scope: Scope, _receive: Receive, _send: Send) -> None:
        return None


async def client_disconnect_handler(request: Request, _exc: Exception) -> Response:
    """The client disconnected before its body was complete: nothing to answer, nothing stored."""
    ctx = context_of(request)
    if ctx is not None:
        ctx.outcome = "abandoned"
    return _NoAnswer()


async def server_error_handler(_request: Request, _exc: Exception) -> Response:
    return error_response(500, "Internal server error")


HANDLERS: dict[Any, Callable[[Request, Exception], Any]] = {
    ApiError: api_error_handler,
    HTTPException: http_error_handler,
    ClientDisconnect: client_disconnect_handler,
    Exception: server_error_handler,
}
"""The app's exception handlers (`Exception` is the last resort: the envelope with a 500)."""


async def run_store(state: EmulatorState, fn: Callable[[], T]) -> T:
    """Run a store operation. With a data file, writes hold the store lock through an fsync, so every store
    operation then runs in a worker thread and the event loop stays free (latency, other connections)."""
    if state.store.data_file is None:
        return fn()
    return await anyio.to_thread.run_sync(fn)
