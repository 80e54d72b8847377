"""Shared state of one emulator instance: config, store, fault generator and request metrics."""

from __future__ import annotations

import random
import threading
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._config import DEMO_API_KEY, DEMO_ORG_ID, EmulatorConfig
from ._store import PhoneNumberStore, Record

__all__ = ["EmulatorState", "Fault"]

INJECTABLE_STATUSES = frozenset({429, 500, 503})


@dataclass(frozen=True)
class Fault:
    """An injected failure: an HTTP status to answer instead of handling the request."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    """Extra response headers; they override the default `Retry-After` of a 429."""


class EmulatorState:
    """Everything the app shares between requests. Safe to use from any thread."""

    def __init__(self, config: EmulatorConfig) -> None:
        config.validate()
        self._initial = config
        self._config = config
        self._lock = threading.Lock()
        self._rng = random.Random(config.fault_seed)
        self._number_rng = random.Random()
        self._counts: Counter[str] = Counter()
        self._fail_next: deque[Fault] = deque()
        self._drop_next_creates = 0
        self.store = PhoneNumberStore(config.data_file)
        self.api_keys: dict[str, str] = dict(config.api_keys) or {DEMO_API_KEY: DEMO_ORG_ID}

    # -- config ----------------------------------------------------------------------------------------

    @property
    def config(self) -> EmulatorConfig:
        """The current config (replaced as a whole on every change, so a read is a consistent snapshot)."""
        return self._config

    def configure(self, **changes: Any) -> EmulatorConfig:
        """Change live fields (see `LIVE_FIELDS`); raises `ValueError` on bad names or values."""
        with self._lock:
            new = self._config.with_changes(**changes)
            if "fault_seed" in changes:
                self._rng = random.Random(new.fault_seed)
            self._config = new
            return new

    def reset(self) -> None:
        """Back to the start: no numbers, no metrics, no queued faults, the initial config and keys."""

        def clear(orgs: dict[str, dict[str, Record]]) -> None:
            orgs.clear()

        self.store.mutate(clear)
        with self._lock:
            self._config = self._initial
            self._rng = random.Random(self._initial.fault_seed)
            self._counts.clear()
            self._fail_next.clear()
            self._drop_next_creates = 0
            self.api_keys = dict(self._initial.api_keys) or {DEMO_API_KEY: DEMO_ORG_ID}

    # -- faults ----------------------------------------------------------------------------------------

    def fail_next(self, status: int, times: int = 1, headers: Mapping[str, str] | None = None) -> None:
        """Answer the next `times` public API requests with `status` (429, 500 or 503), plus `headers`
        (e.g. `{"Retry-After": "0"}`)."""
        if status not in INJECTABLE_STATUSES:
            raise ValueError(f"status must be one of {sorted(INJECTABLE_STATUSES)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        extra = tuple((str(k), str(v)) for k, v in (headers or {}).items())
        with self._lock:
            self._fail_next.extend([Fault(status, extra)] * times)

    def drop_next_creates(self, times: int = 1) -> None:
        """Store the next `times` successful creates, then drop their connections without answering."""
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._drop_next_creates += times

    def roll_latency(self) -> float:
        config = self._config
        if config.latency_jitter_seconds <= 0:
            return config.latency_seconds
        with self._lock:
            return config.latency_seconds + self._rng.uniform(0.0, config.latency_jitter_seconds)

    def roll_fault(self) -> Fault | None:
        """The fault to inject into this request, if any (queued faults first, then the rates)."""
        config = self._config
        with self._lock:
            if self._fail_next:
                return self._fail_next.popleft()
            total = config.rate_429 + config.rate_500 + config.rate_503
            if total <= 0:
                return None
            draw = self._rng.random()
        if draw < config.rate_429:
            return Fault(429)
        if draw < config.rate_429 + config.rate_500:
            return Fault(500)
        if draw < total:
            return Fault(503)
        return None

    def roll_drop_after_create(self) -> bool:
        config = self._config
        with self._lock:
            if self._drop_next_creates > 0:
                self._drop_next_creates -= 1
                return True
            if config.drop_after_create_rate <= 0:
                return False
            return self._rng.random() < config.drop_after_create_rate

    def random_digits(self, count: int) -> str:
        with self._lock:
            return "".join(str(self._number_rng.randrange(10)) for _ in range(count))

    # -- metrics ---------------------------------------------------------------------------------------

    def count(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1

    def metrics(self) -> dict[str, Any]:
        """`{"requests": {"<METHOD> <route> <status>": n, ...}, "total": N}` for the public API."""
        with self._lock:
            counts = dict(sorted(self._counts.items()))
        return {"requests": counts, "total": sum(counts.values())}

    def reset_metrics(self) -> None:
        with self._lock:
            self._counts.clear()

    # -- numbers ---------------------------------------------------------------------------------------

    def numbers(self, org_id: str | None = None) -> list[dict[str, Any]]:
        """Stored phone numbers (all orgs, or one), oldest first, as the API would return them."""
        return [
            dict(record.data)
            for record in self.store.all_records()
            if org_id is None or record.org_id == org_id
        ]

    def block(self, phone_number_id: str) -> dict[str, Any] | None:
        """Force a number's status to `blocked`; `None` if no org has it."""

        def apply(orgs: dict[str, dict[str, Record]]) -> dict[str, Any] | None:
            for org in orgs.values():
                record = org.get(phone_number_id)
                if record is not None:
                    record.activate_at = None
                    record.pending_number = None
                    record.data = {**record.data, "status": "blocked"}
                    return dict(record.data)
            return None

        return self.store.mutate(apply)
