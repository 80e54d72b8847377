"""A number bought is a number recorded: faults after a create's POST, ambiguous creates, lagging
lists and two stacks in one org, with the real engine and the emulator on a socket.

After each case and its documented recovery, the emulator's numbers equal the stack's, field for field
(no duplicate, no orphan), and no stack holds another stack's number. Every case runs against both
providers (`numbers_stack`: ids `dynamic` and `native`), and every kill trial recovers with exactly the
documented steps, none asking a decision (`fault_helpers.Recovery`).
"""

from __future__ import annotations

import random
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.fault_helpers import (
    HOLD_SECONDS,
    Recovery,
    StackUnderTest,
    assert_state_matches_emulator,
    emulator_ids,
)
from vapi_emulator import RunningEmulator

ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
POLL = "GET /phone-number/{id}"


def _numbers(count: int, *, pstn: int | None = None) -> dict[str, Any]:
    """`count` numbers: the first `pstn` (default all, at most Vapi's 5 free ones) by area code, the
    rest SIP numbers."""
    pstn = count if pstn is None else pstn
    numbers: dict[str, Any] = {}
    for i in range(count):
        source = {"numberDesiredAreaCode": "415"} if i < pstn else {"sipUri": f"sip:line-{i}@sip.vapi.ai"}
        numbers[f"line-{i}"] = {**source, "assistantId": ASSISTANT}
    return numbers


@pytest.mark.parametrize("status", [401, 404, 500])
def test_an_error_on_the_poll_after_a_201_still_records_the_number(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator, status: int
) -> None:
    stack = numbers_stack(_numbers(1))
    emulator.fail_on(POLL, status, nth=1)
    stack.up()
    assert stack.ids() == emulator_ids(emulator) and len(stack.ids()) == 1
    emulator.reset_metrics()
    stack.up()
    assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0, "a second number was bought"
    assert stack.ids() == emulator_ids(emulator)
    stack.refresh()  # the documented step after a failed poll: it reads the final status
    assert_state_matches_emulator(stack, emulator)


def test_a_401_partway_through_an_up_of_8_numbers_leaves_no_orphan(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator
) -> None:
    stack = numbers_stack(_numbers(8, pstn=3))
    emulator.fail_auth_from(6)  # the key is revoked partway through the run
    failed = stack.up(check=False)
    assert failed.returncode != 0
    assert emulator_ids(emulator) <= stack.ids(), "a bought number is outside the stack"
    emulator.clear_faults()
    stack.up()
    assert stack.ids() == emulator_ids(emulator) and len(stack.ids()) == 8
    stack.refresh()  # documented for a 401 after a 201: the number's final status (it was activating)
    assert_state_matches_emulator(stack, emulator)


def _without_the_stacks_lines(text: str) -> list[str]:
    """The CLI's output less the program process's own lines: its progress lines and its block under
    Diagnostics (`  pulumi:pulumi:Stack (...):` up to the next resource's block or section)."""
    kept: list[str] = []
    in_stack_block = False
    for line in text.splitlines():
        if re.match(r"^  \S.*\):$", line) or (line and not line.startswith(" ")):
            in_stack_block = line.startswith("  pulumi:pulumi:Stack (")
        if in_stack_block or "pulumi:pulumi:Stack" in line:
            continue
        kept.append(line)
    return kept


