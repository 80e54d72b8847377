"""A dynamic resource whose one output is `sys.prefix` of the provider process that created it."""

from __future__ import annotations

import sys
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class PrefixProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("prefix", {"prefix": sys.prefix})


class Prefix(Resource, module="e2e", name="Prefix"):
    prefix: pulumi.Output[str]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(PrefixProvider(), name, {"prefix": None}, opts)
