"""The dynamic-provider floor: the least any dynamic provider can do for the benchmark's numbers.

`DynFloorProvider` makes exactly the HTTP calls `VapiPhoneNumberProvider` makes for the benchmark's
numbers (POST, then a GET per activation poll, for create; GET for refresh; PATCH for update; DELETE for
destroy; nothing for check, diff or a no-change preview), through one `httpx.Client` per provider process
shared by the host's worker threads, and nothing else: no validation, no models, no retries, no
autonaming. Ours is measured against it, in the same host (`python -m pulumi.dynamic`, 4 worker
threads), against the same emulator.

The class lives in this module (not `__main__`) so that dill pickles it by reference, as it does
`vapi_provider.provider.VapiPhoneNumberProvider`; the instance carries no attributes, so the pickle is
the class reference alone. `configure` reads the same stack config as ours (`vapi:baseUrl`,
`vapi:apiKey`, `vapi:pollIntervalSeconds`); the client and settings are per process, never pickled.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import quote

import httpx
import pulumi
from pulumi.dynamic import (
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)

INPUT_KEYS = ("name", "numberDesiredAreaCode", "sipUri", "assistantId")
"""The inputs the benchmark declares (wire names)."""
OUTPUT_ONLY_KEYS = ("orgId", "number", "status", "createdAt", "updatedAt")
"""The computed outputs ours records for each number."""
_UPDATABLE = ("name", "sipUri", "assistantId")

_lock = threading.Lock()
_runtime: dict[str, Any] = {}
"""Per process: `client` (the shared httpx.Client) and `poll` (seconds), set by `configure`."""


def _client() -> httpx.Client:
    client: httpx.Client = _runtime["client"]
    return client


def _path(phone_number_id: str) -> str:
    return f"/phone-number/{quote(phone_number_id, safe='')}"


def _outputs(props: dict[str, Any], number: dict[str, Any]) -> dict[str, Any]:
    outs = {k: props[k] for k in INPUT_KEYS if props.get(k) is not None}
    outs.update({k: number.get(k) for k in OUTPUT_ONLY_KEYS})
    return outs


class DynFloorProvider(ResourceProvider):
    """A dynamic provider that makes the benchmark's HTTP calls and nothing else."""

    def configure(self, req: ConfigureRequest) -> None:
        base_url = str(req.config.get("vapi:baseUrl") or "").rstrip("/")
        api_key = str(req.config.get("vapi:apiKey") or "")
        if not base_url or not api_key:
            raise ValueError("the dynamic floor needs vapi:baseUrl and vapi:apiKey in the stack config")
        headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        with _lock:
            if "client" not in _runtime:
                _runtime["client"] = httpx.Client(base_url=base_url, headers=headers, timeout=30.0)
            _runtime["poll"] = float(req.config.get("vapi:pollIntervalSeconds") or 1.0)

    def create(self, props: dict[str, Any]) -> CreateResult:
        body = {"provider": "vapi", **{k: props[k] for k in INPUT_KEYS if props.get(k) is not None}}
        response = _client().post("/phone-number", json=body)
        response.raise_for_status()
        number: dict[str, Any] = response.json()
        while number.get("status") == "activating":
            time.sleep(_runtime["poll"])
            response = _client().get(_path(number["id"]))
            response.raise_for_status()
            number = response.json()
        return CreateResult(number["id"], _outputs(props, number))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k in INPUT_KEYS if news.get(k) != olds.get(k)]
        replaces = [k for k in changed if k == "numberDesiredAreaCode"]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        response = _client().get(_path(id_))
        if response.status_code == 404:
            return ReadResult("", {})
        response.raise_for_status()
        number: dict[str, Any] = response.json()
        inputs = {k: number.get(k, props.get(k)) for k in INPUT_KEYS if props.get(k) is not None}
        return ReadResult(id_, _outputs(inputs, number), inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        patch = {k: news.get(k) for k in _UPDATABLE if news.get(k) != olds.get(k)}
        if not patch:
            return UpdateResult(_outputs(news, olds))
        response = _client().patch(_path(_id), json=patch)
        response.raise_for_status()
        return UpdateResult(_outputs(news, response.json()))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        response = _client().delete(_path(_id))
        if response.status_code != 404:
            response.raise_for_status()


class DynFloorNumber(Resource, module="bench", name="DynFloorNumber"):
    """One benchmark number through the floor provider: its declared inputs, the computed keys seeded."""

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(DynFloorProvider(), name, {**props, **dict.fromkeys(OUTPUT_ONLY_KEYS)}, opts)