def test_a_dropped_post_then_a_500_on_the_reconciling_list_is_recorded_in_doubt_and_refresh_resolves_it(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator
) -> None:
    stack = numbers_stack(_numbers(1))
    emulator.drop_on("POST /phone-number")  # committed, then the connection drops
    # The search for an earlier claim before the POST answers; every reconciling search fails.
    emulator.fail_on("GET /v2/phone-number", 500, nth=2, times=None)
    stack.up()
    emulator.clear_faults()
    (record,) = stack.resources_of_kind("vapi")
    assert record["id"].startswith("in-doubt-") and record["outputs"]["status"] == "in-doubt"
    assert len(emulator.numbers()) == 1

    emulator.reset_metrics()
    assert "~ 1 to update" in stack.preview().stdout  # the record is shown as a pending change
    stopped = stack.up(check=False)
    assert stopped.returncode != 0
    text = stopped.stdout + stopped.stderr
    assert "may have bought" in text and "pulumi refresh" in text
    # Our message comes without a Python traceback. (With the native provider, the program process of
    # the test's own twin program may print one of its own when the engine stops it mid-registration:
    # that is the Python SDK's, on the stack's lines, not on the resource's.)
    ours = text.splitlines() if stack.provider.name == "dynamic" else _without_the_stacks_lines(text)
    assert not [line for line in ours if "Traceback" in line or 'File "' in line], text
    assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0

    stack.refresh()
    assert stack.ids() == emulator_ids(emulator)
    emulator.reset_metrics()
    stack.up()
    assert emulator.metrics()["total"] == 0
    assert len(emulator.numbers()) == 1
    assert_state_matches_emulator(stack, emulator)


def test_a_list_that_lags_behind_the_create_buys_no_duplicate(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator
) -> None:
    lag = 10.0
    stack = numbers_stack(_numbers(1))
    stack.run("config", "set", "vapi:inDoubtSettleSeconds", str(lag + 2), "--stack", stack.stack)
    emulator.configure(list_lag_seconds=lag)
    emulator.drop_on("POST /phone-number")
    started = time.monotonic()
    stack.up()
    listed_from = time.monotonic() + lag  # the dropped POST's number shows in lists from here on
    (record,) = stack.resources_of_kind("vapi")
    assert record["id"].startswith("in-doubt-"), "the lagging list was taken as proof"
    stack.refresh()
    if time.monotonic() - started < lag:  # the list still lags: "not listed" proves nothing yet
        assert stack.ids() == {record["id"]}
    emulator.reset_metrics()
    assert stack.up(check=False).returncode != 0 or stack.ids() != {record["id"]}
    if emulator.metrics()["requests"].get("POST /phone-number 201", 0):  # this `up` bought one too
        listed_from = time.monotonic() + lag
    assert len(emulator.numbers()) == 1
    time.sleep(max(0.0, listed_from + 0.5 - time.monotonic()))  # past the lag of every number created
    stack.refresh()
    assert stack.ids() == emulator_ids(emulator) and len(emulator.numbers()) == 1
    stack.up()
    assert len(emulator.numbers()) == 1
    assert_state_matches_emulator(stack, emulator)


def test_a_create_that_was_never_committed_is_dropped_by_refresh_and_bought_once(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator
) -> None:
    stack = numbers_stack(_numbers(1))
    stack.run("config", "set", "vapi:inDoubtSettleSeconds", "0", "--stack", stack.stack)
    emulator.fail_on("POST /phone-number", 500)  # answered before anything is stored
    stack.up()
    assert emulator.numbers() == []
    stack.refresh()
    assert stack.ids() == set()
    stack.up()
    assert len(emulator.numbers()) == 1
    assert_state_matches_emulator(stack, emulator)


def test_two_stacks_in_one_org_with_the_same_explicit_name_and_sip_uri_never_take_each_others_numbers(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator
) -> None:
    numbers = {"desk": {"name": "shared-line", "sipUri": "sip:shared-desk@sip.vapi.ai", "squadId": ASSISTANT}}
    theirs = numbers_stack(numbers, stack="stack-b")
    theirs.up()
    their_ids = theirs.ids()

    ours = numbers_stack({"desk": {**numbers["desk"], "sipUri": "sip:our-desk@sip.vapi.ai"}}, stack="stack-a")
    ours.run("config", "set", "vapi:inDoubtSettleSeconds", "0", "--stack", ours.stack)
    emulator.fail_on("POST /phone-number", 500)  # our POST is not committed; theirs has the same name
    ours.up()
    ours.refresh()  # no candidate but theirs, which existed before: the record is dropped
    assert ours.ids() == set()
    ours.up()
    assert ours.ids().isdisjoint(their_ids) and len(ours.ids()) == 1
    assert theirs.ids() == their_ids
    assert_state_matches_emulator(ours, emulator, theirs)

    # The same sipUri as theirs: Vapi refuses it; nothing of theirs is taken.
    clash = numbers_stack(numbers, stack="stack-c")
    assert clash.up(check=False).returncode != 0
    assert clash.ids() == set()
    ours.destroy()
    assert emulator_ids(emulator) == their_ids, "destroying one stack released another stack's number"
    assert_state_matches_emulator(theirs, emulator, ours, clash)


