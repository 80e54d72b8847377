"""Test helpers: a small stateful fake of Vapi's phone-number API and a provider wired to it."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import httpx
from pulumi.dynamic import Config, ConfigureRequest

from vapi_provider.provider import VapiPhoneNumberProvider

API_KEY = "unit-test-key-0123456789"
BASE_URL = "https://api.test"


class FakeVapi:
    """Enough of Vapi's phone-number API for provider tests. Records every request."""

    def __init__(self, *, polls_until_active: int = 1) -> None:
        self.numbers: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.polls_until_active = polls_until_active
        self.block_next = False
        self._polls: dict[str, int] = {}
        self._clock = itertools.count(1)

    def _now(self) -> str:
        return f"2026-01-01T00:00:{next(self._clock):02d}.000Z"

    def add(self, **fields: Any) -> dict[str, Any]:
        number = {
            "id": str(uuid.uuid4()),
            "orgId": "org-1",
            "provider": "vapi",
            "createdAt": self._now(),
            "updatedAt": self._now(),
            "status": "active",
            **fields,
        }
        self.numbers[number["id"]] = number
        return number

    def calls(self, method: str | None = None) -> list[tuple[str, str, Any]]:
        return [r for r in self.requests if method is None or r[0] == method]

    def handler(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        path = request.url.path
        self.requests.append((request.method, path, body))
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return httpx.Response(401, json={"message": "Invalid Key.", "statusCode": 401})
        if path == "/phone-number" and request.method == "GET":
            return httpx.Response(200, json=list(reversed(self.numbers.values())))
        if path == "/v2/phone-number" and request.method == "GET":
            term = request.url.params.get("search", "").casefold()
            found = [
                n
                for n in reversed(self.numbers.values())
                if any(term in str(n.get(k) or "").casefold() for k in ("name", "number", "sipUri"))
            ]
            return httpx.Response(200, json={"results": found, "metadata": {"hasNextPage": False}})
        if path == "/phone-number" and request.method == "POST":
            assert body is not None
            fields = {k: v for k, v in body.items() if k != "provider"}
            number = self.add(**fields, status="active")
            if "numberDesiredAreaCode" in body:
                number["status"] = "activating"
                self._polls[number["id"]] = 0
            if self.block_next:
                number["status"] = "blocked"
                self.block_next = False
            return httpx.Response(201, json=number)
        number_id = path.rsplit("/", 1)[-1]
        number = self.numbers.get(number_id)
        if number is None:
            return httpx.Response(404, json={"message": "Not Found", "statusCode": 404})
        if request.method == "GET":
            if number["status"] == "activating":
                self._polls[number_id] += 1
                if self._polls[number_id] >= self.polls_until_active:
                    number["status"] = "active"
                    number["number"] = f"+1{number['numberDesiredAreaCode']}5550100"
            return httpx.Response(200, json=number)
        if request.method == "PATCH":
            assert body is not None
            for key, value in body.items():
                if key == "provider":
                    continue
                if value is None:
                    number.pop(key, None)
                else:
                    number[key] = value
            number["updatedAt"] = self._now()
            return httpx.Response(200, json=number)
        if request.method == "DELETE":
            return httpx.Response(200, json=self.numbers.pop(number_id))
        return httpx.Response(405)


def make_provider(fake: FakeVapi, **config: Any) -> VapiPhoneNumberProvider:
    provider = VapiPhoneNumberProvider(
        http_client_factory=lambda: httpx.Client(transport=httpx.MockTransport(fake.handler)),
        sleep=lambda _seconds: None,
    )
    raw = {"vapi:apiKey": API_KEY, "vapi:baseUrl": BASE_URL, "vapi:pollIntervalSeconds": "0", **config}
    provider.configure(ConfigureRequest(Config(raw, "vapi-phone-numbers")))
    return provider
