"""Fault injection for the public API: one decision per request, carried out around the app.

Every injected fault goes through `FaultInjector.plan`, called once per public request before anything else
happens to it. It returns a `Plan` (the latency to add, at most one `Action`, and the list lag) and
`run_plan` carries the plan out around the Starlette app. The sources of a plan, in the order they are
consulted:

1. armed rules (`fail_on`, `fail_auth_from`, `delay_on`, `drop_on`, `POST /__admin/faults`): "on the Nth
   request of this route (counted from when the rule was armed), for `times` requests";
2. the `fail_next` queue of statuses (the next public requests, whatever their route);
3. the random rates `rate_429`, `rate_500`, `rate_503`;
4. queued drops (`fail_next("drop")`) and `drop_after_create_rate`, for `POST /phone-number` only.

The first source that yields an action wins. Every armed rule counts every request of its route, even one
that another rule or source answered.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._config import EmulatorConfig
from ._errors import INVALID_KEY, NOT_FOUND, envelope, reason
from ._http import RequestContext

__all__ = [
    "CREATE_ROUTE",
    "FAULT_KINDS",
    "LIST_ROUTES",
    "ROUTES",
    "Delay",
    "Drop",
    "FaultInjector",
    "Plan",
    "Reply",
    "Rule",
    "parse_fault",
    "run_plan",
]

CREATE_ROUTE = "POST /phone-number"
ROUTES: tuple[str, ...] = (
    CREATE_ROUTE,
    "GET /phone-number",
    "GET /v2/phone-number",
    "GET /phone-number/{id}",
    "PATCH /phone-number/{id}",
    "DELETE /phone-number/{id}",
)
"""The public routes as the metrics name them: `<METHOD> <route template>`."""
LIST_ROUTES = frozenset({"GET /phone-number", "GET /v2/phone-number"})
FAULT_KINDS: tuple[str, ...] = ("status", "auth", "delay", "drop")
LEGACY_STATUSES = frozenset({429, 500, 503})
"""What `fail_next` accepts (armed `status` rules take any 4xx or 5xx)."""

DEFAULT_MESSAGES: dict[int, str] = {
    401: INVALID_KEY,
    403: "Forbidden resource",
    404: NOT_FOUND,
    429: "Rate limit exceeded",
    500: "Internal server error",
    503: "Service Unavailable",
}
"""The envelope `message` of an injected status without a `message` or `body` of its own; other statuses
use their reason phrase."""


@dataclass(frozen=True)
class Reply:
    """Answer with `status` instead of the app's answer."""

    status: int
    message: str | None = None
    """The envelope's `message`; `None` means `DEFAULT_MESSAGES` or the reason phrase."""
    body: Any = None
    """A JSON body sent verbatim instead of the envelope (not `None`)."""
    headers: tuple[tuple[str, str], ...] = ()
    """Extra headers; they override the default `Retry-After` of a 429."""
    commit: bool = False
    """Handle the request first (so a create is stored), then answer this instead."""


@dataclass(frozen=True)
class Delay:
    """Hold the request or its answer for `seconds`."""

    seconds: float
    commit: bool = False
    """False: hold the request, then handle it only if the client is still connected (a client that
    timed out leaves nothing behind). True: handle it at once (a create is stored), then hold the answer."""


@dataclass(frozen=True)
class Drop:
    """Close the connection without sending a single response byte."""

    commit: bool = True
    """True: handle the request first (a create is stored), then drop instead of answering."""
    only_on_success: bool = False
    """Drop only a 2xx answer; an error is answered as usual."""
    claim: Callable[[], bool] | None = field(default=None, compare=False)
    """Called at the moment of dropping; the drop happens only if it returns True (queued drops are
    shared by concurrent creates, and only the first successful one takes it)."""


Action = Reply | Delay | Drop


