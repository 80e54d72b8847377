"""Several Vapi orgs in one stack: two explicit `vapi` providers (different keys, different base URLs, two
emulators on loopback sockets that each accept only their own key) declaring numbers with the same names.
Each number lands in its own org; refresh and destroy keep them apart; another stack in the same org with
the same names creates its own numbers and never takes these over. Real CLI, native plugin, language host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_harness import PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import EmulatorConfig, RunningEmulator, serve_in_thread

US_KEY = "us-org-private-key-0001"
EU_KEY = "eu-org-private-key-0002"
US_ORG = "6f1c2d3e-0000-4000-8000-00000000a0a1"
EU_ORG = "6f1c2d3e-0000-4000-8000-00000000e0e2"
ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
SQUAD = "0f6b3c2a-9d1e-4b7f-8a25-6c3e1d0b9f42"
TOKEN = "vapi:index:PhoneNumber"


@pytest.fixture
def us() -> Iterator[RunningEmulator]:
    with serve_in_thread(EmulatorConfig(api_keys={US_KEY: US_ORG}, activation_delay_seconds=0.2)) as running:
        yield running


@pytest.fixture
def eu() -> Iterator[RunningEmulator]:
    with serve_in_thread(EmulatorConfig(api_keys={EU_KEY: EU_ORG}, activation_delay_seconds=0.2)) as running:
        yield running


def _numbers(prefix: str, orgs: tuple[str, ...]) -> dict[str, Any]:
    """Per org: an area-code number and a SIP number, the same Vapi names in every org."""
    numbers: dict[str, Any] = {}
    for org in orgs:
        numbers[f"{org}-support"] = {
            "org": org,
            "name": "Support line",
            "numberDesiredAreaCode": "415",
            "assistantId": ASSISTANT,
        }
        numbers[f"{org}-desk"] = {
            "org": org,
            "name": "Desk",
            "sipUri": f"sip:{prefix}-desk@sip.vapi.ai",
            "squadId": SQUAD,
        }
    return numbers


def _stack(
    make_stack: Callable[..., PulumiStack],
    tmp_path: Path,
    emulators: dict[str, RunningEmulator],
    numbers: dict[str, Any],
    stack: str,
) -> PulumiStack:
    keys = {"us": US_KEY, "eu": EU_KEY}
    made = make_stack(
        "native_orgs",
        stack=stack,
        project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path / stack)),
        # The default provider's settings point nowhere: explicit providers must not fall back on them.
        config={"vapi:baseUrl": "http://127.0.0.1:9"},
        secret_config={
            "vapi:apiKey": "not-a-key-of-any-org",
            **{f"vapi-e2e:{o}ApiKey": keys[o] for o in emulators},
        },
    )
    made.set_config_object(
        "vapi-e2e:orgs",
        {org: {"baseUrl": e.url, "pollIntervalSeconds": 0.05} for org, e in emulators.items()},
    )
    made.set_config_object("vapi-e2e:numbers", numbers)
    return made


def _provider_of(resource: dict[str, Any]) -> str:
    """The name of a resource's provider resource (`urn:...::pulumi:providers:vapi::<name>::<id>`)."""
    urn = resource["provider"].rsplit("::", 1)[0]
    assert urn.rsplit("::", 2)[-2] == "pulumi:providers:vapi", urn
    return urn.rsplit("::", 1)[1]


def test_two_providers_keep_their_orgs_apart_through_up_refresh_and_destroy(
    make_stack: Callable[..., PulumiStack], us: RunningEmulator, eu: RunningEmulator, tmp_path: Path
) -> None:
    stack = _stack(make_stack, tmp_path, {"us": us, "eu": eu}, _numbers("orgs", ("us", "eu")), "two-orgs")
    stack.up()

    in_us, in_eu = us.numbers(), eu.numbers()
    assert len(in_us) == 2 and len(in_eu) == 2
    assert {n["orgId"] for n in in_us} == {US_ORG} and {n["orgId"] for n in in_eu} == {EU_ORG}
    assert sorted(n["name"] for n in in_us) == sorted(n["name"] for n in in_eu) == ["Desk", "Support line"]
    by_name = {r["urn"].rsplit("::", 1)[1]: r for r in stack.resources(TOKEN)}
    for org, emulator, org_id in (("us", us, US_ORG), ("eu", eu, EU_ORG)):
        ids = {n["id"] for n in emulator.numbers(org_id)}
        mine = {r["id"] for name, r in by_name.items() if name.startswith(f"{org}-")}
        assert mine == ids
        assert {r["outputs"]["orgId"] for name, r in by_name.items() if name.startswith(f"{org}-")} == {
            org_id
        }
        assert {_provider_of(r) for name, r in by_name.items() if name.startswith(f"{org}-")} == {org}
    outputs = stack.outputs()
    assert outputs["us-support_org"] == US_ORG and outputs["eu-support_org"] == EU_ORG
    # Neither org ever saw the other's key: a mix-up would have been a 401 there.
    for emulator in (us, eu):
        assert not any(" 401" in key for key in emulator.metrics()["requests"]), emulator.metrics()

    # Drift in one org is seen by its own numbers only.
    eu_support = by_name["eu-support"]["id"]
    patched = httpx.patch(
        f"{eu.url}/phone-number/{eu_support}",
        headers={"Authorization": f"Bearer {EU_KEY}"},
        json={"provider": "vapi", "assistantId": None, "squadId": SQUAD},
    )
    assert patched.status_code == 200, patched.text
    us_before = us.numbers()
    us.reset_metrics()
    stack.refresh()
    refreshed = {r["urn"].rsplit("::", 1)[1]: r for r in stack.resources(TOKEN)}
    assert refreshed["eu-support"]["outputs"].get("squadId") == SQUAD
    assert refreshed["us-support"]["outputs"].get("assistantId") == ASSISTANT
    assert refreshed["us-support"]["outputs"].get("squadId") is None
    assert us.numbers() == us_before
    assert all(key.startswith("GET ") for key in us.metrics()["requests"]), us.metrics()

    # The program is the truth again: up patches the EU number only.
    us.reset_metrics()
    eu.reset_metrics()
    stack.up()
    assert [n.get("assistantId") for n in eu.numbers() if n["id"] == eu_support] == [ASSISTANT]
    assert eu.metrics()["requests"].get("PATCH /phone-number/{id} 200") == 1, eu.metrics()
    assert all(key.startswith("GET ") for key in us.metrics()["requests"]), us.metrics()
    assert us.numbers() == us_before

    stack.destroy()
    assert us.numbers() == [] and eu.numbers() == []


