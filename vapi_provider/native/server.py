"""The plugin's gRPC server: the SDK's servicer, with our own errors shown as their message.

Warnings of the core (logger `vapi_provider`: an in-doubt create and what to do about it, a number still
activating at the timeout) go to the engine as warnings on the resource's own line (`EngineLogHandler`),
not to the plugin's stderr.

`pulumi.provider.experimental.server.ProviderServicer` turns every exception into its message followed by
a Python traceback. A `VapiError` always says what went wrong and how to fix it, so for those the
servicer below answers with the message alone (and a secret never reaches a message: the core's errors
name fields, never values). Anything else still carries its traceback, so a bug shows where it is.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import grpc.aio
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2_grpc

from .._constants import LOGGER_NAME
from ..errors import VapiError
from .provider import VapiProvider, current_urn
from .tokens import package_version

__all__ = ["EngineLogHandler", "main"]


class EngineLogHandler(logging.Handler):
    """Sends log records to the engine's `Log` service, tied to the URN of the operation that logged."""

    def __init__(self, engine: Any) -> None:
        super().__init__(logging.WARNING)
        self._engine = engine

    def emit(self, record: logging.LogRecord) -> None:
        severity = engine_pb2.ERROR if record.levelno >= logging.ERROR else engine_pb2.WARNING
        try:
            self._engine.Log(
                engine_pb2.LogRequest(severity=severity, message=record.getMessage(), urn=current_urn())
            )
        except Exception:  # noqa: BLE001 - a log line must never fail an operation
            self.handleError(record)


def _forward_warnings(engine_address: str) -> None:
    engine = engine_pb2_grpc.EngineStub(grpc.insecure_channel(engine_address))
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(EngineLogHandler(engine))
    logger.propagate = False


def _ours(error: BaseException) -> VapiError | None:
    while error is not None:
        if isinstance(error, VapiError):
            return error
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return None


class _Servicer(ProviderServicer):
    async def _readable(self, call: Callable[..., Awaitable[Any]], request: Any, context: Any) -> Any:
        try:
            return await call(request, context)
        except Exception as err:
            ours = _ours(err)
            if ours is None:
                raise
            await context.abort(grpc.StatusCode.UNKNOWN, str(ours))

    async def CheckConfig(self, request: Any, context: Any) -> Any:  # noqa: N802 (gRPC method names)
        return await self._readable(super().CheckConfig, request, context)

    async def Configure(self, request: Any, context: Any) -> Any:  # noqa: N802
        return await self._readable(super().Configure, request, context)

    async def Check(self, request: Any, context: Any) -> Any:  # noqa: N802
        return await self._readable(super().Check, request, context)

    async def Diff(self, request: Any, context: Any) -> Any:  # noqa: N802
        return await self._readable(super().Diff, request, context)

    async def Create(self, request: Any, context: Any) -> Any:  # noqa: N802
        return await self._readable(super().Create, request, context)

    async def Read(self, request: Any, context: Any) -> Any:  # noqa: N802
        return await self._readable(super().Read, request, context)

    async def Update(self, request: Any, context: Any) -> Any:  # noqa: N802
        return await self._readable(super().Update, request, context)

    async def Delete(self, request: Any, context: Any) -> Any:  # noqa: N802
        return await self._readable(super().Delete, request, context)


def main(args: list[str], provider: VapiProvider | None = None) -> None:
    """Serve the provider to the engine: print the port on stdout, then serve until the engine ends us.

    `args` are the plugin's arguments (the engine's address first); the same contract as
    `pulumi.provider.experimental.server.main`.
    """
    parser = argparse.ArgumentParser(prog="pulumi-resource-vapi", description="Pulumi provider plugin vapi")
    parser.add_argument("engine", help="the engine's address")
    parser.add_argument("--logflow", action="store_true", help="ignored")
    parser.add_argument("--logtostderr", action="store_true", help="ignored")
    parser.add_argument("-v", type=int, default=0, help="ignored")
    known, _rest = parser.parse_known_args(args)
    served = provider or VapiProvider()
    _forward_warnings(known.engine)

    async def serve() -> None:
        server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
        servicer = _Servicer(args, package_version(), served, engine_address=known.engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port(address="127.0.0.1:0")
        await server.start()
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        await server.wait_for_termination()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
