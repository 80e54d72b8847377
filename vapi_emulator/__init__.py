"""vapi_emulator: a local emulator of Vapi's phone-number REST API.

It serves the six phone-number routes of `https://api.vapi.ai` (POST/GET `/phone-number`,
GET `/v2/phone-number`, GET/PATCH/DELETE `/phone-number/{id}`) for all five providers, validates requests
against Vapi's own OpenAPI document (`phone-number.openapi.json`, shipped unchanged; four known generator
bugs are corrected in memory, see `vapi_emulator._spec`), and answers with Vapi's status codes, shapes and
NestJS error envelope. It never imports `vapi_provider`.

Usage::

    python -m vapi_emulator --host 127.0.0.1 --port 8787 --data .emulator/state.json

    from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread
    with serve_in_thread(EmulatorConfig(activation_delay_seconds=0)) as emulator:
        ...  # talk to emulator.url with "Authorization: Bearer " + DEMO_API_KEY

Which behaviours are facts and which are inferences is documented in `docs/emulator.md` and in the
docstring of `vapi_emulator._validation` (messages). In short: routes, status codes, shapes, the 401 bodies,
"property X should not exist", the enum message, the server-URL message and the area-code/sipUri message are
observed or specified; other class-validator wordings, the 404 and quota/area-code/duplicate-sipUri
messages, and the choice to return secrets unmasked are inferences.
"""

from __future__ import annotations

from ._app import EmulatorApp, create_app
from ._config import (
    DEFAULT_ADMIN_TOKEN,
    DEMO_API_KEY,
    DEMO_ORG_ID,
    LIVE_FIELDS,
    MAX_BODY_BYTES,
    SECRET_MASK,
    EmulatorConfig,
)
from ._faults import ROUTES
from ._server import RunningEmulator, serve_in_thread
from ._state import EmulatorState
from ._store import DataFileError

__all__ = [
    "DEFAULT_ADMIN_TOKEN",
    "DEMO_API_KEY",
    "DEMO_ORG_ID",
    "LIVE_FIELDS",
    "MAX_BODY_BYTES",
    "ROUTES",
    "SECRET_MASK",
    "DataFileError",
    "EmulatorApp",
    "EmulatorConfig",
    "EmulatorState",
    "RunningEmulator",
    "create_app",
    "serve_in_thread",
]