def test_preview_shows_the_autoname_that_up_applies(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator
) -> None:
    stack = numbers_stack({"support-line": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT}})
    preview = stack.preview("--diff").stdout
    stack.up()
    (number,) = emulator.numbers()
    assert number["name"].startswith("support-line-")
    assert number["name"] in preview
    assert_state_matches_emulator(stack, emulator)


KILL_SEED = 20261201
"""Seeds the moment of each SIGKILL: a random delay (0-0.25 s) after the trigger, the same on every run."""


def _kill_when(stack: StackUnderTest, condition: Callable[[], bool], salt: str = "") -> None:
    stack.up_killed_when(condition, delay=random.Random(f"{KILL_SEED}:{salt}").uniform(0.0, 0.25))


def test_a_kill_during_a_replacement_recovers_and_imports(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator, tmp_path: Path
) -> None:
    numbers = {"moving": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT, "allowRelease": True}}
    stack = numbers_stack(numbers)
    stack.up()
    (old,) = emulator.numbers()
    numbers["moving"]["numberDesiredAreaCode"] = "212"
    stack.set_numbers(numbers)
    emulator.configure(latency_seconds=0.3)
    _kill_when(stack, lambda: len(emulator.numbers()) == 2, "replace")  # the new number bought
    emulator.configure(latency_seconds=0)
    Recovery(stack, emulator, tmp_path).run()
    assert len(emulator.numbers()) == 1, f"not just the new number at Vapi: {emulator.numbers()}"
    (new,) = emulator.numbers()
    assert new["id"] != old["id"] and new["numberDesiredAreaCode"] == "212"
    assert stack.ids() == {new["id"]}
    assert_state_matches_emulator(stack, emulator)


def test_a_kill_during_an_explicitly_named_create_recovers_with_the_documented_steps(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator, tmp_path: Path
) -> None:
    stack = numbers_stack(
        {"desk": {"name": "front desk", "sipUri": "sip:front-desk@sip.vapi.ai", "squadId": ASSISTANT}}
    )
    emulator.delay_on("POST /phone-number", HOLD_SECONDS, commit=True)  # bought, the answer held: kill now
    _kill_when(stack, lambda: len(emulator.numbers()) == 1)
    emulator.clear_faults()
    (bought,) = emulator.numbers()
    # Bought under the resource's claim name, not yet renamed: that name proves it is this create's own
    # (the explicit name alone would not: another stack may use it), so no step asks a decision.
    assert bought["name"] != "front desk"
    recovery = Recovery(stack, emulator, tmp_path).run()
    assert f"as Vapi number {bought['id']}" in recovery.recover_log
    assert stack.ids() == {bought["id"]} and emulator_ids(emulator) == {bought["id"]}
    (stored,) = emulator.numbers()
    assert stored["name"] == "front desk"
    assert_state_matches_emulator(stack, emulator)


@pytest.mark.parametrize("named", [True, False], ids=["named", "autonamed"])
def test_after_a_kill_during_a_create_the_next_up_takes_the_number_instead_of_buying_another(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator, named: bool
) -> None:
    # No recovery command at all: the engine drops the pending create, and the create finds its claim.
    declared: dict[str, Any] = {"sipUri": "sip:next-up@sip.vapi.ai", "squadId": ASSISTANT}
    if named:
        declared["name"] = "next up"
    stack = numbers_stack({"line": declared})
    emulator.delay_on("POST /phone-number", HOLD_SECONDS, commit=True)
    _kill_when(stack, lambda: len(emulator.numbers()) == 1, "next-up")
    emulator.clear_faults()
    (bought,) = emulator.numbers()
    stack.release_after_kill()
    emulator.reset_metrics()
    stack.up()
    assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0
    (stored,) = emulator.numbers()
    assert stored["id"] == bought["id"] and stack.ids() == {bought["id"]}
    assert stored["name"] == "next up" if named else stored["name"].startswith("line-")
    assert_state_matches_emulator(stack, emulator)


