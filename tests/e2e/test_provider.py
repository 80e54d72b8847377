"""VapiPhoneNumber end to end: the real `pulumi` CLI, the project's own program, the emulator on a socket.

API calls are asserted through the emulator's request metrics, so "no request was sent" is a fact
observed at the server, not an assumption about the provider.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import yaml

from pulumi_harness import REPO_ROOT
from vapi_emulator import DEMO_API_KEY

PHONE_TYPE = "pulumi-python:dynamic/vapi:VapiPhoneNumber"
ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
SQUAD = "0e6f3a7c-8b21-4d4e-9f10-6c2b7a5d3e91"
WORKFLOW = "9c4e1f2a-7d3b-4b8e-a6f5-1e2d3c4b5a69"
SIP_PASSWORD = "sip-secret-password-0123456789"
HEADER_SECRET = "header-secret-value-abcdef"

BASE_NUMBERS: dict[str, Any] = {
    "support-line": {
        "numberDesiredAreaCode": "415",
        "assistantId": ASSISTANT,
        "fallbackDestination": {"type": "number", "number": "+14155550123"},
    },
    "sip-desk": {
        "sipUri": "sip:e2e-desk@sip.vapi.ai",
        "squadId": SQUAD,
        "authentication": {"username": "e2e-desk-username-0001"},
    },
}
SECRETS = {"vapi-phone-numbers:numbers.sip-desk.authentication.password": SIP_PASSWORD}


def requests_by(metrics: dict[str, Any], method: str | None = None) -> int:
    """How many requests the emulator answered, optionally only those of one HTTP method."""
    counts: dict[str, int] = metrics["requests"]
    return sum(n for key, n in counts.items() if method is None or key.startswith(method + " "))


def writes(metrics: dict[str, Any]) -> int:
    return sum(requests_by(metrics, m) for m in ("POST", "PATCH", "DELETE"))


def api(emulator) -> httpx.Client:
    return httpx.Client(base_url=emulator.url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"})


def by_name(emulator) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in emulator.numbers()}


def test_create_exports_and_second_up_sends_nothing(project_stack, emulator):
    stack = project_stack(BASE_NUMBERS, SECRETS)
    emulator.reset_metrics()
    stack.up()
    created = emulator.metrics()["requests"]
    # Per number: one search for an earlier claim, one POST, one PATCH that renames it from its claim to
    # its name, and status polls (GET by id) only while the PSTN number activates; no list, nothing else.
    assert created.get("POST /phone-number 201") == 2, created
    assert created.get("GET /v2/phone-number 200") == 2, created
    assert created.get("PATCH /phone-number/{id} 200") == 2, created
    allowed = {"POST /phone-number 201", "GET /v2/phone-number 200", "PATCH /phone-number/{id} 200"}
    assert set(created) <= allowed | {"GET /phone-number/{id} 200"}, created

    stored = emulator.numbers()
    assert len(stored) == 2
    names = sorted(n["name"] for n in stored)
    # Autonamed: <resource name>-<7 random characters>.
    assert re.fullmatch(r"sip-desk-[a-z0-9]{7}", names[0])
    assert re.fullmatch(r"support-line-[a-z0-9]{7}", names[1])

    outputs = stack.outputs()
    pstn = next(n for n in stored if n.get("numberDesiredAreaCode") == "415")
    assert pstn["status"] == "active"
    assert re.fullmatch(r"\+1415\d{7}", pstn["number"])
    assert outputs["support_line_id"] == pstn["id"]
    assert outputs["support_line_number"] == pstn["number"]
    assert outputs["sip_desk_sip_uri"] == "sip:e2e-desk@sip.vapi.ai"
    assert outputs.get("sip_desk_number") is None
    assert pstn["assistantId"] == ASSISTANT
    assert pstn["fallbackDestination"]["number"] == "+14155550123"

    emulator.reset_metrics()
    second = stack.up()
    assert "3 unchanged" in second.stdout  # two numbers and the stack
    assert emulator.metrics()["total"] == 0, emulator.metrics()

    preview = stack.preview()
    assert "3 unchanged" in preview.stdout
    assert emulator.metrics()["total"] == 0, emulator.metrics()


def test_update_in_place_clears_target_and_replaces_hooks(project_stack, emulator):
    numbers = {
        "after-hours": {
            "numberDesiredAreaCode": "212",
            "assistantId": ASSISTANT,
            "hooks": [
                {"on": "call.ringing", "do": [{"type": "say", "exact": "Hello there."}]},
                {
                    "on": "call.ending",
                    "do": {"type": "transfer", "destination": {"type": "number", "number": "+12125550199"}},
                },
            ],
            "server": {"url": "https://hooks.example.com/vapi", "timeoutSeconds": 10},
        }
    }
    stack = project_stack(numbers)
    stack.up()
    (before,) = emulator.numbers()

    # assistant -> squad (one PATCH that clears assistantId), hooks replaced by one, server changed.
    numbers["after-hours"].pop("assistantId")
    numbers["after-hours"]["squadId"] = SQUAD
    numbers["after-hours"]["hooks"] = [{"on": "call.ringing", "do": [{"type": "say", "exact": "Closed."}]}]
    numbers["after-hours"]["server"] = {"url": "https://hooks.example.com/v2", "timeoutSeconds": 20}
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)

    emulator.reset_metrics()
    preview = stack.run("preview", "--diff")
    for field in ("assistantId", "squadId", "hooks", "server"):
        assert field in preview.stdout
    assert emulator.metrics()["total"] == 0

    up = stack.up()
    assert "1 updated" in up.stdout
    metrics = emulator.metrics()
    assert requests_by(metrics, "PATCH") == 1, metrics
    assert requests_by(metrics, "POST") == 0 and requests_by(metrics, "DELETE") == 0, metrics

    (after,) = emulator.numbers()
    assert after["id"] == before["id"] and after["number"] == before["number"]
    assert after.get("assistantId") is None
    assert after["squadId"] == SQUAD
    assert after["hooks"] == [{"on": "call.ringing", "do": [{"type": "say", "exact": "Closed."}]}]
    assert after["server"]["url"] == "https://hooks.example.com/v2"

    # Clearing the fallback-less number's hooks entirely.
    numbers["after-hours"].pop("hooks")
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    stack.up()
    (cleared,) = emulator.numbers()
    assert not cleared.get("hooks")


def test_area_code_change_is_refused_without_opt_in_then_replaces(project_stack, emulator):
    numbers = {"support-line": dict(BASE_NUMBERS["support-line"])}
    stack = project_stack(numbers)
    stack.up()
    (old,) = emulator.numbers()

    numbers["support-line"]["numberDesiredAreaCode"] = "646"
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    emulator.reset_metrics()
    refused = stack.up(check=False)
    assert refused.returncode != 0
    text = refused.stdout + refused.stderr
    assert "numberDesiredAreaCode" in text and "support-line" in text
    assert "allow_release" in text or "allowRelease" in text
    assert writes(emulator.metrics()) == 0
    assert [n["id"] for n in emulator.numbers()] == [old["id"]]

    numbers["support-line"]["allowRelease"] = True
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    emulator.reset_metrics()
    replaced = stack.up()
    assert "1 replaced" in replaced.stdout
    metrics = emulator.metrics()
    assert requests_by(metrics, "POST") == 1 and requests_by(metrics, "DELETE") == 1, metrics
    (new,) = emulator.numbers()
    assert new["id"] != old["id"] and new["number"].startswith("+1646")


def test_refresh_shows_out_of_band_edit_and_delete_then_up_corrects(project_stack, emulator):
    stack = project_stack(BASE_NUMBERS, SECRETS)
    stack.up()
    numbers = by_name(emulator)
    pstn = next(n for n in numbers.values() if n.get("numberDesiredAreaCode") == "415")
    sip = next(n for n in numbers.values() if n.get("sipUri"))

    with api(emulator) as client:
        # Someone re-routes the PSTN number in the dashboard, and deletes the SIP number.
        client.patch(f"/phone-number/{pstn['id']}", json={"assistantId": None, "workflowId": WORKFLOW})
        client.delete(f"/phone-number/{sip['id']}").raise_for_status()

    emulator.reset_metrics()
    refresh = stack.refresh()
    assert emulator.metrics()["requests"].get("GET /phone-number/{id} 200") == 1
    assert emulator.metrics()["requests"].get("GET /phone-number/{id} 404") == 1
    assert "deleted" in refresh.stdout and "updated" in refresh.stdout
    assert len(stack.resources(PHONE_TYPE)) == 1

    # The preview now shows exactly the dashboard change (to be undone) and the number to re-create.
    preview = stack.run("preview", "--diff")
    assert "workflowId" in preview.stdout and "assistantId" in preview.stdout
    assert "+ 1 to create" in preview.stdout and "~ 1 to update" in preview.stdout

    emulator.reset_metrics()
    stack.up()
    metrics = emulator.metrics()
    # One POST (the re-created number) and two PATCHes: its rename from its claim, and the repair.
    assert requests_by(metrics, "POST") == 1 and requests_by(metrics, "PATCH") == 2, metrics
    repaired = by_name(emulator)
    pstn_after = next(n for n in repaired.values() if n.get("numberDesiredAreaCode") == "415")
    assert pstn_after["assistantId"] == ASSISTANT and pstn_after.get("workflowId") is None
    assert any(n.get("sipUri") == "sip:e2e-desk@sip.vapi.ai" for n in repaired.values())


def test_adopts_an_existing_number_without_buying_one(project_stack, emulator):
    with api(emulator) as client:
        existing = client.post(
            "/phone-number",
            json={"provider": "vapi", "sipUri": "sip:legacy-line@sip.vapi.ai", "name": "legacy line"},
        ).json()
    numbers = {"legacy-line": {"adopt": "sip:legacy-line@sip.vapi.ai", "assistantId": ASSISTANT}}
    stack = project_stack(numbers)

    emulator.reset_metrics()
    stack.up()
    metrics = emulator.metrics()
    assert requests_by(metrics, "POST") == 0, metrics
    assert requests_by(metrics, "PATCH") == 1, metrics
    (number,) = emulator.numbers()
    assert number["id"] == existing["id"]
    assert number["assistantId"] == ASSISTANT
    (resource,) = stack.resources(PHONE_TYPE)
    assert resource["id"] == existing["id"]


def test_destroy_leaves_the_emulator_empty(project_stack, emulator):
    stack = project_stack(BASE_NUMBERS, SECRETS)
    stack.up()
    assert len(emulator.numbers()) == 2
    emulator.reset_metrics()
    stack.destroy()
    assert emulator.numbers() == []
    assert requests_by(emulator.metrics(), "DELETE") == 2
    assert stack.resources() == []


def test_update_in_place_name_sip_uri_authentication_and_fallback(project_stack, emulator):
    numbers = {
        "desk": {
            "name": "Front desk",
            "sipUri": "sip:front-desk@sip.vapi.ai",
            "assistantId": ASSISTANT,
            "authentication": {"username": "front-desk-username-001"},
            "fallbackDestination": {"type": "number", "number": "+14155550123"},
        }
    }
    secrets = {"vapi-phone-numbers:numbers.desk.authentication.password": SIP_PASSWORD}
    stack = project_stack(numbers, secrets)
    stack.up()
    (before,) = emulator.numbers()

    numbers["desk"]["name"] = "Reception"
    numbers["desk"]["sipUri"] = "sip:reception@sip.vapi.ai"
    numbers["desk"]["authentication"] = {"username": "reception-username-0001"}
    numbers["desk"]["fallbackDestination"] = {"type": "sip", "sipUri": "sip:operator@example.com"}
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    new_password = "another-sip-password-98765"
    stack.set_secret_path("vapi-phone-numbers:numbers.desk.authentication.password", new_password)

    emulator.reset_metrics()
    up = stack.up()
    assert "1 updated" in up.stdout
    metrics = emulator.metrics()
    assert metrics["requests"] == {"PATCH /phone-number/{id} 200": 1}, metrics

    (after,) = emulator.numbers()
    assert after["id"] == before["id"]
    assert after["name"] == "Reception"
    assert after["sipUri"] == "sip:reception@sip.vapi.ai"
    assert after["authentication"] == {"username": "reception-username-0001", "password": new_password}
    assert after["fallbackDestination"] == {"type": "sip", "sipUri": "sip:operator@example.com"}

    # Removing the fallback clears it at Vapi with one PATCH (null), and nothing else changes.
    numbers["desk"].pop("fallbackDestination")
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    stack.set_secret_path("vapi-phone-numbers:numbers.desk.authentication.password", new_password)
    emulator.reset_metrics()
    stack.up()
    assert emulator.metrics()["requests"] == {"PATCH /phone-number/{id} 200": 1}
    (cleared,) = emulator.numbers()
    assert "fallbackDestination" not in cleared and cleared["name"] == "Reception"


def test_production_stack_file_protects_numbers_and_passes_the_policy_pack(project_stack, emulator):
    """stacks/Pulumi.production.yaml, pointed at the emulator: protected, retained, policy-compliant."""
    production = yaml.safe_load((REPO_ROOT / "stacks" / "Pulumi.production.yaml").read_text())["config"]
    stack = project_stack(stack="production")
    for key, value in production.items():
        if key != "vapi:baseUrl":
            stack.set_config_object(key, value)

    pack = ["--policy-pack", str(REPO_ROOT / "policies")]
    stack.up(*pack)
    (resource,) = stack.resources(PHONE_TYPE)
    assert resource.get("protect") is True and resource.get("retainOnDelete") is True

    refused = stack.destroy(check=False)
    assert refused.returncode != 0 and "protected" in refused.stdout + refused.stderr
    assert len(emulator.numbers()) == 1
