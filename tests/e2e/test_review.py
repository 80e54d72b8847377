"""Review and gate: what preview needs and shows, with the real engine and the emulator on a socket."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.harness import REPO_ROOT, PulumiStack
from vapi_emulator import RunningEmulator

PACK = REPO_ROOT / "policies"
ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
OTHER_ASSISTANT = "11111111-2222-4333-8444-555555555555"


def test_preview_needs_no_vapi_key_and_up_says_which_key_is_missing(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {"support-line": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT}}
    stack = project_stack(numbers)
    stack.up()
    # A pull request from a fork gets no secrets: no vapi:apiKey, no VAPI_API_KEY.
    stack.run("config", "rm", "vapi:apiKey", "--stack", stack.stack)
    emulator.reset_metrics()

    no_change = stack.preview("--policy-pack", str(PACK))
    assert "2 unchanged" in no_change.stdout

    numbers["support-line"]["assistantId"] = OTHER_ASSISTANT
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    changed = stack.preview("--diff", "--policy-pack", str(PACK))
    assert "~ 1 to update" in changed.stdout and OTHER_ASSISTANT in changed.stdout
    assert emulator.metrics()["total"] == 0, "preview called Vapi"

    failed = stack.up(check=False)
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    assert "No Vapi API key" in output and "vapi:apiKey" in output and "VAPI_API_KEY" in output
    assert "Traceback" not in output, "our errors reach the CLI as their message"
    assert emulator.metrics()["total"] == 0
    (record,) = emulator.numbers()
    assert record["assistantId"] == ASSISTANT, "nothing changed at Vapi"
