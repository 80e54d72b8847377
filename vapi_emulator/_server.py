"""Serving the app with uvicorn: in a background thread (tests, benchmarks) or in the foreground (CLI)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import uvicorn

from ._app import EmulatorApp, create_app
from ._config import EmulatorConfig
from ._state import EmulatorState

__all__ = ["RunningEmulator", "bind_socket", "build_server", "serve_in_thread"]


class _Server(uvicorn.Server):
    """A uvicorn server that reports once its sockets are listening."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._on_started()


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port); port 0 picks a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP (not 0) for asyncio to set TCP_NODELAY on accepted connections; without it
    # Nagle's algorithm meets the client's delayed ACK and every response takes ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def build_server(app: EmulatorApp, on_started: Callable[[], None]) -> uvicorn.Server:
    """A uvicorn server for `app`; access logs off, graceful shutdown bounded."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=5,
        backlog=2048,
    )
    return _Server(config, on_started)


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class RunningEmulator:
    """An emulator serving on a real socket in a background thread.

    Usage::

        with serve_in_thread(EmulatorConfig(activation_delay_seconds=0)) as emulator:
            httpx.get(f"{emulator.url}/phone-number", headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
            assert emulator.metrics()["requests"] == {"GET /phone-number 200": 1}
    """

    def __init__(self, app: EmulatorApp, sock: socket.socket) -> None:
        self.app = app
        self.url = _url(sock)
        """Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash)."""
        self._sock = sock
        self._started = threading.Event()
        self._server = build_server(app, self._started.set)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="vapi-emulator", daemon=True
        )

    def _start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        if not self._started.wait(timeout):
            self.stop()
            raise RuntimeError(f"vapi_emulator did not start within {timeout:.0f} s")

    @property
    def state(self) -> EmulatorState:
        """The shared state (config, store, faults, metrics)."""
        return self.app.emulator

    @property
    def config(self) -> EmulatorConfig:
        """The current configuration."""
        return self.state.config

    def metrics(self) -> dict[str, Any]:
        """Public API request counts: `{"requests": {"POST /phone-number 201": 3, ...}, "total": N}`."""
        return self.state.metrics()

    def reset_metrics(self) -> None:
        """Zero all request counts."""
        self.state.reset_metrics()

    def configure(self, **fields: Any) -> EmulatorConfig:
        """Change live settings (latency, fault rates, quota, activation delay, ...); returns the new config.

        Raises `ValueError` for an unknown or fixed field or a bad value.
        """
        return self.state.configure(**fields)

    configure_faults = configure

    def fail_next(self, status: int | str, times: int = 1, headers: Mapping[str, str] | None = None) -> None:
        """Answer the next `times` public requests with `status` (429/500/503) and optional extra
        `headers` (e.g. `{"Retry-After": "0"}`), or, with `"drop"`, store the next `times` creates and drop
        their connections."""
        if status == "drop":
            self.state.drop_next_creates(times)
        elif isinstance(status, int):
            self.state.fail_next(status, times, headers)
        else:
            raise ValueError('status must be 429, 500, 503 or "drop"')

    def fail_on(
        self,
        route: str | None,
        status: int,
        *,
        nth: int = 1,
        times: int | None = 1,
        message: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        commit: bool = False,
    ) -> dict[str, Any]:
        """Answer `status` (any 400-599) on the `nth` request of `route`, counted from now, and on the
        `times - 1` requests of that route after it (`times=None`: every one until reset).

        `route` is named as in the metrics (`"GET /phone-number/{id}"`, `"POST /phone-number"`, ...), or
        `None` for every public request. The body is the NestJS envelope with `message` (default: Vapi's
        text for 401, 404, 429, 500 and 503, else the reason phrase), or `body` verbatim. With `commit`, the
        request is handled first (a create is stored), and its answer replaced. Returns the rule as
        `GET /__admin/faults` shows it; raises `ValueError` naming a bad argument.
        """
        return self.state.fail_on(
            route, status, nth=nth, times=times, message=message, body=body, headers=headers, commit=commit
        )

    def fail_auth_from(self, request: int = 1) -> dict[str, Any]:
        """Answer 401 with Vapi's `Invalid Key...` envelope on every public request from the `request`-th
        on (1 = the next one), counted from now over all routes, until `reset()` or `clear_faults()`."""
        return self.state.fail_auth_from(request)

    def delay_on(
        self, route: str | None, seconds: float, *, nth: int = 1, times: int | None = 1, commit: bool = False
    ) -> dict[str, Any]:
        """Hold the `nth` request of `route` for `seconds` (at most 3600).

        Without `commit`, the request waits before it is handled, and is not handled at all if the client
        has disconnected by then (counted as `abandoned`). With `commit`, it is handled at once (a create is
        stored) and the answer waits: a client that times out leaves a committed change behind.
        """
        return self.state.delay_on(route, seconds, nth=nth, times=times, commit=commit)

    def drop_on(
        self,
        route: str | None = "POST /phone-number",
        *,
        nth: int = 1,
        times: int | None = 1,
        commit: bool = True,
    ) -> dict[str, Any]:
        """Close the connection of the `nth` request of `route` without a response byte (counted as
        `dropped`). With `commit` (the default), the request is handled first, so a create is stored."""
        return self.state.drop_on(route, nth=nth, times=times, commit=commit)

    def clear_faults(self) -> None:
        """Disarm every fault rule and empty the `fail_next` queues (numbers, metrics, config stay)."""
        self.state.clear_faults()

    def faults(self) -> dict[str, Any]:
        """`{"rules": [...], "queued": [...], "queuedDrops": n}`: the armed rules, with how many requests of
        their route each has seen and answered, and the `fail_next` queues."""
        return self.state.faults.describe()

    def reset(self) -> None:
        """Delete every number (in all orgs), zero the metrics, disarm and drop every fault and restore
        the configuration the emulator was started with."""
        self.state.reset()

    def numbers(self, org_id: str | None = None) -> list[dict[str, Any]]:
        """Stored phone numbers (of one org, or all), oldest first, as the API returns them."""
        return self.state.numbers(org_id)

    def block(self, phone_number_id: str) -> dict[str, Any]:
        """Force a number's status to `blocked`; raises `KeyError` if it does not exist."""
        view = self.state.block(phone_number_id)
        if view is None:
            raise KeyError(phone_number_id)
        return view

    def stop(self) -> None:
        """Shut the server down and wait for its thread; idempotent."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_in_thread(
    config: EmulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningEmulator:
    """Start an emulator on (host, port) in a daemon thread and return once it accepts connections."""
    app = create_app(config or EmulatorConfig())
    sock = bind_socket(host, port)
    running = RunningEmulator(app, sock)
    running._start()
    return running