@dataclass
class Rule:
    """An armed fault: `action` on the `nth` .. `nth + times - 1`-th request of `route` (None: any public
    request), counted from when the rule was armed; `times` None means every request from the `nth` on."""

    kind: str
    action: Action
    route: str | None = None
    nth: int = 1
    times: int | None = 1
    seen: int = 0
    fired: int = 0

    def describe(self) -> dict[str, Any]:
        """A JSON view for `GET /__admin/faults`."""
        out: dict[str, Any] = {"kind": self.kind, "route": self.route, "nth": self.nth, "times": self.times}
        action = self.action
        if isinstance(action, Reply):
            out.update(status=action.status, commit=action.commit)
            if action.message is not None:
                out["message"] = action.message
            if action.body is not None:
                out["body"] = action.body
            if action.headers:
                out["headers"] = dict(action.headers)
        elif isinstance(action, Delay):
            out.update(seconds=action.seconds, commit=action.commit)
        else:
            out["commit"] = action.commit
        out.update(seen=self.seen, fired=self.fired)
        return out


@dataclass(frozen=True)
class Plan:
    """What happens to one public request."""

    latency: float = 0.0
    action: Action | None = None
    list_lag_seconds: float = 0.0


_FIELDS: dict[str, frozenset[str]] = {
    "status": frozenset({"kind", "route", "nth", "times", "status", "message", "body", "headers", "commit"}),
    "auth": frozenset({"kind", "nth", "times", "message", "headers"}),
    "delay": frozenset({"kind", "route", "nth", "times", "seconds", "commit"}),
    "drop": frozenset({"kind", "route", "nth", "times", "commit"}),
}


def _integer(spec: Mapping[str, Any], name: str, default: int, hint: str) -> int:
    value = spec.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1 ({hint}); got {value!r}")
    return value


