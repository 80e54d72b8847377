"""The engine floor: a dynamic resource whose provider does no I/O at all.

It mirrors the shape of the Vapi resource (a handful of string inputs, a few output-only keys) so that the
engine, the language host, the dynamic-provider process and the `__provider` pickle cost the same, and only
the API calls are missing. The provider class lives in this module (not `__main__`) so that dill pickles it
by reference, as it does `vapi_provider.provider.VapiPhoneNumberProvider`.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult

_OUTPUT_ONLY = ("status", "createdAt", "updatedAt")


class BenchNoopProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(
            status="active", createdAt="2026-01-01T00:00:00.000Z", updatedAt="2026-01-01T00:00:00.000Z"
        )
        return CreateResult(f"noop-{props['name']}", outs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k, v in news.items() if k != "__provider" and olds.get(k) != v]
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        outs = {k: v for k, v in olds.items() if k != "__provider"}
        outs.update({k: v for k, v in news.items() if k != "__provider"})
        outs["updatedAt"] = "2026-01-01T00:00:01.000Z"
        return UpdateResult(outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class BenchNoop(Resource, module="bench", name="Noop"):
    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(BenchNoopProvider(), name, {**props, **dict.fromkeys(_OUTPUT_ONLY)}, opts)
