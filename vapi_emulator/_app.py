"""The ASGI app: Starlette with the phone-number and admin routes, behind the layer that counts public
requests and injects faults.

The modules, by job:

* `_http`: request plumbing (body and size limit, JSON parsing, error envelopes, metrics counting);
* `_phone_numbers`: Vapi's six phone-number routes;
* `_admin`: the `/__admin/` routes;
* `_faults`: fault injection, with `FaultInjector.plan` as the one entry point of every injected fault.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from . import _admin, _phone_numbers
from ._config import EmulatorConfig
from ._faults import run_plan
from ._http import ADMIN_PREFIX, CONTEXT_KEY, HANDLERS, open_context, route_template
from ._state import EmulatorState

__all__ = ["EmulatorApp", "create_app", "route_template"]


def create_app(config: EmulatorConfig | None = None, *, state: EmulatorState | None = None) -> EmulatorApp:
    """Build the ASGI app for `config` (or around an existing `state`).

    The app's `state.emulator` attribute is the `EmulatorState` (metrics, faults, store).
    """
    if state is None:
        state = EmulatorState(config or EmulatorConfig())
    app = EmulatorApp(
        state, routes=[*_phone_numbers.routes(), *_admin.routes()], exception_handlers=dict(HANDLERS)
    )
    app.router.redirect_slashes = False
    return app


class EmulatorApp(Starlette):
    """A Starlette app whose outermost layer counts public requests and carries out their fault plan.

    The layer sits outside Starlette's own middleware so that it sees the server's `send` callable,
    through which it reaches the connection to drop it (the ambiguous create).
    """

    def __init__(self, emulator_state: EmulatorState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state.emulator = emulator_state
        self._emulator = emulator_state

    @property
    def emulator(self) -> EmulatorState:
        """The shared state: config, store, faults and metrics."""
        return self._emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        path: str = scope["path"]
        if len(path) > 1 and path.endswith("/"):
            # Express routing is not strict about one trailing slash.
            path = path[:-1]
            scope = dict(scope, path=path, raw_path=path.encode())
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await super().__call__(scope, receive, send)
            return
        state = self._emulator
        ctx, counted_send = open_context(state, scope, send)
        scope[CONTEXT_KEY] = ctx
        config = state.config
        plan = state.faults.plan(ctx.route, config)
        try:
            await run_plan(plan, super().__call__, scope, receive, counted_send, ctx, config)
        finally:
            ctx.count(ctx.outcome or "none")
