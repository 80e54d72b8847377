"""Names, end to end, with both providers: a replacement gets a fresh autoname (the one the preview showed,
sent again by a rerun), and no two numbers of one run get the same name or sipUri, also when the value is
an `Output` and with `pulumi up --skip-preview` (the run claims of `vapi_provider/run_claims.py`)."""

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


def _posts(emulator: RunningEmulator) -> int:
    return sum(n for k, n in emulator.metrics()["requests"].items() if k.startswith("POST /phone-number "))


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

    # The new number's create fails after Vapi stored it, under the resource's claim name: the rerun
    # takes that number instead of buying another, and gives it the name the preview showed.
    emulator.fail_on("POST /phone-number", 400, commit=True)
    failed = stack.up(check=False)
    assert failed.returncode != 0, failed.stdout
    orphan = next(n for n in emulator.numbers() if n["id"] != old["id"])
    stack.up()
    after = {n["id"]: n for n in emulator.numbers()}
    assert old["id"] not in after, "the old number was not released"
    (new,) = after.values()
    assert new["id"] == orphan["id"], "the rerun bought another number"
    assert new["numberDesiredAreaCode"] == "646"
    assert new["name"] != old["name"] and new["name"].startswith(f"{prefix}-")
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


def _assert_one_bought(failed: Any, emulator: RunningEmulator, key: str, kind: str) -> None:
    text = failed.stdout + failed.stderr
    assert failed.returncode != 0, text
    assert f"has the same {key} as {kind} '" in text, text
    assert f"{kind} 'first'" in text and f"{kind} 'second'" in text, text
    assert f"Give each number its own {key}" in text, text
    assert len(emulator.numbers()) == 1, emulator.numbers()
    assert _posts(emulator) == 1, emulator.metrics()  # the duplicate was never sent


@pytest.mark.parametrize("key", ["name", "sipUri"])
def test_dynamic_duplicates_that_are_outputs_are_bought_once(
    key: str, make_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = make_stack(
        "duplicate_names",
        config={
            "vapi:baseUrl": emulator.url,
            "vapi:pollIntervalSeconds": "0.05",
            "dupe": key,
            "outputs": "true",
        },
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    failed = stack.up(check=False)  # --skip-preview
    _assert_one_bought(failed, emulator, key, "VapiPhoneNumber")


@pytest.mark.parametrize(
    ("key", "first", "second"),
    [
        ("name", {"name": "output:Shared Name"}, {"name": "output:Shared Name"}),
        (
            "sipUri",
            {"sipUri": "output:sip:shared-line@sip.vapi.ai"},
            {"sipUri": "output:SIP:Shared-Line@sip.vapi.ai"},
        ),
    ],
)
def test_native_duplicates_that_are_outputs_are_bought_once(
    key: str,
    first: dict[str, Any],
    second: dict[str, Any],
    native_stack: Callable[[dict[str, Any]], PulumiStack],
    emulator: RunningEmulator,
) -> None:
    area = {"name": ({"numberDesiredAreaCode": "415"}, {"numberDesiredAreaCode": "212"}), "sipUri": ({}, {})}[
        key
    ]
    stack = native_stack(
        {
            "first": {**first, **area[0], "assistantId": ASSISTANT},
            "second": {**second, **area[1], "assistantId": ASSISTANT},
        }
    )
    failed = stack.up(check=False)  # --skip-preview
    _assert_one_bought(failed, emulator, key, "PhoneNumber")
