"""Every kind of number end to end: the project's own program declares one number of each of the five
kinds (selected per entry with `provider:`), driven by the real `pulumi` CLI against the emulator on a
socket, with the policy pack on. After each step the emulator is compared with the state field by field.
A parametrized test per imported kind covers replacement, refresh drift, out-of-band delete and adoption.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from pulumi_harness import REPO_ROOT
from vapi_emulator import DEMO_API_KEY
from vapi_provider import (
    BYO_PHONE_NUMBER_TYPE,
    PHONE_NUMBER_TYPE,
    TELNYX_PHONE_NUMBER_TYPE,
    TWILIO_PHONE_NUMBER_TYPE,
    VONAGE_PHONE_NUMBER_TYPE,
)
from vapi_provider.properties import TABLE_BY_PROVIDER
from vapi_provider.refresh import align

ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
SQUAD = "0e6f3a7c-8b21-4d4e-9f10-6c2b7a5d3e91"
WORKFLOW = "9c4e1f2a-7d3b-4b8e-a6f5-1e2d3c4b5a69"
CREDENTIAL = "6a1d2c3b-4e5f-4a7b-8c9d-0e1f2a3b4c5d"
OTHER_CREDENTIAL = "7b2e3d4c-5f6a-4b8c-9d0e-1f2a3b4c5d6e"
TWILIO_TOKEN = "e2e-twilio-auth-token-0123456789abc"
TOKEN_PATH = "vapi-phone-numbers:numbers.sales-line.twilioAuthToken"
PACK = ("--policy-pack", str(REPO_ROOT / "policies"))

TYPES = {
    "vapi": PHONE_NUMBER_TYPE,
    "twilio": TWILIO_PHONE_NUMBER_TYPE,
    "vonage": VONAGE_PHONE_NUMBER_TYPE,
    "telnyx": TELNYX_PHONE_NUMBER_TYPE,
    "byo-phone-number": BYO_PHONE_NUMBER_TYPE,
}

FIVE: dict[str, Any] = {
    "support-line": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT},
    "sales-line": {
        "provider": "twilio",
        "number": "+14155550131",
        "twilioAccountSid": "AC" + "0" * 32,
        "assistantId": ASSISTANT,
        "smsEnabled": False,
    },
    "london-line": {
        "provider": "vonage",
        "number": "+442071234567",
        "credentialId": CREDENTIAL,
        "squadId": SQUAD,
    },
    "ops-line": {
        "provider": "telnyx",
        "number": "+14155550132",
        "credentialId": CREDENTIAL,
        "workflowId": WORKFLOW,
        "fallbackDestination": {"type": "number", "number": "+14155550100"},
    },
    "desk-1001": {
        "provider": "byo-phone-number",
        "number": "1001",
        "numberE164CheckEnabled": False,
        "credentialId": CREDENTIAL,
        "assistantId": ASSISTANT,
    },
}


def api(emulator: Any) -> httpx.Client:
    return httpx.Client(base_url=emulator.url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"})


def writes(emulator: Any) -> int:
    counts: dict[str, int] = emulator.metrics()["requests"]
    return sum(n for key, n in counts.items() if key.split(" ")[0] in ("POST", "PATCH", "DELETE"))


def assert_state_matches_emulator(stack: Any, emulator: Any) -> dict[str, dict[str, Any]]:
    """Every number in state is in the emulator, of its kind, with every recorded field equal (secrets:
    encrypted in state, compared by presence); and the emulator holds no number the state lacks."""
    stored = {n["id"]: n for n in emulator.numbers()}
    kinds = {token: provider for provider, token in TYPES.items()}
    resources = [r for r in stack.export()["deployment"].get("resources") or [] if r["type"] in kinds]
    assert sorted(r["id"] for r in resources) == sorted(stored), "state and emulator hold other numbers"
    by_resource = {}
    for resource in resources:
        number = stored[resource["id"]]
        table = TABLE_BY_PROVIDER[kinds[resource["type"]]]
        assert number["provider"] == table.provider, resource["urn"]
        outputs = resource["outputs"]
        for key in (*table.api_keys, *table.output_keys):
            if key not in outputs or outputs[key] is None:
                continue
            if table.by_wire(key).secret_paths == ((),):
                assert "ciphertext" in outputs[key], f"{key} is not encrypted in state"
                assert key in number
                continue
            # Vapi fills documented defaults into nested objects; the state records what was declared.
            current = align(number.get(key), outputs[key], table.defaults, (key,))
            assert outputs[key] == current, f"{resource['urn']}: {key}"
        by_resource[resource["urn"].rsplit("::", 1)[1]] = number
    return by_resource


def test_five_kinds_up_noop_refresh_destroy_with_the_policy_pack(project_stack, emulator):
    stack = project_stack(copy.deepcopy(FIVE), {TOKEN_PATH: TWILIO_TOKEN})
    outputs: list[str] = []
    emulator.reset_metrics()
    up = stack.up(*PACK)
    outputs += [up.stdout, up.stderr]
    assert emulator.metrics()["requests"].get("POST /phone-number 201") == 5
    numbers = assert_state_matches_emulator(stack, emulator)
    assert set(numbers) == set(FIVE)
    assert {n["provider"] for n in numbers.values()} == set(TYPES)
    assert numbers["sales-line"]["twilioAuthToken"] == TWILIO_TOKEN, "the token reached Vapi"
    assert numbers["desk-1001"]["number"] == "1001"
    exported = stack.outputs()
    assert exported["london_line_number"] == "+442071234567"
    assert exported["sales_line_id"] == numbers["sales-line"]["id"]

    emulator.reset_metrics()
    again = stack.up(*PACK)
    outputs += [again.stdout, again.stderr]
    assert emulator.metrics()["total"] == 0, emulator.metrics()

    emulator.reset_metrics()
    refreshed = stack.refresh()
    outputs += [refreshed.stdout, refreshed.stderr]
    assert writes(emulator) == 0
    assert_state_matches_emulator(stack, emulator)
    emulator.reset_metrics()
    stack.up(*PACK)
    assert emulator.metrics()["total"] == 0, "a refresh of an unchanged stack is no drift"

    # secrets audit: the Twilio token is never in plaintext in the backend, the export or the CLI output
    assert TWILIO_TOKEN.encode() not in stack.backend_bytes()
    assert TWILIO_TOKEN not in stack.run("stack", "export").stdout
    for out in outputs:
        assert TWILIO_TOKEN not in out

    destroyed = stack.destroy()
    assert TWILIO_TOKEN not in destroyed.stdout + destroyed.stderr
    assert emulator.numbers() == []


def test_a_plaintext_twilio_token_in_config_is_refused(project_stack, emulator):
    numbers = copy.deepcopy(FIVE)
    numbers = {"sales-line": {**numbers["sales-line"], "twilioAuthToken": TWILIO_TOKEN}}
    stack = project_stack(numbers)
    failed = stack.up(check=False)
    text = failed.stdout + failed.stderr
    assert failed.returncode != 0 and "must be secret config" in text and "--secret --path" in text
    assert TWILIO_TOKEN not in text
    assert emulator.numbers() == []


IMPORTED = {
    "twilio": ("sales-line", {"twilioAccountSid": "AC" + "1" * 32}),
    "vonage": ("london-line", {"credentialId": OTHER_CREDENTIAL}),
    "telnyx": ("ops-line", {"credentialId": OTHER_CREDENTIAL}),
    "byo-phone-number": ("desk-1001", {"credentialId": OTHER_CREDENTIAL}),
}


@pytest.mark.parametrize("kind", list(IMPORTED))
def test_imported_kind_update_replacement_drift_delete_and_adopt(kind, project_stack, emulator):
    name, account_change = IMPORTED[kind]
    entry = copy.deepcopy(FIVE[name])
    secrets = {TOKEN_PATH: TWILIO_TOKEN} if kind == "twilio" else {}
    stack = project_stack({name: entry}, secrets)

    def declare(changed: dict[str, Any], *, with_secrets: bool = True) -> None:
        stack.set_config_object("vapi-phone-numbers:numbers", {name: changed})
        for path, value in secrets.items() if with_secrets else ():  # the object replaced the leaf
            stack.set_secret_path(path, value)

    stack.up(*PACK)
    (first,) = emulator.numbers()

    # in-place update: one PATCH, same id
    entry = {**entry, "name": f"{name}-renamed"}
    declare(entry)
    emulator.reset_metrics()
    stack.up(*PACK)
    assert emulator.metrics()["requests"] == {"PATCH /phone-number/{id} 200": 1}
    (renamed,) = emulator.numbers()
    assert renamed["id"] == first["id"] and renamed["name"] == f"{name}-renamed"

    # a new number is a replacement: imported first, then the old one detached
    new_number = "+14155550177" if kind != "byo-phone-number" else "1002"
    entry = {**entry, "number": new_number}
    declare(entry)
    stack.up(*PACK)
    (replaced,) = emulator.numbers()
    assert replaced["id"] != first["id"] and replaced["number"] == new_number
    # a new account or credential for the same number: the old import goes first
    entry = {**entry, **account_change}
    declare(entry)
    stack.up(*PACK)
    (moved,) = emulator.numbers()
    assert moved["id"] != replaced["id"]
    assert all(moved[k] == v for k, v in account_change.items())
    assert_state_matches_emulator(stack, emulator)

    # drift made in the dashboard is seen by refresh, and the next up puts the program's value back
    with api(emulator) as client:
        client.patch(
            f"/phone-number/{moved['id']}", json={"assistantId": "drifted-assistant"}
        ).raise_for_status()
    stack.refresh()
    assert_state_matches_emulator(stack, emulator)
    stack.up(*PACK)
    (restored,) = emulator.numbers()
    assert restored.get("assistantId") == entry.get("assistantId")

    # deleted outside Pulumi: refresh drops it, up imports it again
    with api(emulator) as client:
        client.delete(f"/phone-number/{moved['id']}").raise_for_status()
    stack.refresh()
    assert [r for r in stack.export()["deployment"].get("resources") or [] if r["type"] == TYPES[kind]] == []
    stack.up(*PACK)
    (again,) = emulator.numbers()
    assert again["number"] == new_number
    assert_state_matches_emulator(stack, emulator)

    # adoption: forget the resource, then take the number over by its E.164 number (or id)
    (resource,) = [r for r in stack.export()["deployment"]["resources"] if r["type"] == TYPES[kind]]
    stack.run("state", "delete", resource["urn"], "--yes")
    adopt_key = again["number"] if kind != "byo-phone-number" else again["id"]
    declare({"adopt": adopt_key, "provider": kind, "assistantId": ASSISTANT, "name": "adopted"})
    emulator.reset_metrics()
    stack.up(*PACK)
    assert emulator.metrics()["requests"].get("POST /phone-number 201") is None, "adoption imports nothing"
    (adopted,) = emulator.numbers()
    assert adopted["id"] == again["id"] and adopted["name"] == "adopted"

    # a number of another kind is refused, naming the resource class that manages it
    other = next(k for k in IMPORTED if k != kind)
    stack.run("state", "delete", resource["urn"], "--yes")
    declare({"adopt": adopted["id"], "provider": other, "assistantId": ASSISTANT}, with_secrets=False)
    failed = stack.up(check=False)
    assert failed.returncode != 0
    assert f"declare it as a {TABLE_BY_PROVIDER[kind].resource}" in failed.stdout + failed.stderr
    stack.destroy()
    assert len(emulator.numbers()) == 1, "the refused adoption changed nothing"
