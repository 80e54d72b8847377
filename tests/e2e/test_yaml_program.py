"""A Pulumi YAML program (runtime: yaml) declaring numbers of two kinds through the native `vapi` provider:
the real CLI, Pulumi's YAML language host built by scripts/bootstrap-engine, the plugin folder built by
`pulumi_harness.native_plugin_dir` (run by our Python language host), and the emulator on a loopback socket.

One lifecycle: up, a preview that must find no change, an in-place update from a config change, destroy;
after each step the emulator's stored numbers are checked. Also: a misspelt property is caught by the YAML
host against the served schema, and two explicit providers keep their orgs apart."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pulumi_harness import PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, DEMO_ORG_ID, EmulatorConfig, RunningEmulator, serve_in_thread

PROGRAM = Path(__file__).parent / "programs" / "yaml_numbers"
ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
OTHER_ASSISTANT = "8d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09"
CREDENTIAL = "6a1d2c3b-4e5f-4a7b-8c9d-0e1f2a3b4c5d"
EU_KEY = "yaml-e2e-eu-org-private-key-5f0c2a91"
EU_ORG = "org-yaml-eu"


def yaml_project(parent: Path, main_yaml: str | None = None, program: Path = PROGRAM) -> Path:
    """The YAML program (or the given Main.yaml) in a folder of its own, with a Pulumi.yaml that names the
    plugin folder."""
    plugin = native_plugin_dir(parent)
    project = parent / "yaml-program"
    shutil.copytree(program, project)
    if main_yaml is not None:
        (project / "Main.yaml").write_text(main_yaml)
    (project / "Pulumi.yaml").write_text("name: vapi-e2e\nruntime: yaml\n" + native_plugin_yaml(plugin))
    return project


def by_kind(emulator: RunningEmulator) -> dict[str, dict[str, object]]:
    stored = emulator.numbers(DEMO_ORG_ID)
    kinds = {n["provider"]: n for n in stored}
    assert len(kinds) == len(stored) == 2, stored
    return kinds


def test_yaml_program_lifecycle(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    stack = make_stack(
        yaml_project(tmp_path),
        config={
            "vapi:baseUrl": emulator.url,
            "vapi:pollIntervalSeconds": "0.05",
            "vapi-e2e:assistantId": ASSISTANT,
            "vapi-e2e:deskLabel": "yaml front desk",
        },
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )

    stack.up()
    kinds = by_kind(emulator)
    desk, extension = kinds["vapi"], kinds["byo-phone-number"]
    assert desk["sipUri"] == "sip:yaml-desk@sip.vapi.ai"
    assert desk["name"] == "yaml front desk"
    assert extension["number"] == "1001"
    assert extension["credentialId"] == CREDENTIAL
    assert extension["numberE164CheckEnabled"] is False
    assert desk["assistantId"] == extension["assistantId"] == ASSISTANT
    assert stack.outputs() == {
        "deskId": desk["id"],
        "deskName": "yaml front desk",
        "deskStatus": "active",
        "extensionId": extension["id"],
        "extensionNumber": "1001",
    }
    assert [r["id"] for r in stack.resources("vapi:index:PhoneNumber")] == [desk["id"]]
    assert [r["id"] for r in stack.resources("vapi:index:ByoPhoneNumber")] == [extension["id"]]

    preview = stack.preview("--expect-no-changes")
    assert "3 unchanged" in preview.stdout, preview.stdout

    stack.run("config", "set", "vapi-e2e:assistantId", OTHER_ASSISTANT)
    update = stack.up()
    assert "2 updated" in update.stdout, update.stdout
    kinds = by_kind(emulator)
    assert (kinds["vapi"]["id"], kinds["byo-phone-number"]["id"]) == (desk["id"], extension["id"])
    assert kinds["vapi"]["assistantId"] == kinds["byo-phone-number"]["assistantId"] == OTHER_ASSISTANT
    assert kinds["vapi"]["sipUri"] == desk["sipUri"]

    stack.destroy()
    assert emulator.numbers(DEMO_ORG_ID) == []
    assert stack.resources() == []


def test_a_misspelt_property_is_named_with_the_schema_s_properties(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    """The YAML host checks the program against the schema the plugin serves (GetSchema) before anything
    reaches the provider."""
    main_yaml = (
        "resources:\n"
        "  desk:\n"
        "    type: vapi:index:PhoneNumber\n"
        "    properties:\n"
        "      sipUrl: sip:yaml-desk@sip.vapi.ai\n"
    )
    stack = make_stack(
        yaml_project(tmp_path, main_yaml),
        config={"vapi:baseUrl": emulator.url},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    preview = stack.preview(check=False)
    assert preview.returncode != 0
    out = preview.stdout + preview.stderr
    assert "Property sipUrl does not exist on 'vapi:index:PhoneNumber'" in out, out
    assert "Existing properties are: sipUri" in out, out
    assert emulator.numbers(DEMO_ORG_ID) == []


def test_two_explicit_providers_keep_their_orgs_apart(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    with serve_in_thread(EmulatorConfig(api_keys={EU_KEY: EU_ORG})) as eu:
        stack = make_stack(
            yaml_project(tmp_path, program=PROGRAM.parent / "yaml_two_orgs"),
            config={"vapi-e2e:usUrl": emulator.url, "vapi-e2e:euUrl": eu.url},
            secret_config={"vapi-e2e:usKey": DEMO_API_KEY, "vapi-e2e:euKey": EU_KEY},
        )
        stack.up()
        [us_desk] = emulator.numbers()
        [eu_desk] = eu.numbers()
        assert (us_desk["orgId"], us_desk["sipUri"]) == (DEMO_ORG_ID, "sip:us-desk@sip.vapi.ai")
        assert (eu_desk["orgId"], eu_desk["sipUri"]) == (EU_ORG, "sip:eu-desk@sip.vapi.ai")
        assert stack.outputs() == {"usDeskId": us_desk["id"], "euDeskId": eu_desk["id"]}
        assert len(stack.resources("pulumi:providers:vapi")) == 2
        state = stack.backend_bytes()
        assert EU_KEY.encode() not in state and DEMO_API_KEY.encode() not in state

        stack.destroy()
        assert emulator.numbers() == [] and eu.numbers() == []