def _headers(spec: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    headers = spec.get("headers") or {}
    if not isinstance(headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ValueError('headers must be an object of strings, e.g. {"Retry-After": "0"}')
    return tuple(headers.items())


def _commit(spec: Mapping[str, Any], default: bool) -> bool:
    value = spec.get("commit", default)
    if not isinstance(value, bool):
        raise ValueError(f"commit must be true or false; got {value!r}")
    return value


def parse_fault(spec: Mapping[str, Any]) -> Rule:
    """Build an armed rule from its JSON description (the body of `POST /__admin/faults`).

    Raises `ValueError` with a message that names the bad field and what it accepts.
    """
    kind = spec.get("kind")
    if kind not in _FIELDS:
        raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}; got {kind!r}")
    unknown = sorted(set(spec) - _FIELDS[kind])
    if unknown:
        allowed = ", ".join(sorted(_FIELDS[kind] - {"kind"}))
        raise ValueError(f"unknown field(s) for a {kind} fault: {', '.join(unknown)}; allowed: {allowed}")
    route = spec.get("route")
    if route is not None and route not in ROUTES:
        raise ValueError(
            f"route must be one of {', '.join(ROUTES)} (or null for every public request); got {route!r}"
        )
    nth = _integer(spec, "nth", 1, "1 is the next matching request")
    times: int | None = 1 if kind != "auth" else None
    if "times" in spec:
        times = None if spec["times"] is None else _integer(spec, "times", 1, "null means no end")
    action: Action
    if kind in ("status", "auth"):
        status = 401 if kind == "auth" else spec.get("status")
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status from 400 to 599; got {status!r}")
        message = spec.get("message")
        if message is not None and not isinstance(message, str):
            raise ValueError(f"message must be a string; got {message!r}")
        action = Reply(
            status,
            message=message,
            body=spec.get("body"),
            headers=_headers(spec),
            commit=_commit(spec, False),
        )
    elif kind == "delay":
        seconds = spec.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= 3600:
            raise ValueError(f"seconds must be a number of seconds in (0, 3600]; got {seconds!r}")
        action = Delay(float(seconds), commit=_commit(spec, False))
    else:
        action = Drop(commit=_commit(spec, True))
    return Rule(kind=str(kind), action=action, route=route, nth=nth, times=times)


class FaultInjector:
    """The fault state of one emulator: armed rules, the `fail_next` queue, queued drops and the random
    generator of rates and jitter. Safe to use from any thread."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._rules: list[Rule] = []
        self._queue: deque[Reply] = deque()
        self._queued_drops = 0

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self._rng = random.Random(seed)

    def clear(self) -> None:
        """Disarm every rule and empty the queues (the rates live in the config)."""
        with self._lock:
            self._rules.clear()
            self._queue.clear()
            self._queued_drops = 0

    def arm(self, rule: Rule) -> None:
        with self._lock:
            self._rules.append(rule)

    def fail_next(self, status: int, times: int = 1, headers: Mapping[str, str] | None = None) -> None:
        """Queue `status` (429, 500 or 503) for the next `times` public requests."""
        if status not in LEGACY_STATUSES:
            raise ValueError(f"status must be one of {sorted(LEGACY_STATUSES)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        extra = tuple((str(k), str(v)) for k, v in (headers or {}).items())
        with self._lock:
            self._queue.extend([Reply(status, headers=extra)] * times)

    def drop_next_creates(self, times: int = 1) -> None:
        """Store the next `times` successful creates, then drop their connections without answering."""
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queued_drops += times

    def describe(self) -> dict[str, Any]:
        """Armed rules (with how many matching requests each has seen) and the queues."""
        with self._lock:
            return {
                "rules": [rule.describe() for rule in self._rules],
                "queued": [{"status": r.status, "headers": dict(r.headers)} for r in self._queue],
                "queuedDrops": self._queued_drops,
            }

    def _claim_queued_drop(self) -> bool:
        with self._lock:
            if self._queued_drops > 0:
                self._queued_drops -= 1
                return True
            return False

    def plan(self, route: str, config: EmulatorConfig) -> Plan:
        """THE entry point: decide every injected fault of one public request of `route`
        (`"<METHOD> <route template>"`, as the metrics name it)."""
        with self._lock:
            latency = config.latency_seconds
            if config.latency_jitter_seconds > 0:
                latency += self._rng.uniform(0.0, config.latency_jitter_seconds)
            action = self._from_rules(route)
            if action is None and self._queue:
                action = self._queue.popleft()
            if action is None:
                action = self._from_rates(config)
            if action is None and route == CREATE_ROUTE:
                if self._queued_drops > 0:
                    action = Drop(commit=True, only_on_success=True, claim=self._claim_queued_drop)
                elif config.drop_after_create_rate > 0 and self._rng.random() < config.drop_after_create_rate:
                    action = Drop(commit=True, only_on_success=True)
        lag = config.list_lag_seconds if route in LIST_ROUTES else 0.0
        return Plan(latency=latency, action=action, list_lag_seconds=lag)

    def _from_rules(self, route: str) -> Action | None:
        chosen: Action | None = None
        kept: list[Rule] = []
        for rule in self._rules:
            if rule.route is None or rule.route == route:
                rule.seen += 1
                last = None if rule.times is None else rule.nth + rule.times - 1
                in_window = rule.seen >= rule.nth and (last is None or rule.seen <= last)
                if in_window and chosen is None:
                    chosen = rule.action
                    rule.fired += 1
                if last is not None and rule.seen >= last:
                    continue  # its last request has come: disarmed
            kept.append(rule)
        self._rules = kept
        return chosen

    def _from_rates(self, config: EmulatorConfig) -> Action | None:
        total = config.rate_429 + config.rate_500 + config.rate_503
        if total <= 0:
            return None
        draw = self._rng.random()
        if draw < config.rate_429:
            return Reply(429)
        if draw < config.rate_429 + config.rate_500:
            return Reply(500)
        if draw < total:
            return Reply(503)
        return None


# -- carrying a plan out ---------------------------------------------------------------------------------


def _fmt_seconds(seconds: float) -> str:
    return str(math.ceil(seconds)) if seconds != int(seconds) else str(int(seconds))


def _reply_response(reply: Reply, config: EmulatorConfig) -> JSONResponse:
    headers: dict[str, str] = {}
    if reply.status == 429:
        headers["Retry-After"] = _fmt_seconds(config.retry_after_seconds)
    for name, value in reply.headers:
        headers = {k: v for k, v in headers.items() if k.lower() != name.lower()}
        headers[name] = value
    if reply.body is not None:
        return JSONResponse(reply.body, status_code=reply.status, headers=headers)
    message = reply.message or DEFAULT_MESSAGES.get(reply.status) or reason(reply.status)
    return JSONResponse(envelope(reply.status, message), status_code=reply.status, headers=headers)


async def _discard(_message: Message) -> None:
    return None


async def _drop_connection(ctx: RequestContext, receive: Receive, send: Send) -> None:
    """Close the client's connection without a response byte, counted as `dropped` before the client can
    notice. uvicorn's `send` is a bound method of its request cycle, which owns the connection's transport;
    after closing it, wait for the disconnect so that uvicorn does not try to answer in our place."""
    ctx.outcome = "dropped"
    ctx.count("dropped")
    transport = ctx.transport
    if transport is not None and hasattr(transport, "close"):
        transport.close()
        while (await receive())["type"] != "http.disconnect":
            pass
        return
    # No transport to close (another ASGI server): start a response and never finish it, which makes the
    # server close the connection mid-response. The client still sees a transport error.
    await send(
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )


async def _hold_request(seconds: float, receive: Receive) -> list[Message] | None:
    """Read the whole request body, then wait `seconds`; the buffered messages, or None if the client
    disconnected meanwhile."""
    buffered: list[Message] = []
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        buffered.append(message)
        more = bool(message.get("more_body", False))
    try:
        # With the body read, the server's next message can only be the disconnect.
        message = await asyncio.wait_for(receive(), timeout=seconds)
    except TimeoutError:
        return buffered
    return None if message["type"] == "http.disconnect" else buffered


async def run_plan(
    plan: Plan,
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    ctx: RequestContext,
    config: EmulatorConfig,
) -> None:
    """Serve one public request through `app` with `plan` applied."""
    ctx.list_lag_seconds = plan.list_lag_seconds
    if plan.latency > 0:
        await asyncio.sleep(plan.latency)
    action = plan.action
    if action is None:
        await app(scope, receive, send)
    elif isinstance(action, Reply):
        if action.commit:
            await app(scope, receive, _discard)
        await _reply_response(action, config)(scope, receive, send)
    elif isinstance(action, Delay):
        await _run_delay(action, app, scope, receive, send, ctx)
    else:
        await _run_drop(action, app, scope, receive, send, ctx)


async def _run_delay(
    delay: Delay, app: ASGIApp, scope: Scope, receive: Receive, send: Send, ctx: RequestContext
) -> None:
    if delay.commit:

        async def send_late(message: Message) -> None:
            if message["type"] == "http.response.start":
                await asyncio.sleep(delay.seconds)
            await send(message)

        await app(scope, receive, send_late)
        return
    buffered = await _hold_request(delay.seconds, receive)
    if buffered is None:
        ctx.outcome = "abandoned"
        return

    async def replay() -> Message:
        return buffered.pop(0) if buffered else await receive()

    await app(scope, replay, send)


async def _run_drop(
    drop: Drop, app: ASGIApp, scope: Scope, receive: Receive, send: Send, ctx: RequestContext
) -> None:
    if not drop.commit:
        await _drop_connection(ctx, receive, send)
        return
    dropped = False
    passing = False

    async def send_or_drop(message: Message) -> None:
        nonlocal dropped, passing
        if message["type"] == "http.response.start" and not passing and not dropped:
            success = 200 <= int(message["status"]) < 300
            if (success or not drop.only_on_success) and (drop.claim is None or drop.claim()):
                dropped = True
                await _drop_connection(ctx, receive, send)
                return
            passing = True
        if not dropped:
            await send(message)

    await app(scope, receive, send_or_drop)
