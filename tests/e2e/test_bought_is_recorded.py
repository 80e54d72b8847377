"""A number bought is a number recorded: faults after a create's POST, ambiguous creates, lagging
lists and two stacks in one org, with the real engine and the emulator on a socket.

After each case and its documented recovery, the emulator's numbers equal the stack's (no duplicate,
no orphan), and no stack holds another stack's number.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pulumi_harness import REPO_ROOT, PulumiStack
from vapi_emulator import DEMO_API_KEY, RunningEmulator
from vapi_provider import PHONE_NUMBER_TYPE

ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
POLL = "GET /phone-number/{id}"


def _ids(stack: PulumiStack) -> set[str]:
    return {r["id"] for r in stack.resources(PHONE_NUMBER_TYPE)}


def _emulator_ids(emulator: RunningEmulator) -> set[str]:
    return {n["id"] for n in emulator.numbers()}


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
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator, status: int
) -> None:
    stack = project_stack(_numbers(1))
    emulator.fail_on(POLL, status, nth=1)
    stack.up()
    assert _ids(stack) == _emulator_ids(emulator) and len(_ids(stack)) == 1
    emulator.reset_metrics()
    stack.up()
    assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0, "a second number was bought"
    assert _ids(stack) == _emulator_ids(emulator)


def test_a_401_partway_through_an_up_of_8_numbers_leaves_no_orphan(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = project_stack(_numbers(8, pstn=3))
    emulator.fail_auth_from(6)  # the key is revoked partway through the run
    failed = stack.up(check=False)
    assert failed.returncode != 0
    assert _emulator_ids(emulator) <= _ids(stack), "a bought number is outside the stack"
    emulator.clear_faults()
    stack.up()
    assert _ids(stack) == _emulator_ids(emulator) and len(_ids(stack)) == 8


def test_a_dropped_post_then_a_500_on_the_reconciling_list_is_recorded_in_doubt_and_refresh_resolves_it(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = project_stack(_numbers(1))
    emulator.drop_on("POST /phone-number")  # committed, then the connection drops
    # The search for an earlier claim before the POST answers; every reconciling search fails.
    emulator.fail_on("GET /v2/phone-number", 500, nth=2, times=None)
    stack.up()
    emulator.clear_faults()
    (record,) = stack.resources(PHONE_NUMBER_TYPE)
    assert record["id"].startswith("in-doubt-") and record["outputs"]["status"] == "in-doubt"
    assert len(emulator.numbers()) == 1

    emulator.reset_metrics()
    assert "~ 1 to update" in stack.preview().stdout  # the record is shown as a pending change
    stopped = stack.up(check=False)
    assert stopped.returncode != 0
    text = stopped.stdout + stopped.stderr
    assert "may have bought" in text and "pulumi refresh" in text and "Traceback" not in text
    assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0

    stack.refresh()
    assert _ids(stack) == _emulator_ids(emulator)
    emulator.reset_metrics()
    stack.up()
    assert emulator.metrics()["total"] == 0
    assert _ids(stack) == _emulator_ids(emulator) and len(emulator.numbers()) == 1


def test_a_list_that_lags_behind_the_create_buys_no_duplicate(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    lag = 10.0
    stack = project_stack(_numbers(1))
    stack.run("config", "set", "vapi:inDoubtSettleSeconds", str(lag + 2), "--stack", stack.stack)
    emulator.configure(list_lag_seconds=lag)
    emulator.drop_on("POST /phone-number")
    started = time.monotonic()
    stack.up()
    (record,) = stack.resources(PHONE_NUMBER_TYPE)
    assert record["id"].startswith("in-doubt-"), "the lagging list was taken as proof"
    stack.refresh()
    if time.monotonic() - started < lag:  # the list still lags: "not listed" proves nothing yet
        assert _ids(stack) == {record["id"]}
    assert stack.up(check=False).returncode != 0 or _ids(stack) != {record["id"]}
    assert len(emulator.numbers()) == 1
    time.sleep(lag + 1)  # past the lag of a number created during the `up` above
    stack.refresh()
    assert _ids(stack) == _emulator_ids(emulator) and len(emulator.numbers()) == 1
    stack.up()
    assert len(emulator.numbers()) == 1


def test_a_create_that_was_never_committed_is_dropped_by_refresh_and_bought_once(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = project_stack(_numbers(1))
    stack.run("config", "set", "vapi:inDoubtSettleSeconds", "0", "--stack", stack.stack)
    emulator.fail_on("POST /phone-number", 500)  # answered before anything is stored
    stack.up()
    assert emulator.numbers() == []
    stack.refresh()
    assert _ids(stack) == set()
    stack.up()
    assert _ids(stack) == _emulator_ids(emulator) and len(emulator.numbers()) == 1


def test_two_stacks_in_one_org_with_the_same_explicit_name_and_sip_uri_never_take_each_others_numbers(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {"desk": {"name": "shared-line", "sipUri": "sip:shared-desk@sip.vapi.ai", "squadId": ASSISTANT}}
    theirs = project_stack(numbers, stack="stack-b")
    theirs.up()
    their_ids = _ids(theirs)

    ours = project_stack({"desk": {**numbers["desk"], "sipUri": "sip:our-desk@sip.vapi.ai"}}, stack="stack-a")
    ours.run("config", "set", "vapi:inDoubtSettleSeconds", "0", "--stack", ours.stack)
    emulator.fail_on("POST /phone-number", 500)  # our POST is not committed; theirs has the same name
    ours.up()
    ours.refresh()  # no candidate but theirs, which existed before: the record is dropped
    assert _ids(ours) == set()
    ours.up()
    assert _ids(ours).isdisjoint(their_ids) and len(_ids(ours)) == 1
    assert _ids(theirs) == their_ids
    assert _emulator_ids(emulator) == _ids(ours) | their_ids

    # The same sipUri as theirs: Vapi refuses it; nothing of theirs is taken.
    clash = project_stack(numbers, stack="stack-c")
    assert clash.up(check=False).returncode != 0
    assert _ids(clash) == set()
    ours.destroy()
    assert _emulator_ids(emulator) == their_ids, "destroying one stack released another stack's number"


def test_preview_shows_the_autoname_that_up_applies(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = project_stack({"support-line": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT}})
    preview = stack.preview("--diff").stdout
    stack.up()
    (number,) = emulator.numbers()
    assert number["name"].startswith("support-line-")
    assert number["name"] in preview


KILL_SEED = 20261201
"""Seeds the moment of each SIGKILL: a random delay (0-0.25 s) after the trigger, the same on every run."""


def _kill_when(stack: PulumiStack, condition: Callable[[], bool], salt: str = "") -> None:
    stack.up_killed_when(condition, delay=random.Random(f"{KILL_SEED}:{salt}").uniform(0.0, 0.25))


def _recover(
    stack: PulumiStack, emulator: RunningEmulator, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    stack.release_after_kill()
    export = tmp_path / "interrupted.json"
    export.write_text(stack.run("stack", "export").stdout)
    fixed = tmp_path / "recovered.json"
    env = {**os.environ, "VAPI_API_KEY": DEMO_API_KEY, "VAPI_BASE_URL": emulator.url}
    recover = subprocess.run(
        [
            sys.executable,
            "-m",
            "vapi_provider",
            "recover",
            "--stack-export",
            str(export),
            "--output",
            str(fixed),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert recover.returncode == 0, recover.stdout + recover.stderr
    stack.run("stack", "import", "--file", str(fixed))  # it always imports
    return recover


def test_a_kill_during_a_replacement_recovers_and_imports(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    numbers = {"moving": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT, "allowRelease": True}}
    stack = project_stack(numbers)
    stack.up()
    (old,) = emulator.numbers()
    numbers["moving"]["numberDesiredAreaCode"] = "212"
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    emulator.configure(latency_seconds=0.3)
    _kill_when(stack, lambda: len(emulator.numbers()) == 2, "replace")  # the new number bought
    emulator.configure(latency_seconds=0)
    _recover(stack, emulator, tmp_path)
    stack.refresh()
    stack.up()
    (new,) = emulator.numbers()
    assert new["id"] != old["id"] and new["numberDesiredAreaCode"] == "212"
    assert _ids(stack) == {new["id"]}


def test_a_kill_during_an_explicitly_named_create_is_recovered_by_its_claim_with_no_decision(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    declared = {"name": "front desk", "sipUri": "sip:front-desk@sip.vapi.ai", "squadId": ASSISTANT}
    stack = project_stack({"desk": declared})
    emulator.delay_on("POST /phone-number", 30, commit=True)  # bought, the answer held: kill meanwhile
    _kill_when(stack, lambda: len(emulator.numbers()) == 1)
    emulator.clear_faults()
    (bought,) = emulator.numbers()
    assert bought["name"] != "front desk"  # bought under the resource's claim name, not yet renamed
    recover = _recover(stack, emulator, tmp_path)
    assert f"as Vapi number {bought['id']}" in recover.stderr and "in doubt" not in recover.stderr
    stack.refresh()
    stack.up()
    (stored,) = emulator.numbers()
    assert stored["id"] == bought["id"] and stored["name"] == "front desk"
    assert _ids(stack) == {bought["id"]}
    (resource,) = stack.resources(PHONE_NUMBER_TYPE)
    assert resource["outputs"]["name"] == "front desk"


@pytest.mark.parametrize("named", [True, False], ids=["named", "autonamed"])
def test_after_a_kill_during_a_create_the_next_up_takes_the_number_instead_of_buying_another(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator, named: bool
) -> None:
    # No recovery command at all: the engine drops the pending create, and the create finds its claim.
    declared: dict[str, Any] = {"sipUri": "sip:next-up@sip.vapi.ai", "squadId": ASSISTANT}
    if named:
        declared["name"] = "next up"
    stack = project_stack({"line": declared})
    emulator.delay_on("POST /phone-number", 30, commit=True)
    _kill_when(stack, lambda: len(emulator.numbers()) == 1, "next-up")
    emulator.clear_faults()
    (bought,) = emulator.numbers()
    stack.release_after_kill()
    emulator.reset_metrics()
    stack.up()
    assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0
    (stored,) = emulator.numbers()
    assert stored["id"] == bought["id"] and _ids(stack) == {bought["id"]}
    (resource,) = stack.resources(PHONE_NUMBER_TYPE)
    assert resource["outputs"]["name"] == stored["name"]
    assert stored["name"] == "next up" if named else stored["name"].startswith("line-")


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
    project_stack: Callable[..., PulumiStack],
    emulator: RunningEmulator,
    operation: str,
    route: str,
    fault: str,
) -> None:
    numbers = _numbers(2, pstn=1)
    stack = project_stack(numbers)
    stack.run("config", "set", "vapi:maxRetries", "1", "--stack", stack.stack)
    stack.up()
    before = _emulator_ids(emulator)
    if fault == "drop-after-commit":
        emulator.drop_on(route, times=None)
    else:
        emulator.fail_on(route, int(fault), times=None)

    def run(check: bool) -> subprocess.CompletedProcess[str]:
        if operation == "update":
            changed = {
                k: {**v, "assistantId": "11111111-2222-4333-8444-555555555555"} for k, v in numbers.items()
            }
            stack.set_config_object("vapi-phone-numbers:numbers", changed)
            return stack.up(check=check)
        if operation == "refresh":
            return stack.refresh(check=check)
        return stack.destroy(check=check)

    assert run(check=False).returncode != 0, "the fault did not make the operation fail"
    assert _emulator_ids(emulator) <= before, "a fault bought a number"
    emulator.clear_faults()
    run(check=True)
    if operation == "destroy":
        assert emulator.numbers() == [] and _ids(stack) == set()
    else:
        assert _ids(stack) == _emulator_ids(emulator) == before
        if operation == "update":
            assert {n["assistantId"] for n in emulator.numbers()} == {"11111111-2222-4333-8444-555555555555"}
        emulator.reset_metrics()
        stack.up()
        assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0


@pytest.mark.parametrize("operation", ["update", "destroy"])
def test_a_kill_during_an_update_or_a_destroy_recovers(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path, operation: str
) -> None:
    numbers = _numbers(4, pstn=0)
    stack = project_stack(numbers)
    stack.up()
    before = _emulator_ids(emulator)
    route = UPDATE if operation == "update" else DELETE
    emulator.delay_on(route, 30, commit=True, times=None)  # applied at Vapi, the answers held: kill meanwhile
    if operation == "update":
        changed = {
            k: {**v, "assistantId": "11111111-2222-4333-8444-555555555555"} for k, v in numbers.items()
        }
        stack.set_config_object("vapi-phone-numbers:numbers", changed)
        _kill_when(
            stack, lambda: any(n.get("assistantId") != ASSISTANT for n in emulator.numbers()), "update"
        )
    else:
        stack.set_config_object("vapi-phone-numbers:numbers", {})
        _kill_when(stack, lambda: len(emulator.numbers()) < len(before), "destroy")
    emulator.clear_faults()
    _recover(stack, emulator, tmp_path)
    stack.refresh()
    stack.up()
    assert _ids(stack) == _emulator_ids(emulator)
    if operation == "update":
        assert _ids(stack) == before
        assert {n["assistantId"] for n in emulator.numbers()} == {"11111111-2222-4333-8444-555555555555"}
    else:
        assert emulator.numbers() == []
