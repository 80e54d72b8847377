"""The native-provider floor: the least any native provider plugin can do for the benchmark's numbers.

`NatFloorProvider` is a resource provider on `pulumi.provider.experimental` (package `vapifloor`, resource
`vapifloor:index:PhoneNumber`) that makes exactly the HTTP calls the native `vapi` provider makes for the
benchmark's numbers (POST, then a GET per activation poll, for create; GET for refresh; PATCH for update;
DELETE for destroy; nothing for check, diff or a no-change preview), each as one coroutine on the plugin's
event loop through one `httpx.AsyncClient` per process, so as many calls run at once as the engine sends
(its `--parallel`). It does nothing else: no validation, no models, no retries, no autonaming, no secrets
handling beyond the engine's own. The native provider is measured against it, in the same kind of process
(`python <plugin folder>`, started by the engine through the Python language host), against the same emulator.

Its configuration is the provider's inputs `baseUrl`, `apiKey` and `pollIntervalSeconds` (stack config
`vapifloor:baseUrl`, ...), read in `configure`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

import httpx
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pulumi.provider.experimental.server import main

__all__ = ["INPUT_KEYS", "OUTPUT_ONLY_KEYS", "PACKAGE", "TYPE_TOKEN", "NatFloorProvider", "serve"]

PACKAGE = "vapifloor"
VERSION = "0.0.1"
TYPE_TOKEN = f"{PACKAGE}:index:PhoneNumber"
INPUT_KEYS = ("name", "numberDesiredAreaCode", "sipUri", "assistantId")
"""The inputs the benchmark declares (wire names)."""
OUTPUT_ONLY_KEYS = ("orgId", "number", "status", "createdAt", "updatedAt")
"""The computed outputs recorded for each number."""
_UPDATABLE = ("name", "sipUri", "assistantId")
_SCHEMA = {
    "name": PACKAGE,
    "version": VERSION,
    "config": {},
    "provider": {
        "inputProperties": {
            "baseUrl": {"type": "string"},
            "apiKey": {"type": "string", "secret": True},
            "pollIntervalSeconds": {"type": "string"},
        }
    },
    "resources": {
        TYPE_TOKEN: {
            "inputProperties": {k: {"type": "string"} for k in INPUT_KEYS},
            "properties": {k: {"type": "string"} for k in INPUT_KEYS + OUTPUT_ONLY_KEYS},
        }
    },
}


def _path(phone_number_id: str) -> str:
    return f"/phone-number/{quote(phone_number_id, safe='')}"


def _plain(values: dict[str, PropertyValue], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: values[k].value for k in keys if k in values and isinstance(values[k].value, str)}


def _outputs(inputs: dict[str, Any], number: dict[str, Any]) -> dict[str, PropertyValue]:
    outs = {k: PropertyValue(v) for k, v in inputs.items()}
    outs.update({k: PropertyValue(number.get(k)) for k in OUTPUT_ONLY_KEYS})
    return outs


class NatFloorProvider(Provider):
    """A native provider that makes the benchmark's HTTP calls and nothing else."""

    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None
        self._poll = 1.0

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            raise RuntimeError("the native floor was not configured")
        return self._client

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:  # noqa: ARG002
        return GetSchemaResponse(schema=json.dumps(_SCHEMA))

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        def setting(key: str) -> str:
            value = request.args[key].value if key in request.args else None
            if not isinstance(value, str):
                value = request.variables.get(f"{PACKAGE}:config:{key}", "")
            return value

        base_url, api_key = setting("baseUrl").rstrip("/"), setting("apiKey")
        if not base_url or not api_key:
            raise ValueError(
                "the native floor needs vapifloor:baseUrl and vapifloor:apiKey in the stack config"
            )
        headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        self._client = httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30.0)
        self._poll = float(setting("pollIntervalSeconds") or 1.0)
        return ConfigureResponse(accept_secrets=True, supports_preview=False)

    async def check(self, request: CheckRequest) -> CheckResponse:
        return CheckResponse(inputs=request.new_inputs)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        olds, news = request.old_state, request.new_inputs
        changed = [k for k in INPUT_KEYS if news.get(k) != olds.get(k)]
        replaces = [k for k in changed if k == "numberDesiredAreaCode"]
        return DiffResponse(changes=bool(changed), replaces=replaces, diffs=changed)

    async def create(self, request: CreateRequest) -> CreateResponse:
        inputs = _plain(request.properties, INPUT_KEYS)
        if request.preview:
            outs = {k: PropertyValue(v) for k, v in inputs.items()}
            outs.update({k: PropertyValue.computed() for k in OUTPUT_ONLY_KEYS})
            return CreateResponse(properties=outs)
        response = await self._http().post("/phone-number", json={"provider": "vapi", **inputs})
        response.raise_for_status()
        number: dict[str, Any] = response.json()
        while number.get("status") == "activating":
            await asyncio.sleep(self._poll)
            response = await self._http().get(_path(number["id"]))
            response.raise_for_status()
            number = response.json()
        return CreateResponse(resource_id=number["id"], properties=_outputs(inputs, number))

    async def read(self, request: ReadRequest) -> ReadResponse:
        response = await self._http().get(_path(request.resource_id))
        if response.status_code == 404:
            return ReadResponse()
        response.raise_for_status()
        number: dict[str, Any] = response.json()
        declared = _plain(request.inputs, INPUT_KEYS)
        inputs = {k: number.get(k, v) for k, v in declared.items()}
        return ReadResponse(
            resource_id=request.resource_id,
            properties=_outputs(inputs, number),
            inputs={k: PropertyValue(v) for k, v in inputs.items()},
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        olds, news = _plain(request.olds, INPUT_KEYS), _plain(request.news, INPUT_KEYS)
        patch = {k: news.get(k) for k in _UPDATABLE if news.get(k) != olds.get(k)}
        if request.preview or not patch:
            return UpdateResponse(properties={**request.olds, **_outputs(news, {})})
        response = await self._http().patch(_path(request.resource_id), json=patch)
        response.raise_for_status()
        return UpdateResponse(properties=_outputs(news, response.json()))

    async def delete(self, request: DeleteRequest) -> None:
        response = await self._http().delete(_path(request.resource_id))
        if response.status_code != 404:
            response.raise_for_status()


def serve(args: list[str]) -> None:
    main(args, VERSION, NatFloorProvider())
