"""Moving a stack from the dynamic resources to the native `vapi` provider without touching Vapi: exactly
the procedure of docs/provider.md ("Moving from the dynamic resource to the native one"), with the real
CLI, our language host, the native plugin, the SDK (`pulumi_vapi`) and the emulator on a loopback socket.

Throughout the procedure Vapi sees reads only (no create, no delete, no PATCH), every stored record is equal
before and after, and each number keeps its id, its name (an autoname included) and its settings.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi_harness import REPO_ROOT, PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, RunningEmulator

PROGRAM = Path(__file__).parent / "programs" / "migration"
PASSWORD = "migration-desk-password-01"
DYNAMIC_PREFIX = "pulumi-python:dynamic/vapi:"
NATIVE_TOKEN = {  # the docs' table: dynamic class -> native token
    "VapiPhoneNumber": "vapi:index:PhoneNumber",
    "TwilioPhoneNumber": "vapi:index:TwilioPhoneNumber",
    "VonagePhoneNumber": "vapi:index:VonagePhoneNumber",
    "TelnyxPhoneNumber": "vapi:index:TelnyxPhoneNumber",
    "ByoPhoneNumber": "vapi:index:ByoPhoneNumber",
}
SHOWN = re.compile(r"URN: (urn:pulumi:\S+)\s*\n\s*(?:│\s*)*ID: (\S+)")


def _only_reads(emulator: RunningEmulator) -> None:
    requests = emulator.metrics()["requests"]
    assert all(key.startswith("GET ") for key in requests), requests


def _dynamic_stack(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> PulumiStack:
    """The stack as it is before the migration: three dynamic numbers, up to date."""
    stack = make_stack(
        PROGRAM,
        project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path)),
        config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
        secret_config={"vapi:apiKey": DEMO_API_KEY, "vapi-e2e:deskPassword": PASSWORD},
    )
    stack.up()
    assert len(emulator.numbers()) == 3
    assert stack.outputs()["desk_name"].startswith("desk-")  # desk is autonamed
    return stack


def _migrate(stack: PulumiStack, tmp_path: Path) -> None:
    """Steps 1 to 6 of the documented procedure."""
    # 1. The state matches Vapi and the program.
    stack.refresh()
    stack.preview("--expect-no-changes")

    # 2. Each dynamic number's URN and id, as `pulumi stack --show-urns --show-ids` lists them.
    listing = stack.run("stack", "--show-urns", "--show-ids", "--stack", stack.stack).stdout
    numbers = [(urn, id_) for urn, id_ in SHOWN.findall(listing) if f"::{DYNAMIC_PREFIX}" in urn]
    assert len(numbers) == 3, listing

    # 3. The import file: per number its native token, its Pulumi name, its id, the SDK's version.
    resources = []
    for urn, id_ in numbers:
        dynamic_type, name = urn.rsplit("::", 2)[-2:]
        token = NATIVE_TOKEN[dynamic_type.removeprefix(DYNAMIC_PREFIX)]
        resources.append({"type": token, "name": name, "id": id_, "version": "0.1.0"})
    import_file = tmp_path / "import.json"
    import_file.write_text(json.dumps({"resources": resources}, indent=2))

    # 4. Forget the dynamic resources; a protected one needs --force. Nothing is sent to Vapi.
    protected = {r["urn"] for r in stack.resources() if r.get("protect")}
    for urn, _ in numbers:
        stack.run("state", "delete", urn, "--yes", *(["--force"] if urn in protected else []))
    assert [r for r in stack.resources() if r["type"].startswith(DYNAMIC_PREFIX)] == []

    # 5. The program declares the same numbers through the native SDK (same names, same arguments).
    shutil.copy(stack.project_dir / "native.py", stack.project_dir / "__main__.py")

    # 6. Import them; our language host has no code generator, hence --generate-code=false.
    stack.run("import", "--file", str(import_file), "--protect=false", "--generate-code=false", "--yes")


def _native(stack: PulumiStack) -> dict[str, dict[str, Any]]:
    return {r["urn"].rsplit("::", 1)[1]: r for r in stack.resources() if r["type"].startswith("vapi:index:")}


def test_the_documented_migration_moves_every_number_without_touching_vapi(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    stack = _dynamic_stack(make_stack, emulator, tmp_path)
    before = emulator.numbers()
    outputs_before = stack.outputs()
    emulator.reset_metrics()

    _migrate(stack, tmp_path)
    # 7. Nothing left to change: the preview (with the policy pack) and the up are no-ops at Vapi.
    stack.preview("--expect-no-changes", "--policy-pack", str(REPO_ROOT / "policies"))
    stack.up("--expect-no-changes")

    _only_reads(emulator)
    assert emulator.numbers() == before, "the migration changed a number at Vapi"
    by_name = _native(stack)
    assert {name: r["type"] for name, r in by_name.items()} == {
        "support-line": "vapi:index:PhoneNumber",
        "desk": "vapi:index:PhoneNumber",
        "extension": "vapi:index:ByoPhoneNumber",
    }
    assert {r["id"] for r in by_name.values()} == {n["id"] for n in before}
    assert by_name["support-line"].get("protect") is True  # the program's protect, applied by the up
    assert not by_name["desk"].get("protect") and not by_name["extension"].get("protect")
    assert stack.outputs() == outputs_before  # same ids, same names (the autoname kept)
    # The SIP password is a secret in the native state too.
    assert "ciphertext" in by_name["desk"]["inputs"]["authentication"]["password"]
    assert PASSWORD not in json.dumps(stack.export())

    # The native provider now manages them: a change is one PATCH of that number, nothing else.
    source = (stack.project_dir / "__main__.py").read_text()
    (stack.project_dir / "__main__.py").write_text(
        source.replace(
            "    squad_id=SQUAD,\n    authentication", "    assistant_id=ASSISTANT,\n    authentication"
        )
    )
    emulator.reset_metrics()
    stack.up()
    requests = emulator.metrics()["requests"]
    assert requests.get("PATCH /phone-number/{id} 200") == 1, requests
    assert not any(key.startswith(("POST", "DELETE")) for key in requests), requests
    [desk] = [n for n in emulator.numbers() if n["id"] == outputs_before["desk_id"]]
    assert desk["assistantId"] == "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10" and desk.get("squadId") is None


def test_where_vapi_masks_secrets_the_first_up_writes_the_declared_sip_password_once(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    """If the API answers secrets masked, the import records the mask; the documented step 7 then shows
    `authentication` changing on that number only, and its up sends one PATCH that writes the declared
    password. Nothing is created or deleted, and nothing else changes."""
    stack = _dynamic_stack(make_stack, emulator, tmp_path)
    before = {n["id"]: n for n in emulator.numbers()}
    desk_id = stack.outputs()["desk_id"]
    emulator.configure(mask_secrets=True)
    emulator.reset_metrics()

    _migrate(stack, tmp_path)
    _only_reads(emulator)
    preview = stack.preview("--diff").stdout
    assert "~ 1 to update" in preview and "authentication" in preview and PASSWORD not in preview, preview
    stack.up()

    requests = emulator.metrics()["requests"]
    assert requests.get("PATCH /phone-number/{id} 200") == 1, requests
    assert not any(key.startswith(("POST", "DELETE")) for key in requests), requests
    emulator.configure(mask_secrets=False)
    after = {n["id"]: n for n in emulator.numbers()}
    assert after.keys() == before.keys()
    for number_id, record in before.items():
        if number_id != desk_id:
            assert after[number_id] == record
    ignore = {"updatedAt"}
    assert {k: v for k, v in after[desk_id].items() if k not in ignore} == {
        k: v for k, v in before[desk_id].items() if k not in ignore
    }, "the PATCH changed more than the stored password, which it wrote with the same value"
    assert after[desk_id]["authentication"]["password"] == PASSWORD
    stack.preview("--expect-no-changes")
