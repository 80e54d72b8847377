"""The native `vapi` provider plugin, end to end: the real CLI, our language host, the plugin folder built
by `pulumi_harness.native_plugin_dir`, and the emulator on a loopback socket."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pulumi_harness import PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, DEMO_ORG_ID, RunningEmulator

PROGRAM = "native_basic"


@pytest.fixture
def native_stack(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> Callable[..., PulumiStack]:
    """Factory: a stack of the native program, its `vapi` provider configured for the emulator."""

    def factory(numbers: dict[str, Any] | None = None, **kwargs: Any) -> PulumiStack:
        plugin = native_plugin_dir(tmp_path)
        kwargs.setdefault("config", {"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"})
        kwargs.setdefault("secret_config", {"vapi:apiKey": DEMO_API_KEY})
        stack = make_stack(PROGRAM, project_yaml_extra=native_plugin_yaml(plugin), **kwargs)
        if numbers is not None:
            stack.set_config_object("vapi-e2e:numbers", numbers)
        return stack

    return factory


def test_up_creates_a_number_through_the_plugin(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = native_stack({"main": {"numberDesiredAreaCode": "415", "assistantId": "asst-1"}})
    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stored["numberDesiredAreaCode"] == "415"
    assert stored["assistantId"] == "asst-1"
    assert stored["name"].startswith("main-")
    outputs = stack.outputs()
    assert outputs["main_id"] == stored["id"]
    assert outputs["main_name"] == stored["name"]
    [resource] = stack.resources("vapi:index:PhoneNumber")
    assert resource["outputs"]["status"] == "active"
