"""Names, end to end, with both providers: a replacement gets a fresh autoname (the one the preview showed,
sent again by a rerun)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pulumi_harness import PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, RunningEmulator

ASSISTANT = "5b2d8e61-6a8f-4a5e-9f62-2d4a8f0c1e77"


@pytest.fixture
def native_stack(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> Callable[[dict[str, Any]], PulumiStack]:
    """Factory: a stack of `native_basic` (numbers by type token), its plugin pointed at the emulator."""

    def factory(numbers: dict[str, Any]) -> PulumiStack:
        stack = make_stack(
            "native_basic",
            project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path)),
            config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
            secret_config={"vapi:apiKey": DEMO_API_KEY},
        )
        stack.set_config_object("vapi-e2e:numbers", numbers)
        return stack

    return factory


def _replace_and_check_names(
    stack: PulumiStack, emulator: RunningEmulator, numbers: dict[str, Any], config_key: str, prefix: str
) -> None:
    """Up, change the area code (a replacement), and check the new number's name."""
    stack.up()
    (old,) = emulator.numbers()
    assert old["name"].startswith(f"{prefix}-")
    numbers[prefix]["numberDesiredAreaCode"] = "646"
    stack.set_config_object(config_key, numbers)
    preview = stack.preview("--diff").stdout

    # The new number's create fails after Vapi stored it (an orphan): the rerun must send the same name.
    emulator.fail_on("POST /phone-number", 400, commit=True)
    failed = stack.up(check=False)
    assert failed.returncode != 0, failed.stdout
    orphan = next(n for n in emulator.numbers() if n["id"] != old["id"])
    stack.up()
    after = {n["id"]: n for n in emulator.numbers()}
    assert old["id"] not in after, "the old number was not released"
    (new,) = (n for i, n in after.items() if i != orphan["id"])
    assert new["numberDesiredAreaCode"] == "646"
    assert new["name"] != old["name"] and new["name"].startswith(f"{prefix}-")
    assert new["name"] == orphan["name"], "a rerun after a failed create sent another name"
    assert new["name"] in preview, "the preview showed another name than up applied"


def test_dynamic_replacement_gets_a_fresh_autoname(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {"desk": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT, "allowRelease": True}}
    stack = project_stack(numbers)
    _replace_and_check_names(stack, emulator, numbers, "vapi-phone-numbers:numbers", "desk")


def test_native_replacement_gets_a_fresh_autoname(
    native_stack: Callable[[dict[str, Any]], PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {"desk": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT, "allowRelease": True}}
    stack = native_stack(numbers)
    _replace_and_check_names(stack, emulator, numbers, "vapi-e2e:numbers", "desk")