def test_another_stack_in_the_same_org_with_the_same_names_never_takes_these_numbers(
    make_stack: Callable[..., PulumiStack], us: RunningEmulator, eu: RunningEmulator, tmp_path: Path
) -> None:
    ours = _stack(make_stack, tmp_path, {"us": us, "eu": eu}, _numbers("ours", ("us", "eu")), "ours")
    ours.up()
    our_us = us.numbers()
    our_ids = {r["id"] for r in ours.resources(TOKEN)}

    # Same resource names and Vapi names, same US org; only the SIP URI must differ (Vapi keeps it unique).
    theirs = _stack(make_stack, tmp_path, {"us": us}, _numbers("theirs", ("us",)), "theirs")
    theirs.up()
    their_ids = {r["id"] for r in theirs.resources(TOKEN)}
    assert len(their_ids) == 2 and their_ids.isdisjoint(our_ids)
    assert {n["id"] for n in us.numbers()} == {n["id"] for n in our_us} | their_ids
    assert [n for n in us.numbers() if n["id"] not in their_ids] == our_us, "their up changed our numbers"

    theirs.refresh()
    assert {r["id"] for r in theirs.resources(TOKEN)} == their_ids
    theirs.destroy()
    assert us.numbers() == our_us, "destroying their stack released or changed our numbers"
    assert {r["id"] for r in ours.resources(TOKEN)} == our_ids
    ours.refresh()
    assert {r["id"] for r in ours.resources(TOKEN)} == our_ids
    ours.destroy()
    assert us.numbers() == [] and eu.numbers() == []


def test_a_provider_pointed_at_another_org_between_runs_neither_drops_nor_orphans_its_numbers(
    make_stack: Callable[..., PulumiStack], us: RunningEmulator, eu: RunningEmulator, tmp_path: Path
) -> None:
    """The default provider's base URL and key change from the US org to the EU org between runs. Vapi
    answers 404 there for the US numbers, as for released ones: refresh and destroy must stop naming the
    fix, not drop the numbers from state while they stay bought in the US org."""
    stack = make_stack(
        "native_numbers",
        project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path)),
        config={"vapi:baseUrl": us.url, "vapi:pollIntervalSeconds": "0.05"},
        secret_config={"vapi:apiKey": US_KEY},
    )
    stack.set_config_object("vapi-e2e:numbers", {"line": {"numberDesiredAreaCode": "415"}})
    stack.up()
    [bought] = us.numbers(US_ORG)

    stack.run("config", "set", "vapi:baseUrl", eu.url)
    stack.run("config", "set", "--secret", "vapi:apiKey", EU_KEY)
    # Refresh and destroy use the provider settings recorded in state; `up` records the new ones (an
    # in-place update of the provider, no change to the number).
    stack.up()
    assert [r["id"] for r in stack.resources(TOKEN)] == [bought["id"]]
    for command in ("refresh", "destroy"):
        failed = stack.run(command, "--yes", "--skip-preview", check=False)
        out = failed.stdout + failed.stderr
        assert failed.returncode != 0, out
        assert "another vapi:apiKey or vapi:baseUrl" in out and "pulumi state delete" in out, out
        assert [r["id"] for r in stack.resources(TOKEN)] == [bought["id"]], command
    assert [n["id"] for n in us.numbers(US_ORG)] == [bought["id"]]
    assert eu.numbers(EU_ORG) == []

    # Back on the org that holds it, destroy releases it.
    stack.run("config", "set", "vapi:baseUrl", us.url)
    stack.run("config", "set", "--secret", "vapi:apiKey", US_KEY)
    stack.up()
    stack.destroy()
    assert us.numbers(US_ORG) == [] and stack.resources(TOKEN) == []
