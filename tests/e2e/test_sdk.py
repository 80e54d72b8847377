"""The SDK `pulumi_vapi` end to end: a Python program of two kinds of numbers in two orgs, each through
its own explicit `vapi.Provider` (different keys and base URLs), plus a Twilio number through the default
provider (stack config), run by the real CLI through the native plugin against two emulators on loopback
sockets; every step is checked against the emulators' state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from pulumi_harness import PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, DEMO_ORG_ID, EmulatorConfig, RunningEmulator, serve_in_thread

EU_KEY = "eu-org-private-key"
EU_ORG = "org-eu"
HEADER_TOKEN = "header-token-4c1d9e"
TWILIO_TOKEN = "twilio-auth-token-8e2f51"


@pytest.fixture
def eu_emulator() -> Iterator[RunningEmulator]:
    """A second emulator (another base URL) that knows only the EU org's key."""
    with serve_in_thread(EmulatorConfig(activation_delay_seconds=0.2, api_keys={EU_KEY: EU_ORG})) as running:
        yield running


def test_sdk_program_creates_updates_and_destroys_numbers_of_three_kinds_in_two_orgs(
    make_stack: Callable[..., PulumiStack],
    emulator: RunningEmulator,
    eu_emulator: RunningEmulator,
    tmp_path: Path,
) -> None:
    stack = make_stack(
        "sdk_two_orgs",
        project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path)),
        config={
            "vapi-e2e:usUrl": emulator.url,
            "vapi-e2e:euUrl": eu_emulator.url,
            "vapi-e2e:assistant": "asst-1",
            "vapi-e2e:trunkName": "EU trunk",
            "vapi:baseUrl": emulator.url,
            "vapi:pollIntervalSeconds": "0.05",
        },
        secret_config={
            "vapi-e2e:usKey": DEMO_API_KEY,
            "vapi-e2e:euKey": EU_KEY,
            "vapi-e2e:headerToken": HEADER_TOKEN,
            "vapi-e2e:twilioToken": TWILIO_TOKEN,
            "vapi:apiKey": DEMO_API_KEY,
        },
    )

    stack.up()
    [main, sales] = sorted(emulator.numbers(), key=lambda n: n["provider"] != "vapi")
    [trunk] = eu_emulator.numbers()
    assert main["orgId"] == DEMO_ORG_ID and trunk["orgId"] == EU_ORG
    assert main["provider"] == "vapi" and main["numberDesiredAreaCode"] == "415"
    assert main["assistantId"] == "asst-1"
    assert main["server"]["url"] == "https://hooks.example.com/vapi"
    assert main["server"]["timeoutSeconds"] == 15
    assert main["server"]["headers"] == {"X-Token": HEADER_TOKEN}
    assert trunk["provider"] == "byo-phone-number" and trunk["number"] == "+442071838750"
    assert trunk["credentialId"] == "cred-eu" and trunk["name"] == "EU trunk"
    assert trunk["fallbackDestination"]["number"] == "+14155550100"
    assert sales["provider"] == "twilio" and sales["orgId"] == DEMO_ORG_ID
    assert sales["twilioAuthToken"] == TWILIO_TOKEN and sales["smsEnabled"] is False
    outputs = stack.outputs()
    assert outputs["main_id"] == main["id"] and outputs["trunk_id"] == trunk["id"]
    assert outputs["main_number"] == main["number"] and outputs["main_status"] == "active"
    assert outputs["trunk_name"] == "EU trunk" and outputs["sales_id"] == sales["id"]
    assert outputs["main_server_url"] == "https://hooks.example.com/vapi"  # read from an output type
    providers = {r["urn"].rsplit("::", 1)[-1]: r for r in stack.resources("pulumi:providers:vapi")}
    # The explicit two, and the default provider of the plugin's version (for the Twilio number).
    default_name = "default_" + metadata.version("vapi-phone-numbers").replace(".", "_")
    assert sorted(providers) == [default_name, "eu", "us"]
    [main_state] = stack.resources("vapi:index:PhoneNumber")
    [trunk_state] = stack.resources("vapi:index:ByoPhoneNumber")
    assert main_state["provider"] == f"{providers['us']['urn']}::{providers['us']['id']}"
    assert trunk_state["provider"] == f"{providers['eu']['urn']}::{providers['eu']['id']}"
    assert main_state["id"] == main["id"] and trunk_state["id"] == trunk["id"]
    [sales_state] = stack.resources("vapi:index:TwilioPhoneNumber")
    default = providers[default_name]
    assert sales_state["provider"] == f"{default['urn']}::{default['id']}"
    # Secrets (the two keys, the webhook header) are encrypted in state.
    state = stack.backend_bytes()
    for secret in (DEMO_API_KEY, EU_KEY, HEADER_TOKEN, TWILIO_TOKEN):
        assert secret.encode() not in state, secret

    # Update both numbers in place: same ids, new values at Vapi.
    stack.run("config", "set", "vapi-e2e:assistant", "asst-2")
    stack.run("config", "set", "vapi-e2e:trunkName", "EU trunk 2")
    stack.up()
    [main_after, sales_after] = sorted(emulator.numbers(), key=lambda n: n["provider"] != "vapi")
    [trunk_after] = eu_emulator.numbers()
    assert (main_after["id"], trunk_after["id"]) == (main["id"], trunk["id"])
    assert sales_after == sales
    assert main_after["assistantId"] == "asst-2" and trunk_after["name"] == "EU trunk 2"
    assert main_after["server"]["headers"] == {"X-Token": HEADER_TOKEN}

    # A second up changes nothing at Vapi, also with a read-only lookup of a number by id (`get()`).
    stack.run("config", "set", "vapi-e2e:lookupId", main["id"])
    stack.up()
    outputs = stack.outputs()
    assert outputs["found_number"] == main["number"] and outputs["found_assistant"] == "asst-2"
    assert sorted(emulator.numbers(), key=lambda n: n["provider"] != "vapi") == [main_after, sales_after]
    assert eu_emulator.numbers() == [trunk_after]

    stack.destroy()
    assert emulator.numbers() == [] and eu_emulator.numbers() == []
