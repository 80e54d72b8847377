"""Fixtures for the unit tests (helpers live in vapi_fakes.py so test modules can import them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from vapi_fakes import FakeVapi, make_provider

from vapi_provider.provider import VapiPhoneNumberProvider


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VAPI_API_KEY", "VAPI_BASE_URL", "VAPI_POLL_INTERVAL_SECONDS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> FakeVapi:
    return FakeVapi()


@pytest.fixture
def provider(fake: FakeVapi) -> Iterator[VapiPhoneNumberProvider]:
    yield make_provider(fake)
