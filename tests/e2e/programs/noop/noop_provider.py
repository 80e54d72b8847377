"""A trivial dynamic resource for the harness smoke test: it stores its input and computes one output."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class NoopProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(
            "noop-" + str(props["value"]), {"value": props["value"], "length": len(props["value"])}
        )


class Noop(Resource, module="e2e", name="Noop"):
    value: pulumi.Output[str]
    length: pulumi.Output[int]

    def __init__(self, name: str, value: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(NoopProvider(), name, {"value": value, "length": None}, opts)
