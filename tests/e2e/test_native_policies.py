"""The policy pack on numbers of the native `vapi` provider: `pulumi preview --policy-pack policies` with the
real CLI, the native plugin and the emulator on a loopback socket. A preview never calls the API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi_harness import REPO_ROOT, PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, RunningEmulator

PACK = REPO_ROOT / "policies"
EXAMPLE_CONFIG = REPO_ROOT / "policies" / "policy-config.example.json"
ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
HAS_DESTINATION_MESSAGE = (
    "Phone number 'support-line' has no destination: set assistant_id (assistantId), squad_id (squadId) "
    "or workflow_id (workflowId), or a fallback_destination (fallbackDestination), so inbound calls are "
    "not hung up with an error."
)


def _stack(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path, numbers: dict[str, Any]
) -> PulumiStack:
    stack = make_stack(
        "native_numbers",
        stack="dev",
        project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path)),
        config={"vapi:baseUrl": emulator.url},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    stack.set_config_object("vapi-e2e:numbers", numbers)
    return stack


def _preview(stack: PulumiStack) -> tuple[int, str]:
    proc = stack.preview(
        "--policy-pack",
        str(PACK),
        "--policy-pack-config",
        str(EXAMPLE_CONFIG),
        "--color",
        "never",
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_a_native_number_without_a_target_fails_the_preview(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    stack = _stack(
        make_stack,
        emulator,
        tmp_path,
        {
            "support-line": {"name": "Support line", "numberDesiredAreaCode": "415"},
            "desk": {"sipUri": "sip:native-desk@sip.vapi.ai", "assistantId": ASSISTANT},
            "twilio-line": {
                "kind": "TwilioPhoneNumber",
                "number": "+14155550123",
                "twilioAccountSid": "AC0123456789abcdef0123456789abcdef",
                "twilioApiKey": "SK0123456789abcdef0123456789abcdef",
                "twilioApiSecret": "twilio-api-secret-value-never-shown",
            },
        },
    )
    emulator.reset_metrics()
    code, out = _preview(stack)
    assert code != 0, out
    assert "error: preview failed" in out, out
    # the same lines and the same message as for the dynamic VapiPhoneNumber, with the native token
    assert "[mandatory]  vapi-number-has-destination  (vapi:index:PhoneNumber: support-line)" in out, out
    assert HAS_DESTINATION_MESSAGE in out, out
    assert "[mandatory]  vapi-number-has-destination  (vapi:index:TwilioPhoneNumber: twilio-line)" in out, out
    assert "[mandatory]  vapi-sip-number-authenticated  (vapi:index:PhoneNumber: desk)" in out, out
    assert out.count("(vapi:index:PhoneNumber: desk)") == 1, out  # only the SIP rule fires on desk
    assert "twilio-api-secret-value-never-shown" not in out
    assert emulator.metrics()["total"] == 0, emulator.metrics()
    assert stack.resources("vapi:index:PhoneNumber") == []


def test_compliant_native_numbers_pass_and_up_creates_them(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    numbers = {
        "support-line": {"name": "Support line", "numberDesiredAreaCode": "415", "assistantId": ASSISTANT},
        "desk": {
            "sipUri": "sip:native-desk@sip.vapi.ai",
            "squadId": ASSISTANT,
            "authentication": {"username": "native-desk-user-0001", "password": "native-desk-password-0001"},
        },
    }
    stack = _stack(make_stack, emulator, tmp_path, numbers)
    code, out = _preview(stack)
    assert code == 0, out
    assert "[mandatory]" not in out and "[advisory]" not in out, out
    assert "native-desk-password-0001" not in out
    assert emulator.metrics()["total"] == 0, emulator.metrics()
    stack.run("up", "--yes", "--policy-pack", str(PACK), "--policy-pack-config", str(EXAMPLE_CONFIG))
    assert len(stack.resources("vapi:index:PhoneNumber")) == 2
    assert len(emulator.numbers()) == 2

    # The stack policy sees native numbers too: a second number with the same name is refused.
    stack.set_config_object(
        "vapi-e2e:numbers",
        {
            **numbers,
            "twin": {"name": "Support line", "numberDesiredAreaCode": "415", "assistantId": ASSISTANT},
        },
    )
    code, out = _preview(stack)
    assert code != 0, out
    assert "[mandatory]  vapi-unique-numbers  (vapi:index:PhoneNumber: twin)" in out, out
    assert "[mandatory]  vapi-unique-numbers  (vapi:index:PhoneNumber: support-line)" in out, out
    stack.set_config_object("vapi-e2e:numbers", numbers)
    stack.destroy()
    assert emulator.numbers() == []
