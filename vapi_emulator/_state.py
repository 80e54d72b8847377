"""Shared state of one emulator instance: config, store, fault injector and request metrics."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ._config import DEMO_API_KEY, DEMO_ORG_ID, EmulatorConfig
from ._faults import CREATE_ROUTE, FaultInjector, parse_fault
from ._store import PhoneNumberStore, Record

__all__ = ["EmulatorState"]


class EmulatorState:
    """Everything the app shares between requests. Safe to use from any thread."""

    def __init__(self, config: EmulatorConfig) -> None:
        config.validate()
        self._initial = config
        self._config = config
        self._lock = threading.Lock()
        self._number_rng = random.Random()
        self._counts: Counter[str] = Counter()
        self.faults = FaultInjector(config.fault_seed)
        """Every injected fault of a public request is decided by `faults.plan` (see `_faults`)."""
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
                self.faults.reseed(new.fault_seed)
            self._config = new
            return new

    def reset(self) -> None:
        """Back to the start: no numbers, no metrics, no armed or queued faults, the initial config and
        keys."""

        def clear(orgs: dict[str, dict[str, Record]]) -> None:
            orgs.clear()

        self.store.mutate(clear)
        with self._lock:
            self._config = self._initial
            self._counts.clear()
            self.faults.clear()
            self.faults.reseed(self._initial.fault_seed)
            self.api_keys = dict(self._initial.api_keys) or {DEMO_API_KEY: DEMO_ORG_ID}

    # -- faults ----------------------------------------------------------------------------------------

    def fail_next(self, status: int, times: int = 1, headers: Mapping[str, str] | None = None) -> None:
        """Answer the next `times` public API requests with `status` (429, 500 or 503), plus `headers`
        (e.g. `{"Retry-After": "0"}`)."""
        self.faults.fail_next(status, times, headers)

    def drop_next_creates(self, times: int = 1) -> None:
        """Store the next `times` successful creates, then drop their connections without answering."""
        self.faults.drop_next_creates(times)

    def add_fault(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Arm a fault rule described as in `POST /__admin/faults`; returns its description.

        Raises `ValueError` naming the bad field.
        """
        rule = parse_fault(spec)
        self.faults.arm(rule)
        return rule.describe()

    def fail_on(
        self,
        route: str | None,
        status: int,
        *,
        nth: int = 1,
        times: int | None = 1,
        message: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        commit: bool = False,
    ) -> dict[str, Any]:
        """Answer `status` (any 4xx/5xx) on the `nth` request of `route` (counted from now) and the
        `times - 1` after it; see `RunningEmulator.fail_on`."""
        spec: dict[str, Any] = {"kind": "status", "route": route, "status": status, "nth": nth}
        spec.update(times=times, message=message, body=body, headers=dict(headers or {}), commit=commit)
        return self.add_fault(spec)

    def fail_auth_from(self, request: int = 1) -> dict[str, Any]:
        """401 `Invalid Key...` on every public request from the `request`-th on (counted from now,
        over all routes), until `reset()` or `clear_faults()`."""
        return self.add_fault({"kind": "auth", "nth": request})

    def delay_on(
        self, route: str | None, seconds: float, *, nth: int = 1, times: int | None = 1, commit: bool = False
    ) -> dict[str, Any]:
        """Hold the `nth` request of `route` (or, with `commit`, its answer) for `seconds`."""
        spec = {"kind": "delay", "route": route, "seconds": seconds, "nth": nth, "times": times}
        return self.add_fault({**spec, "commit": commit})

    def drop_on(
        self, route: str | None = CREATE_ROUTE, *, nth: int = 1, times: int | None = 1, commit: bool = True
    ) -> dict[str, Any]:
        """Drop the connection of the `nth` request of `route` without an answer (with `commit`, after
        handling it)."""
        return self.add_fault({"kind": "drop", "route": route, "nth": nth, "times": times, "commit": commit})

    def clear_faults(self) -> None:
        """Disarm every fault rule and empty the `fail_next` queues; the config (rates) is unchanged."""
        self.faults.clear()

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
