"""Errors a person can read: our own errors reach the CLI as their message, not as a Python traceback.

Pulumi's Python dynamic-provider host (`python -m pulumi.dynamic`, SDK 3.272) wraps every provider call
in a handler that answers the engine with `traceback.format_exc()`, so every error the CLI prints is a
15-line traceback with the message on its last line. The host offers no hook for this. `install()`
replaces the `traceback` name *inside the host module only* with a shim whose `format_exc()` returns
just the message for a `VapiError` (which always says what went wrong and how to fix it) and the full
traceback for anything else, so a bug in our code still shows where it happened.

It is called from `configure()`, which runs in the provider process right after the host unpickles
the provider. Outside that host (unit tests, the program process) it does nothing.
"""

from __future__ import annotations

import sys
import traceback
from types import ModuleType
from typing import Any

from .errors import VapiError

__all__ = ["host_module", "install"]

_HOST_MODULE = "pulumi.dynamic.__main__"


class _MessageFirstTraceback:
    """Stands in for the `traceback` module in the host; delegates everything but `format_exc`."""

    def __init__(self, real: ModuleType) -> None:
        self._real = real

    def format_exc(self, *args: Any, **kwargs: Any) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, VapiError):
            return str(error)
        return str(self._real.format_exc(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def host_module() -> ModuleType | None:
    """The dynamic-provider host's module (`pulumi.dynamic.__main__`) if this process is one."""
    for module in (sys.modules.get("__main__"), sys.modules.get(_HOST_MODULE)):
        spec = getattr(module, "__spec__", None)
        if module is not None and getattr(spec, "name", None) == _HOST_MODULE:
            return module
    return None


def install() -> bool:
    """Install the shim in the dynamic-provider host, if this process is one. Returns whether it did."""
    host = host_module()
    if host is None or not isinstance(getattr(host, "traceback", None), ModuleType):
        return isinstance(getattr(host, "traceback", None), _MessageFirstTraceback)
    host.traceback = _MessageFirstTraceback(traceback)  # type: ignore[attr-defined]
    return True
