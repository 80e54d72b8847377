"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vapi_provider.run_claims import PROCESS_CLAIMS


@pytest.fixture(autouse=True)
def clean_vapi_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees a Vapi key or base URL from the developer's shell."""
    for name in ("VAPI_API_KEY", "VAPI_BASE_URL", "VAPI_POLL_INTERVAL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(autouse=True)
def fresh_run_claims() -> Iterator[None]:
    """Each test is a run of its own: no name or sipUri claimed by an earlier test's creates."""
    PROCESS_CLAIMS.clear()
    yield
    PROCESS_CLAIMS.clear()
