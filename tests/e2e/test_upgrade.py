"""Upgrade: a stack whose state an earlier version wrote keeps working with this version.

The fixture (`tests/e2e/upgrade/state-<commit>/`, written by `tests/e2e/upgrade/make_fixture.py` at that
commit) holds the stack's checkpoint, its config file and the emulator's data file. The checkpoint holds
our type token and the pickled provider class path (`vapi_provider.provider.VapiPhoneNumberProvider`);
this test proves that both still resolve, and that the old state previews with no changes, refreshes,
updates and destroys, checked against the emulator's stored numbers.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import REPO_ROOT, PulumiStack
from tests.e2e.upgrade.make_fixture import NUMBERS, SIP_PASSWORD, WEBHOOK_TOKEN
from vapi_emulator import EmulatorConfig, serve_in_thread
from vapi_provider import PHONE_NUMBER_TYPE

FIXTURES = sorted((Path(__file__).parent / "upgrade").glob("state-*"))


def _restore(stack: PulumiStack, fixture: Path) -> None:
    checkpoint = stack.workdir / "backend" / ".pulumi" / "stacks" / stack.project / f"{stack.stack}.json"
    assert checkpoint.exists(), "the file backend's layout changed"
    shutil.copy(fixture / "checkpoint.json", checkpoint)
    for attrs in checkpoint.parent.glob(f"{stack.stack}.json.attrs"):
        attrs.unlink()
    shutil.copy(fixture / f"Pulumi.{stack.stack}.yaml", stack.stack_file)


def _number_steps(preview_json: str) -> dict[str, str]:
    steps = json.loads(preview_json).get("steps") or []
    # urn:pulumi:<stack>::<project>::<type>::<name>
    parts = [s["urn"].split("::") for s in steps]
    return {p[3]: s["op"] for p, s in zip(parts, steps, strict=True) if p[2] == PHONE_NUMBER_TYPE}


def _assert_no_change(stack: PulumiStack) -> None:
    # `preview --json` lists a step for each resource that changes (and the stack); none for a number.
    assert _number_steps(stack.preview("--json").stdout) == {}
    assert "4 unchanged" in stack.preview("--diff").stdout


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_state_written_by_an_earlier_version(
    fixture: Path, make_stack: Callable[..., PulumiStack], tmp_path: Path
) -> None:
    data = tmp_path / "emulator.json"
    shutil.copy(fixture / "emulator.json", data)
    with serve_in_thread(EmulatorConfig(activation_delay_seconds=0.0, data_file=data)) as emulator:
        before = {n["id"]: n for n in emulator.numbers()}
        assert len(before) == 3
        stack = make_stack(REPO_ROOT / "__main__.py", project="vapi-phone-numbers", stack="upgrade")
        _restore(stack, fixture)
        stack.run("config", "set", "vapi:baseUrl", emulator.url, "--stack", stack.stack)
        ids = {r["id"] for r in stack.resources(PHONE_NUMBER_TYPE)}
        assert ids == set(before)

        emulator.reset_metrics()
        _assert_no_change(stack)
        assert emulator.metrics()["total"] == 0, "a no-change preview must not call Vapi"

        # The emulator listens on a new port, so the program must run for the provider to see it (a
        # plain refresh uses the provider config stored in state).
        stack.refresh("--run-program")
        _assert_no_change(stack)
        assert {n["id"]: n for n in emulator.numbers()} == before, "refresh changed something at Vapi"

        config = copy.deepcopy(NUMBERS)
        support_id = next(
            r["id"] for r in stack.resources(PHONE_NUMBER_TYPE) if r["urn"].endswith("::support-line")
        )
        config["support-line"]["assistantId"] = "11111111-2222-4333-8444-555555555555"
        stack.set_config_object("vapi-phone-numbers:numbers", config)
        # set_config_object rewrote the file; put the secret values back (they were in the old file).
        stack.set_secret_path("vapi-phone-numbers:numbers.sip-desk.authentication.password", SIP_PASSWORD)
        stack.set_secret_path(
            "vapi-phone-numbers:numbers.after-hours.server.headers.X-Webhook-Token",
            WEBHOOK_TOKEN,
        )
        emulator.reset_metrics()
        stack.up()
        after = {n["id"]: n for n in emulator.numbers()}
        assert set(after) == set(before), "the update bought or released a number"
        assert after[support_id]["assistantId"] == "11111111-2222-4333-8444-555555555555"
        assert emulator.metrics()["requests"] == {"PATCH /phone-number/{id} 200": 1}

        stack.destroy()
        assert emulator.numbers() == []