UPDATE = "PATCH /phone-number/{id}"
DELETE = "DELETE /phone-number/{id}"


@pytest.mark.parametrize(
    ("operation", "route", "fault"),
    [
        ("update", UPDATE, "500"),
        ("update", UPDATE, "drop-after-commit"),
        ("refresh", POLL, "500"),
        ("refresh", POLL, "401"),
        ("destroy", DELETE, "500"),
        ("destroy", DELETE, "drop-after-commit"),
    ],
)
def test_a_fault_on_each_later_call_converges_on_a_rerun(
    numbers_stack: Callable[..., StackUnderTest],
    emulator: RunningEmulator,
    operation: str,
    route: str,
    fault: str,
) -> None:
    numbers = _numbers(2, pstn=1)
    stack = numbers_stack(numbers)
    stack.run("config", "set", "vapi:maxRetries", "1", "--stack", stack.stack)
    stack.up()
    before = emulator_ids(emulator)
    if fault == "drop-after-commit":
        emulator.drop_on(route, times=None)
    else:
        emulator.fail_on(route, int(fault), times=None)

    def run(check: bool) -> subprocess.CompletedProcess[str]:
        if operation == "update":
            changed = {
                k: {**v, "assistantId": "11111111-2222-4333-8444-555555555555"} for k, v in numbers.items()
            }
            stack.set_numbers(changed)
            return stack.up(check=check)
        if operation == "refresh":
            return stack.refresh(check=check)
        return stack.destroy(check=check)

    assert run(check=False).returncode != 0, "the fault did not make the operation fail"
    assert emulator_ids(emulator) <= before, "a fault bought a number"
    emulator.clear_faults()
    run(check=True)
    if operation == "destroy":
        assert emulator.numbers() == [] and stack.ids() == set()
    else:
        assert stack.ids() == emulator_ids(emulator) == before
        assert_state_matches_emulator(stack, emulator)
        if operation == "update":
            assert {n["assistantId"] for n in emulator.numbers()} == {"11111111-2222-4333-8444-555555555555"}
        emulator.reset_metrics()
        stack.up()
        assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0


@pytest.mark.parametrize("operation", ["update", "destroy"])
def test_a_kill_during_an_update_or_a_destroy_recovers(
    numbers_stack: Callable[..., StackUnderTest], emulator: RunningEmulator, tmp_path: Path, operation: str
) -> None:
    numbers = _numbers(4, pstn=0)
    stack = numbers_stack(numbers)
    stack.up()
    before = emulator_ids(emulator)
    route = UPDATE if operation == "update" else DELETE
    # Applied at Vapi, the answers held: kill meanwhile.
    emulator.delay_on(route, HOLD_SECONDS, commit=True, times=None)
    if operation == "update":
        changed = {
            k: {**v, "assistantId": "11111111-2222-4333-8444-555555555555"} for k, v in numbers.items()
        }
        stack.set_numbers(changed)
        _kill_when(
            stack, lambda: any(n.get("assistantId") != ASSISTANT for n in emulator.numbers()), "update"
        )
    else:
        stack.set_numbers({})
        _kill_when(stack, lambda: len(emulator.numbers()) < len(before), "destroy")
    emulator.clear_faults()
    Recovery(stack, emulator, tmp_path).run()
    assert_state_matches_emulator(stack, emulator)
    if operation == "update":
        assert stack.ids() == before
        assert {n["assistantId"] for n in emulator.numbers()} == {"11111111-2222-4333-8444-555555555555"}
    else:
        assert emulator.numbers() == []
