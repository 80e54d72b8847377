"""Claims held for one run: no two resources of a provider process buy numbers with the same name,
sipUri or imported number.

Before a create (or an update that changes one of them) sends anything, the provider claims the number's
`name`, its `sipUri` and, for an imported number, its `number`, each in its compared form (`normalise`),
for the resource's URN. A value another resource already holds fails the call before any API call
(`DuplicateNumberError`, naming both resources). The same resource may claim a value again: a retry, or
a replacement, whose new number has the old one's URN and may take its name. A create or update that
fails gives back what it claimed, so the value may be claimed again.

The claims live as long as the provider process: one process per `pulumi` run for the dynamic resources
(the host serves every kind in one process, so they share `PROCESS_CLAIMS`), one per provider
configuration for the native plugin (each `VapiProvider` has its own `RunClaims`). They catch what the
checks made before anything is declared cannot see: values that are `Output`s, and programs that have no
program-wide check (the native SDK, YAML, `pulumi.CustomResource`), also with `pulumi up --skip-preview`.
Numbers that already exist and are not created or renamed in this run hold no claim; the policy pack's
`vapi-unique-numbers` compares every number of the stack.

No Pulumi import.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import DuplicateNumberError
from .properties import ResourceTable
from .secrets import is_sealed

__all__ = ["PROCESS_CLAIMS", "UNIQUE_KEYS", "Claim", "RunClaims", "claims_of", "normalise"]

UNIQUE_KEYS = ("name", "sipUri", "number")
"""The inputs no two numbers may share (`number` only where it is an input: the imported kinds)."""


def normalise(key: str, value: str) -> str:
    """The form in which two numbers' values of `key` are compared, by every uniqueness check.

    A sipUri without surrounding white space and case-insensitively (`sip:Desk@sip.vapi.ai` and
    `sip:desk@sip.vapi.ai` reach the same line), an imported number without surrounding white space, a
    name exactly as given.
    """
    if key == "sipUri":
        return value.strip().lower()
    if key == "number":
        return value.strip()
    return value


@dataclass(frozen=True)
class Claim:
    """One value a resource holds for the run."""

    key: str
    """`name`, `sipUri` or `number`."""
    value: str
    """The compared form (`normalise`)."""
    shown: str | None
    """The declared value, for messages; None when it is secret."""


def claims_of(
    table: ResourceTable, props: Mapping[str, Any], old: Mapping[str, Any] | None = None
) -> list[Claim]:
    """The claims of a number's inputs (wire keys; a sealed value is secret and never shown).

    With `old` (an update's old state), only the values that change.
    """
    out = []
    for key in UNIQUE_KEYS:
        if key not in table.api_keys:
            continue
        raw = props.get(key)
        value = _opened(raw)
        if not isinstance(value, str) or not value.strip():
            continue
        compared = normalise(key, value)
        if old is not None:
            before = _opened(old.get(key))
            if isinstance(before, str) and normalise(key, before) == compared:
                continue
        out.append(Claim(key, compared, None if is_sealed(raw) else value))
    return out


def _opened(value: Any) -> Any:
    return value["value"] if is_sealed(value) else value


class RunClaims:
    """The values claimed in this process, each by one resource (its URN). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders: dict[tuple[str, str], str] = {}

    def claim(self, urn: str, claims: list[Claim]) -> list[Claim]:
        """Hold every claim for `urn`, or none of them; returns those it did not hold yet.

        Raises `DuplicateNumberError` when another resource holds one. A resource without a URN (''),
        which cannot be told apart from another, claims nothing.
        """
        if not urn:
            return []
        with self._lock:
            taken: list[Claim] = []
            clashes: list[tuple[Claim, str]] = []
            for claim in claims:
                holder = self._holders.get((claim.key, claim.value))
                if holder is None:
                    taken.append(claim)
                elif holder != urn:
                    clashes.append((claim, holder))
            if clashes:
                raise DuplicateNumberError(_message(urn, clashes))
            for claim in taken:
                self._holders[(claim.key, claim.value)] = urn
            return taken

    def release(self, urn: str, claims: list[Claim]) -> None:
        """Give back the claims `urn` holds among `claims`."""
        with self._lock:
            for claim in claims:
                if self._holders.get((claim.key, claim.value)) == urn:
                    del self._holders[(claim.key, claim.value)]

    @contextmanager
    def held(self, urn: str, claims: list[Claim]) -> Iterator[None]:
        """Claim for the duration of a create or update: what it newly claimed is given back if it fails."""
        taken = self.claim(urn, claims)
        try:
            yield
        except BaseException:
            self.release(urn, taken)
            raise

    def holder(self, key: str, value: str) -> str | None:
        """The URN holding `value` of `key` (in any declared form), if any."""
        with self._lock:
            return self._holders.get((key, normalise(key, value)))

    def clear(self) -> None:
        """Forget every claim (tests)."""
        with self._lock:
            self._holders.clear()


PROCESS_CLAIMS = RunClaims()
"""The claims of this process: the dynamic-provider host's, shared by every kind of number."""


def _label(urn: str) -> str:
    """`VapiPhoneNumber 'second'` for `urn:pulumi:<stack>::<project>::<...type>::second`."""
    parts = urn.split("::")
    if len(parts) < 4:
        return repr(urn)
    kind = parts[-2].rsplit("$", 1)[-1].rsplit(":", 1)[-1]
    return f"{kind} {parts[-1]!r}"


def _message(urn: str, clashes: list[tuple[Claim, str]]) -> str:
    me = _label(urn)
    problems = []
    for claim, holder in clashes:
        how = ", compared case-insensitively" if claim.key == "sipUri" else ""
        value = "a secret value" if claim.shown is None else repr(claim.shown)
        problems.append(
            f"{me} has the same {claim.key} as {_label(holder)} ({value}{how}), which this run is already "
            f"creating or renaming ({holder})"
        )
    keys = " and ".join(dict.fromkeys(claim.key for claim, _holder in clashes))
    return (
        "; ".join(problems)
        + f". Nothing was sent to Vapi for {me}. Give each number its own {keys}, then run `pulumi up` "
        "again."
    )
