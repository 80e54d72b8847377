"""The fault matrix's shared parts: one stack config run by either provider, state checked against the
emulator field by field, and the documented recovery after a killed `pulumi up`, step by step.

A test takes the `numbers_stack` fixture (tests/e2e/conftest.py), parametrized over `PROVIDERS`
(ids `dynamic` and `native`): `numbers_stack(numbers, secrets=..., **kwargs)` has the signature of
`project_stack` and returns a `StackUnderTest`, a `PulumiStack` that also knows its provider's type
tokens and own state keys. The dynamic provider runs the project's program (`__main__.py`), the native
one its twin (`programs/native_config`), both from the same `vapi-phone-numbers:numbers`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi_harness import REPO_ROOT, PulumiStack
from vapi_emulator import DEMO_API_KEY, RunningEmulator
from vapi_provider import (
    BYO_PHONE_NUMBER_TYPE,
    PHONE_NUMBER_TYPE,
    TELNYX_PHONE_NUMBER_TYPE,
    TWILIO_PHONE_NUMBER_TYPE,
    VONAGE_PHONE_NUMBER_TYPE,
)
from vapi_provider.native.provider import CREDENTIAL_MARK
from vapi_provider.native.tokens import resource_token
from vapi_provider.properties import TABLE_BY_PROVIDER

__all__ = [
    "DYNAMIC",
    "HOLD_SECONDS",
    "NATIVE",
    "PROVIDERS",
    "NumbersProvider",
    "Recovery",
    "StackUnderTest",
    "assert_state_matches_emulator",
    "documented_recovery_steps",
    "emulator_ids",
    "vapi_cli",
]

HOLD_SECONDS = 5.0
"""How long the emulator holds an answer after committing, for a kill to land in between: far longer than
the kill takes (at most 0.25 s after the commit shows), and over before the trial's recovery ends, since an
answer still held when the emulator stops costs its 5 s graceful shutdown."""
NUMBERS_KEY = "vapi-phone-numbers:numbers"
IN_DOUBT_PREFIX = "in-doubt-"
_ALL_OWN_KEYS = frozenset(key for table in TABLE_BY_PROVIDER.values() for key in table.own_keys)


@dataclass(frozen=True)
class NumbersProvider:
    """One of the two providers the matrix runs: its program and what its state looks like."""

    name: str
    """The test id: `dynamic` or `native`."""
    tokens: Mapping[str, str]
    """Vapi's kind of number (`vapi`, `twilio`, ...) -> this provider's type token."""
    own_keys: frozenset[str]
    """State keys that are this provider's bookkeeping, not Vapi's fields (ignored in comparisons)."""


DYNAMIC = NumbersProvider(
    name="dynamic",
    tokens={
        "vapi": PHONE_NUMBER_TYPE,
        "twilio": TWILIO_PHONE_NUMBER_TYPE,
        "vonage": VONAGE_PHONE_NUMBER_TYPE,
        "telnyx": TELNYX_PHONE_NUMBER_TYPE,
        "byo-phone-number": BYO_PHONE_NUMBER_TYPE,
    },
    own_keys=frozenset({"__provider", *_ALL_OWN_KEYS}),
)
NATIVE = NumbersProvider(
    name="native",
    tokens={kind: resource_token(table) for kind, table in TABLE_BY_PROVIDER.items()},
    own_keys=frozenset({CREDENTIAL_MARK, *_ALL_OWN_KEYS}),
)
PROVIDERS = {p.name: p for p in (DYNAMIC, NATIVE)}
"""The matrix: test id -> provider."""


@dataclass
class StackUnderTest(PulumiStack):
    """A stack of the numbers program of one provider (`provider`), pointed at the emulator."""

    provider: NumbersProvider = DYNAMIC

    @property
    def tokens(self) -> Mapping[str, str]:
        return self.provider.tokens

    @property
    def own_keys(self) -> frozenset[str]:
        return self.provider.own_keys

    def set_numbers(self, numbers: Mapping[str, Any]) -> None:
        """Replace `vapi-phone-numbers:numbers` (plaintext, Vapi's field names)."""
        self.set_config_object(NUMBERS_KEY, dict(numbers))

    def resources_of_kind(self, kind: str = "vapi") -> list[dict[str, Any]]:
        """The state's resources of one kind of number (Vapi's name for it)."""
        return self.resources(self.tokens[kind])

    def numbers(self) -> list[dict[str, Any]]:
        """The state's resources of every kind of number."""
        tokens = set(self.tokens.values())
        return [r for r in self.resources() if r["type"] in tokens]

    def ids(self, kind: str | None = None) -> set[str]:
        """Ids of the state's numbers (of one kind, or of all)."""
        resources = self.numbers() if kind is None else self.resources_of_kind(kind)
        return {r["id"] for r in resources}


def emulator_ids(emulator: RunningEmulator) -> set[str]:
    return {n["id"] for n in emulator.numbers()}


def assert_state_matches_emulator(
    stack: StackUnderTest, emulator: RunningEmulator, *others: StackUnderTest
) -> None:
    """The state of `stack` (and `others`, stacks in the same org) holds exactly the emulator's numbers,
    of every kind, each field for field: every output the state holds is what Vapi holds, and every field
    Vapi holds (but its bookkeeping, `id` and `provider`) is in the state; the provider's own keys are
    ignored. No number is in two stacks."""
    stored = {n["id"]: n for n in emulator.numbers()}
    held = [(s, r) for s in (stack, *others) for r in s.numbers()]
    assert sorted(r["id"] for _, r in held) == sorted(stored), "state and emulator hold different numbers"
    for owner, resource in held:
        number = stored[resource["id"]]
        outputs = {k: v for k, v in resource["outputs"].items() if k not in owner.own_keys and v is not None}
        assert outputs == {k: v for k, v in number.items() if k not in ("id", "provider")}, resource["urn"]


def vapi_cli(emulator: RunningEmulator, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m vapi_provider ARGS` against the emulator (`VAPI_API_KEY`, `VAPI_BASE_URL`)."""
    env = {**os.environ, "VAPI_API_KEY": DEMO_API_KEY, "VAPI_BASE_URL": emulator.url}
    return subprocess.run(
        [sys.executable, "-m", "vapi_provider", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


RECOVERY_HEADING = "## Recovering from an interrupted `pulumi up`"


def documented_recovery_steps(doc: Path = REPO_ROOT / "docs" / "provider.md") -> list[str]:
    """The commands of the recovery in docs/provider.md, in order, without their comments."""
    text = doc.read_text()
    section = text[text.index(RECOVERY_HEADING) :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, f"docs/provider.md: no sh block under {RECOVERY_HEADING!r}"
    lines = (line.split("  #", 1)[0].strip() for line in block.group(1).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


DECISION_MARKERS = ("adopt:", "adopt=<id>", "pulumi state delete", "without your word")
"""Text by which a step asks the user to decide (adopt a candidate, delete a record)."""


@dataclass
class Recovery:
    """The documented recovery after a killed `pulumi up` (docs/provider.md), one method per step.

    Each step records the documented command it stands for (`steps`) and fails the test if it fails or
    asks a decision: a refresh or up that names candidates to adopt, an in-doubt record left in state, an
    orphan proven by its name only. `run()` performs every documented step in order; a trial that looks
    between steps calls them itself, then `assert_exactly_the_documented_steps()`."""

    stack: StackUnderTest
    emulator: RunningEmulator
    folder: Path
    steps: list[str] = field(default_factory=list)
    found_orphans: list[dict[str, Any]] = field(default_factory=list)
    recover_log: str = ""

    @property
    def export_file(self) -> Path:
        return self.folder / "interrupted.json"

    @property
    def recovered_file(self) -> Path:
        return self.folder / "recovered.json"

    def _did(self, command: str) -> None:
        self.steps.append(command)

    def _refuse_decision(self, command: str, text: str) -> None:
        asked = [marker for marker in DECISION_MARKERS if marker in text]
        assert not asked, f"`{command}` asks a decision ({asked}):\n{text}"
        in_doubt = sorted(r["urn"] for r in self.stack.numbers() if r["id"].startswith(IN_DOUBT_PREFIX))
        assert not in_doubt, f"after `{command}` the state holds in-doubt records: {in_doubt}"

    def cancel(self) -> None:
        self.stack.release_after_kill()  # the zero-byte `.attrs` sidecar first, as documented
        self._did("pulumi cancel --yes")

    def export(self) -> None:
        self.export_file.write_text(self.stack.run("stack", "export").stdout)
        self._did("pulumi stack export > interrupted.json")

    def orphans(self) -> None:
        found = vapi_cli(self.emulator, "orphans", "--stack-export", str(self.export_file), "--json")
        assert found.returncode in (0, 3), found.stdout + found.stderr
        self.found_orphans = json.loads(found.stdout)
        # A claim name or an autoname is unique to one resource of this stack; a name alone is not.
        unproven = [o for o in self.found_orphans if o["proof"] not in ("autoname", "claim")]
        assert not unproven, f"orphans that need a decision (not proven by a claim or autoname): {unproven}"
        self._did("python -m vapi_provider orphans --stack-export interrupted.json")

    def recover(self) -> None:
        done = vapi_cli(
            self.emulator,
            "recover",
            "--stack-export",
            str(self.export_file),
            "--output",
            str(self.recovered_file),
        )
        self.recover_log = done.stdout + done.stderr
        assert done.returncode == 0, self.recover_log
        self._did("python -m vapi_provider recover --stack-export interrupted.json --output recovered.json")

    def import_(self) -> None:
        self.stack.run("stack", "import", "--file", str(self.recovered_file))  # it always imports
        self._did("pulumi stack import --file recovered.json")

    def refresh(self) -> None:
        done = self.stack.refresh(check=False)
        command = "pulumi refresh --yes"
        self._refuse_decision(command, done.stdout + done.stderr)
        assert done.returncode == 0, f"`{command}` failed:\n{done.stdout}\n{done.stderr}"
        self._did(command)

    def up(self) -> None:
        done = self.stack.up(check=False)
        self._refuse_decision("pulumi up", done.stdout + done.stderr)
        assert done.returncode == 0, f"`pulumi up` failed:\n{done.stdout}\n{done.stderr}"
        self._did("pulumi up")

    _BY_COMMAND = {
        "pulumi cancel --yes": cancel,
        "pulumi stack export > interrupted.json": export,
        "python -m vapi_provider orphans --stack-export interrupted.json": orphans,
        "python -m vapi_provider recover --stack-export interrupted.json --output recovered.json": recover,
        "pulumi stack import --file recovered.json": import_,
        "pulumi refresh --yes": refresh,
        "pulumi up": up,
    }

    def run(self) -> Recovery:
        """Every documented step, in the documented order; then checks that this was all of them."""
        for command in documented_recovery_steps():
            assert command in self._BY_COMMAND, f"docs/provider.md names a step the suite lacks: {command}"
            self._BY_COMMAND[command](self)
        self.assert_exactly_the_documented_steps()
        return self

    def assert_exactly_the_documented_steps(self) -> None:
        """The trial's manual steps are exactly the documented ones: none skipped, none added (an edit of
        the program, a `pulumi state delete`), in order."""
        documented = documented_recovery_steps()
        assert self.steps == documented, (
            f"the recovery took {len(self.steps)} manual step(s), the docs {len(documented)}:\n"
            f"ran: {self.steps}\ndocumented: {documented}"
        )
