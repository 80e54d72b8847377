"""`pulumi import vapi:index:PhoneNumber <name> <id>` and the `import` resource option adopt numbers that
exist at Vapi (created here directly in the emulator), with the real CLI, the native plugin and the emulator
on a loopback socket. Adopting changes nothing at Vapi: the emulator's stored records are equal before and
after, and its request counts show reads only; the matching declaration then `up`s with no change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from pulumi_harness import PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, RunningEmulator

ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
SQUAD = "0f6b3c2a-9d1e-4b7f-8a25-6c3e1d0b9f42"
TOKEN = "vapi:index:PhoneNumber"


def create_directly(emulator: RunningEmulator, body: dict[str, Any], api_key: str = DEMO_API_KEY) -> str:
    """Create a number through the emulator's public API (as the dashboard would); wait until it is active."""
    headers = {"Authorization": f"Bearer {api_key}"}
    created = httpx.post(f"{emulator.url}/phone-number", headers=headers, json={"provider": "vapi", **body})
    assert created.status_code == 201, created.text
    number_id: str = created.json()["id"]
    deadline = time.monotonic() + 10
    while httpx.get(f"{emulator.url}/phone-number/{number_id}", headers=headers).json()["status"] != "active":
        assert time.monotonic() < deadline, "the number never became active"
        time.sleep(0.05)
    return number_id


def only_reads(emulator: RunningEmulator) -> bool:
    """Whether every API request since the last reset was a GET."""
    return all(key.startswith("GET ") for key in emulator.metrics()["requests"])


def native_stack(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path, **kwargs: Any
) -> PulumiStack:
    return make_stack(
        "native_numbers",
        project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path)),
        config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
        **kwargs,
    )


SUPPORT = {
    "numberDesiredAreaCode": "415",
    "name": "Support line",
    "assistantId": ASSISTANT,
    "server": {"url": "https://hooks.example.com/vapi", "timeoutSeconds": 20},
    "fallbackDestination": {"type": "number", "number": "+14155550100"},
}


