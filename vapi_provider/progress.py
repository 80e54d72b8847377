"""Progress a person can see while a number activates (which can take minutes).

The Python dynamic-provider host gives the provider no channel to the engine, but the engine starts the
provider process with its own address as an argument (`python -m pulumi.dynamic <engine address>`).
`Progress` talks to the engine's `Log` service there and sends an *ephemeral* message tied to the
resource's URN: the CLI shows it on the resource's own line, e.g. `creating (12s) support-line-ab12cd3:
activating, 12 s of at most 300 s`, and keeps it out of the final diagnostics. The URN is rebuilt from the
resource's `autonameSeed` (`<org>/<project>/<stack>/<resource name>`); that is exact for a top-level
resource. Anything that goes wrong here is ignored: progress must never fail a create.

`current_urn()` is the URN where the caller knows it: the native provider runs each call in a context that
names its resource (`urn_context`).
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import threading
from typing import Any

from ._constants import LOGGER_NAME, PHONE_NUMBER_TYPE

__all__ = ["Progress", "current_urn", "resource_urn", "urn_context"]

logger = logging.getLogger(LOGGER_NAME)

_ADDRESS = re.compile(r"^(?:127\.0\.0\.1|localhost|\[::1\]):\d+$")


_CURRENT_URN: contextvars.ContextVar[str] = contextvars.ContextVar("vapi_current_urn", default="")
"""The URN of the resource whose operation runs in this context ('' where the host does not say)."""


def current_urn() -> str:
    """The URN of the resource whose operation runs in this context ('' outside one)."""
    return _CURRENT_URN.get()


def urn_context(urn: str) -> contextvars.Context:
    """A copy of the current context in which `current_urn()` is `urn` (run calls with `.run`)."""
    context = contextvars.copy_context()
    context.run(_CURRENT_URN.set, urn)
    return context


def resource_urn(seed: object, type_token: str = PHONE_NUMBER_TYPE) -> str:
    """The URN of a top-level resource from its seed `<org>/<project>/<stack>/<name>` ('' if unknown)."""
    if not isinstance(seed, str) or seed.count("/") < 3:
        return ""
    _org, project, stack, name = seed.split("/", 3)
    return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"


class Progress:
    """Ephemeral, resource-tied messages to the engine; a no-op outside the dynamic-provider host."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stub: Any = None
        self._tried = False

    def _engine(self) -> Any:
        with self._lock:
            if not self._tried:
                self._tried = True
                address = next((a for a in sys.argv[1:] if _ADDRESS.match(a)), None)
                if address is not None:
                    try:
                        import grpc
                        from pulumi.runtime.proto import engine_pb2_grpc

                        self._stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))
                    except Exception:  # noqa: BLE001 - progress must never fail a create
                        self._stub = None
            return self._stub

    def say(self, urn: str, message: str) -> None:
        stub = self._engine()
        if stub is None:
            logger.debug("%s", message)
            return
        try:
            from pulumi.runtime.proto import engine_pb2

            stub.Log(
                engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message, urn=urn, ephemeral=True)
            )
        except Exception:  # noqa: BLE001 - progress must never fail a create
            logger.debug("could not send progress to the engine", exc_info=True)
