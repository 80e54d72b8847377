"""Phone-number storage: one dict per org behind a lock, optionally persisted to a JSON file.

Every mutation runs under the lock and, when a data file is configured, rewrites the file before the lock is
released: the snapshot is written to a temporary file in the same directory, flushed, fsynced and moved over
the old file with `os.replace`, so a reader (or a crash) only ever sees a complete file, and two concurrent
writes cannot interleave or lose each other.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "DataFileError",
    "PhoneNumberStore",
    "Record",
    "format_timestamp",
]

T = TypeVar("T")

_FILE_VERSION = 1


class DataFileError(Exception):
    """The data file exists but cannot be read as emulator state."""


def format_timestamp(epoch: float) -> str:
    """ISO 8601 with milliseconds and `Z`, the way Vapi writes `createdAt`/`updatedAt`."""
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Record:
    """One stored phone number: its public fields plus the bookkeeping the API never returns."""

    data: dict[str, Any]
    """Public fields, exactly as returned (id, orgId, provider, createdAt, updatedAt, status, ...).
    Never changed in place once stored: every change assigns a new dict, so a reader holding the old one
    can copy it without the lock."""
    seq: int
    """Insertion order; breaks ties between equal `createdAt` values."""
    created: float
    """`createdAt` as epoch seconds (millisecond precision)."""
    updated: float
    """`updatedAt` as epoch seconds (millisecond precision)."""
    activate_at: float | None = None
    """When an `activating` number turns `active`; `None` once active or never activating."""
    pending_number: str | None = None
    """The number assigned on activation."""

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def org_id(self) -> str:
        return str(self.data["orgId"])

    def materialise(self, now: float) -> bool:
        """Apply a due activation; return whether anything changed."""
        if self.activate_at is None or now < self.activate_at:
            return False
        if self.data.get("status") == "activating":
            # Copy on write: readers may be copying the old dict outside the lock.
            data = dict(self.data)
            data["status"] = "active"
            if self.pending_number is not None:
                data["number"] = self.pending_number
            self.updated = max(self.updated, _ms(self.activate_at))
            data["updatedAt"] = format_timestamp(self.updated)
            self.data = data
        self.activate_at = None
        self.pending_number = None
        return True

    def to_json(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "seq": self.seq,
            "activateAt": self.activate_at,
            "pendingNumber": self.pending_number,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Record:
        data = raw["data"]
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise ValueError("record without data.id")
        created = _parse_epoch(data["createdAt"])
        updated = _parse_epoch(data["updatedAt"])
        return cls(
            data=data,
            seq=int(raw["seq"]),
            created=created,
            updated=updated,
            activate_at=raw.get("activateAt"),
            pending_number=raw.get("pendingNumber"),
        )


def _ms(epoch: float) -> float:
    return int(epoch * 1000) / 1000


def _parse_epoch(text: Any) -> float:
    if not isinstance(text, str):
        raise ValueError("timestamp is not a string")
    return datetime.fromisoformat(text).timestamp()


class PhoneNumberStore:
    """Thread-safe store of `Record`s keyed by org id and phone-number id.

    `read` and `mutate` take callables that run under the store's lock; `mutate` persists afterwards
    (unless the callable raised, in which case it must not have changed anything).
    """

    def __init__(self, data_file: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.RLock()
        self._orgs: dict[str, dict[str, Record]] = {}
        self._seq = 0
        self._clock = clock
        self.data_file = data_file
        if data_file is not None and data_file.exists():
            self._load(data_file)

    # -- time and ids ----------------------------------------------------------------------------------

    def now(self) -> float:
        """Current time, truncated to milliseconds (the precision of the timestamps)."""
        return _ms(self._clock())

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    # -- access ----------------------------------------------------------------------------------------

    def read(self, fn: Callable[[dict[str, dict[str, Record]]], T]) -> T:
        """Run `fn(orgs)` under the lock with due activations applied (in memory)."""
        with self._lock:
            self._materialise_all()
            return fn(self._orgs)

    def mutate(self, fn: Callable[[dict[str, dict[str, Record]]], T]) -> T:
        """Run `fn(orgs)` under the lock, then persist the new state before releasing the lock."""
        with self._lock:
            self._materialise_all()
            result = fn(self._orgs)
            self._persist()
            return result

    def org(self, orgs: dict[str, dict[str, Record]], org_id: str) -> dict[str, Record]:
        """The dict of one org, created on first use (call only inside `mutate`)."""
        return orgs.setdefault(org_id, {})

    def all_records(self) -> list[Record]:
        """Every record of every org, oldest first (a snapshot; records are shared)."""

        def collect(orgs: dict[str, dict[str, Record]]) -> list[Record]:
            return sorted((r for org in orgs.values() for r in org.values()), key=lambda r: r.seq)

        return self.read(collect)

    # -- persistence -----------------------------------------------------------------------------------

    def _materialise_all(self) -> None:
        now = self._clock()
        for org in self._orgs.values():
            for record in org.values():
                if record.activate_at is not None:
                    record.materialise(now)

    def _load(self, path: Path) -> None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or raw.get("version") != _FILE_VERSION:
                raise ValueError(f"expected an object with version {_FILE_VERSION}")
            numbers = raw["numbers"]
            if not isinstance(numbers, list):
                raise ValueError("numbers must be a list")
            records = [Record.from_json(item) for item in numbers]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise DataFileError(f"cannot read emulator data file {path}: {err}") from err
        for record in records:
            self._orgs.setdefault(record.org_id, {})[record.id] = record
            self._seq = max(self._seq, record.seq)

    def _persist(self) -> None:
        if self.data_file is None:
            return
        records = sorted((r for org in self._orgs.values() for r in org.values()), key=lambda r: r.seq)
        payload = json.dumps(
            {"version": _FILE_VERSION, "numbers": [r.to_json() for r in records]},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        directory = self.data_file.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.data_file.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.data_file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
        _fsync_directory(directory)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store lock (for multi-step admin operations)."""
        with self._lock:
            yield


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
