"""The admin routes under `/__admin/`, guarded by the `X-Admin-Token` header: metrics, live config,
faults, stored numbers, block and reset. They are never delayed, faulted or counted."""

from __future__ import annotations

import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._errors import NOT_FOUND, ApiError
from ._http import ADMIN_PREFIX, emulator_state, read_json, run_store
from ._state import EmulatorState

__all__ = ["ADMIN_TOKEN_MESSAGE", "routes"]

ADMIN_TOKEN_MESSAGE = "Invalid or missing X-Admin-Token header."


def _require_admin(request: Request) -> EmulatorState:
    state = emulator_state(request)
    token = request.headers.get("x-admin-token", "")
    if not hmac.compare_digest(token.encode(), state.config.admin_token.encode()):
        raise ApiError(401, ADMIN_TOKEN_MESSAGE)
    return state


async def _json_object(request: Request) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object")
    return body


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
    body = await _json_object(request)
    try:
        config = state.configure(**body)
    except ValueError as err:
        raise ApiError(400, str(err)) from None
    return JSONResponse(config.live_view())


async def admin_fail_next(request: Request) -> Response:
    state = _require_admin(request)
    body = await _json_object(request)
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


async def admin_add_fault(request: Request) -> Response:
    state = _require_admin(request)
    body = await _json_object(request)
    try:
        rule = state.add_fault(body)
    except ValueError as err:
        raise ApiError(400, str(err)) from None
    return JSONResponse(rule, status_code=201)


async def admin_list_faults(request: Request) -> Response:
    return JSONResponse(_require_admin(request).faults.describe())


async def admin_clear_faults(request: Request) -> Response:
    state = _require_admin(request)
    state.clear_faults()
    return JSONResponse(state.faults.describe())


async def admin_reset(request: Request) -> Response:
    state = _require_admin(request)
    await run_store(state, state.reset)
    return JSONResponse(state.metrics())


async def admin_numbers(request: Request) -> Response:
    state = _require_admin(request)
    return JSONResponse(state.numbers(request.query_params.get("orgId")))


async def admin_block(request: Request) -> Response:
    state = _require_admin(request)
    phone_number_id = request.path_params["id"]
    view = await run_store(state, lambda: state.block(phone_number_id))
    if view is None:
        raise ApiError(404, NOT_FOUND)
    return JSONResponse(view)


def routes() -> list[Route]:
    """Every admin route, under `ADMIN_PREFIX`."""
    return [
        Route(f"{ADMIN_PREFIX}/metrics", admin_metrics, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/metrics/reset", admin_reset_metrics, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/config", admin_get_config, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/config", admin_set_config, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/fail-next", admin_fail_next, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/faults", admin_add_fault, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/faults", admin_list_faults, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/faults", admin_clear_faults, methods=["DELETE"]),
        Route(f"{ADMIN_PREFIX}/reset", admin_reset, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/numbers", admin_numbers, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/phone-number/{{id}}/block", admin_block, methods=["POST"]),
    ]