def test_pulumi_import_adopts_a_number_with_no_change_at_vapi_and_the_declaration_is_a_no_op(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    number_id = create_directly(emulator, SUPPORT)
    before = emulator.numbers()
    stack = native_stack(make_stack, emulator, tmp_path)
    emulator.reset_metrics()

    # Our language host has no program generator: `pulumi import` needs --generate-code=false (docs).
    stack.run("import", TOKEN, "support-line", number_id, "--yes", "--generate-code=false")

    assert emulator.numbers() == before, "importing changed the number at Vapi"
    assert only_reads(emulator), emulator.metrics()
    [resource] = stack.resources(TOKEN)
    assert resource["id"] == number_id
    assert resource["urn"].endswith("::vapi:index:PhoneNumber::support-line")
    assert resource["protect"] is True  # `pulumi import` protects what it imports
    assert resource["inputs"]["name"] == "Support line"
    assert resource["inputs"]["assistantId"] == ASSISTANT
    assert resource["outputs"]["number"] == before[0]["number"]

    # The declaration that matches what Vapi holds: preview and up change nothing.
    declared = {k: v for k, v in SUPPORT.items() if k != "numberDesiredAreaCode"}
    stack.set_config_object("vapi-e2e:numbers", {"support-line": {**declared, "protect": True}})
    emulator.reset_metrics()
    stack.preview("--expect-no-changes")
    stack.run("up", "--yes", "--expect-no-changes")
    assert emulator.numbers() == before
    assert only_reads(emulator), emulator.metrics()
    assert [r["id"] for r in stack.resources(TOKEN)] == [number_id]

    # From now on the program is the source of truth: a change is one PATCH of that number.
    stack.set_config_object(
        "vapi-e2e:numbers",
        {"support-line": {**declared, "assistantId": None, "squadId": SQUAD, "protect": True}},
    )
    emulator.reset_metrics()
    stack.up()
    [after] = emulator.numbers()
    assert after["id"] == number_id and after["squadId"] == SQUAD and after.get("assistantId") is None
    assert emulator.metrics()["requests"].get("PATCH /phone-number/{id} 200") == 1, emulator.metrics()
    assert not any(k.startswith(("POST", "DELETE")) for k in emulator.metrics()["requests"])


def test_pulumi_import_without_generate_code_false_still_imports_but_reports_the_missing_generator(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    number_id = create_directly(emulator, {"sipUri": "sip:import-desk@sip.vapi.ai", "squadId": SQUAD})
    before = emulator.numbers()
    stack = native_stack(make_stack, emulator, tmp_path)
    proc = stack.run("import", TOKEN, "desk", number_id, "--yes", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "GenerateProgram not implemented" in out, out
    assert [r["id"] for r in stack.resources(TOKEN)] == [number_id]  # imported all the same
    assert emulator.numbers() == before


def test_the_import_resource_option_adopts_during_up_with_no_change_at_vapi(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    number_id = create_directly(emulator, SUPPORT)
    before = emulator.numbers()
    declared = {k: v for k, v in SUPPORT.items() if k != "numberDesiredAreaCode"}
    stack = native_stack(make_stack, emulator, tmp_path)
    stack.set_config_object("vapi-e2e:numbers", {"support-line": {**declared, "importId": number_id}})
    emulator.reset_metrics()
    stack.up()
    assert emulator.numbers() == before
    assert only_reads(emulator), emulator.metrics()
    [resource] = stack.resources(TOKEN)
    assert resource["id"] == number_id and not resource.get("protect")

    # Once imported, the option can go: the next up is a no-op, and destroy releases the number.
    stack.set_config_object("vapi-e2e:numbers", {"support-line": declared})
    stack.run("up", "--yes", "--expect-no-changes")
    assert emulator.numbers() == before
    stack.destroy()
    assert emulator.numbers() == []


def test_importing_an_id_that_does_not_exist_fails_and_records_nothing(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    stack = native_stack(make_stack, emulator, tmp_path)
    missing = "7d0c5b7e-1f2a-4c3b-9e8d-0a1b2c3d4e5f"
    proc = stack.run("import", TOKEN, "ghost", missing, "--yes", "--generate-code=false", check=False)
    out = proc.stdout + proc.stderr
    # The engine imports whatever Read answers with non-nil properties, even an empty map (which is what
    # pulumi.provider.experimental sends for "not found"), so Read must fail for a missing id on import.
    assert proc.returncode != 0, f"importing a missing id recorded a resource with no properties:\n{out}"
    assert missing in out, out
    assert stack.resources(TOKEN) == []
    assert emulator.numbers() == []


def test_importing_a_number_of_another_kind_fails_naming_the_right_token_and_records_nothing(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    body = {"provider": "twilio", "number": "+14155550190", "twilioAccountSid": "AC" + "3" * 32}
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    created = httpx.post(
        f"{emulator.url}/phone-number",
        headers=headers,
        json={**body, "twilioAuthToken": "tw-token-wrong-kind"},
    )
    assert created.status_code == 201, created.text
    twilio_id = created.json()["id"]
    before = emulator.numbers()
    stack = native_stack(make_stack, emulator, tmp_path)
    emulator.reset_metrics()
    proc = stack.run("import", TOKEN, "sales", twilio_id, "--yes", "--generate-code=false", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    # The fix names the token to import it as, not the dynamic provider's class.
    assert "declare it as a vapi:index:TwilioPhoneNumber" in out, out
    assert "tw-token-wrong-kind" not in out
    assert stack.resources() == [] or all(r["type"] != TOKEN for r in stack.resources())
    assert emulator.numbers() == before and only_reads(emulator), emulator.metrics()

    # Imported as its own kind, it is adopted.
    stack.run("import", "vapi:index:TwilioPhoneNumber", "sales", twilio_id, "--yes", "--generate-code=false")
    assert [r["id"] for r in stack.resources("vapi:index:TwilioPhoneNumber")] == [twilio_id]
    assert emulator.numbers() == before
