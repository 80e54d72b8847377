"""The native `vapi` provider plugin, end to end: the real CLI, our language host, the plugin folder built
by `pulumi_harness.native_plugin_dir`, and the emulator on a loopback socket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_harness import REPO_ROOT, PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, DEMO_ORG_ID, EmulatorConfig, RunningEmulator, serve_in_thread

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


def _writes(emulator: RunningEmulator) -> dict[str, int]:
    """Requests that change something at Vapi (POST, PATCH, DELETE), by method, path and status."""
    return {
        k: n for k, n in emulator.metrics()["requests"].items() if k.split()[0] in ("POST", "PATCH", "DELETE")
    }


def test_the_shipped_plugin_folder_runs_as_is(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    """`plugin/` itself (no virtualenv named): the language host runs it with the program's Python."""
    stack = make_stack(
        PROGRAM,
        project_yaml_extra=native_plugin_yaml(REPO_ROOT / "plugin"),
        config={"vapi:baseUrl": emulator.url},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    stack.set_config_object("vapi-e2e:numbers", {"desk": {"sipUri": "sip:native-shipped-desk@sip.vapi.ai"}})
    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stack.outputs()["desk_id"] == stored["id"]
    stack.destroy()
    assert emulator.numbers(DEMO_ORG_ID) == []


def test_lifecycle_preview_diff_update_replace_refresh_destroy(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    server = {"url": "https://hooks.example.com/a", "headers": {"X-Token": "secret:tokenOne"}}
    numbers: dict[str, Any] = {
        "main": {"numberDesiredAreaCode": "415", "assistantId": "asst-1", "server": server},
    }
    stack = native_stack(numbers)
    stack.run("config", "set", "--secret", "tokenOne", "header-secret-one")
    stack.run("config", "set", "--secret", "tokenTwo", "header-secret-two")
    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stored["server"]["headers"] == {"X-Token": "header-secret-one"}
    first_id = stored["id"]

    # A second up changes nothing and sends nothing.
    emulator.reset_metrics()
    again = stack.up()
    assert _writes(emulator) == {}
    assert "unchanged" in again.stdout

    # preview --diff shows the change field by field, inside the secret-bearing server too.
    changed_server = {"url": "https://hooks.example.com/b", "headers": {"X-Token": "secret:tokenTwo"}}
    numbers["main"] = {**numbers["main"], "assistantId": "asst-2", "server": changed_server}
    stack.set_config_object("vapi-e2e:numbers", numbers)
    preview = stack.preview("--diff")
    out = preview.stdout
    assert "~ vapi:index:PhoneNumber: (update)" in out, out
    assert '~ assistantId: "asst-1" => "asst-2"' in out, out
    assert '~ url    : "https://hooks.example.com/a" => "https://hooks.example.com/b"' in out, out
    assert "~ X-Token" in out, out
    assert "header-secret" not in out, out
    assert "[secret]" in out, out

    emulator.reset_metrics()
    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stored["id"] == first_id  # updated in place
    assert stored["assistantId"] == "asst-2"
    assert stored["server"]["url"] == "https://hooks.example.com/b"
    assert stored["server"]["headers"] == {"X-Token": "header-secret-two"}
    assert {k.split()[0] for k in _writes(emulator)} == {"PATCH"}, _writes(emulator)

    # Drift outside Pulumi shows on refresh, and the next up puts it back.
    _api(emulator, "PATCH", f"/phone-number/{first_id}", {"assistantId": "asst-drift"})
    refresh = stack.refresh()
    assert "asst-drift" in refresh.stdout or "~ 1 updated" in refresh.stdout, refresh.stdout
    [resource] = stack.resources("vapi:index:PhoneNumber")
    assert resource["inputs"]["assistantId"] == "asst-drift"
    stack.up()
    assert emulator.numbers(DEMO_ORG_ID)[0]["assistantId"] == "asst-2"

    # A new area code without allowRelease is refused before anything is sent ...
    numbers["main"] = {**numbers["main"], "numberDesiredAreaCode": "212"}
    stack.set_config_object("vapi-e2e:numbers", numbers)
    refused = stack.preview(check=False)
    assert refused.returncode != 0
    assert "property numberDesiredAreaCode value {212} has a problem" in refused.stdout, refused.stdout
    assert "allow_release=True (allowRelease: true)" in refused.stdout
    _assert_readable(refused.stdout)

    # ... and with it, the number is replaced (a new one bought, the old one released).
    numbers["main"] = {**numbers["main"], "allowRelease": True}
    stack.set_config_object("vapi-e2e:numbers", numbers)
    replace_preview = stack.preview("--diff")
    assert "+-vapi:index:PhoneNumber: (replace)" in replace_preview.stdout, replace_preview.stdout
    assert "[diff: ~numberDesiredAreaCode" in replace_preview.stdout or "numberDesiredAreaCode" in (
        replace_preview.stdout
    )
    stack.up()
    [replaced] = emulator.numbers(DEMO_ORG_ID)
    assert replaced["id"] != first_id
    assert replaced["numberDesiredAreaCode"] == "212"

    stack.destroy()
    assert emulator.numbers(DEMO_ORG_ID) == []
    assert b"header-secret" not in stack.backend_bytes()
    assert DEMO_API_KEY.encode() not in stack.backend_bytes()


def test_a_number_released_outside_pulumi_leaves_the_state_on_refresh(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {"gone": {"sipUri": "sip:native-gone@sip.vapi.ai"}, "kept": {"numberDesiredAreaCode": "415"}}
    stack = native_stack(numbers)
    stack.up()
    by_name = {n["name"]: n["id"] for n in emulator.numbers(DEMO_ORG_ID)}
    gone = next(i for name, i in by_name.items() if name.startswith("gone"))
    _api(emulator, "DELETE", f"/phone-number/{gone}")
    stack.refresh()
    # Not an empty resource with no id: the number is out of the state, the other one untouched.
    assert sorted(r["id"] for r in stack.resources("vapi:index:PhoneNumber")) == sorted(
        i for i in by_name.values() if i != gone
    )
    emulator.reset_metrics()
    stack.up()  # the program still declares it: a new number is bought, exactly one
    posts = [k for k in _writes(emulator) if k.startswith("POST")]
    assert posts == ["POST /phone-number 201"], _writes(emulator)
    assert len(emulator.numbers(DEMO_ORG_ID)) == 2


def test_preview_needs_no_key(native_stack: Callable[..., PulumiStack], emulator: RunningEmulator) -> None:
    stack = native_stack(
        {"main": {"numberDesiredAreaCode": "415"}},
        secret_config={},
    )
    emulator.reset_metrics()
    preview = stack.preview()
    assert "+ 2 to create" in preview.stdout, preview.stdout
    assert emulator.metrics()["total"] == 0
    failed = stack.up(check=False)
    assert failed.returncode != 0
    assert "pulumi config set --secret vapi:apiKey" in failed.stdout + failed.stderr
    _assert_readable(failed.stdout)


def test_bad_input_names_the_field(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = native_stack({"main": {"numberDesiredAreaCode": "41"}})
    emulator.reset_metrics()
    failed = stack.preview(check=False)
    assert failed.returncode != 0
    assert "numberDesiredAreaCode" in failed.stdout + failed.stderr
    assert emulator.metrics()["total"] == 0


def test_import_adopts_a_number_with_no_change_at_vapi(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    body = {
        "provider": "vapi",
        "numberDesiredAreaCode": "212",
        "name": "legacy-line",
        "assistantId": "asst-7",
    }
    existing = _api(emulator, "POST", "/phone-number", body)
    stack = native_stack()
    emulator.reset_metrics()
    # Our language host does not generate program code: skip codegen, declare the resource by hand.
    stack.run("import", "vapi:index:PhoneNumber", "legacy", existing["id"], "--yes", "--generate-code=false")
    assert _writes(emulator) == {}
    at_import = emulator.numbers(DEMO_ORG_ID)
    [resource] = stack.resources("vapi:index:PhoneNumber")
    assert resource["id"] == existing["id"]
    assert resource["inputs"]["assistantId"] == "asst-7"
    assert resource["inputs"]["name"] == "legacy-line"

    # The declaration a user writes after the import: the number's own settings. Nothing changes.
    stack.set_config_object(
        "vapi-e2e:numbers",
        {"legacy": {"name": "legacy-line", "numberDesiredAreaCode": "212", "assistantId": "asst-7"}},
    )
    preview = stack.preview("--diff")
    assert "2 unchanged" in preview.stdout and "to update" not in preview.stdout, preview.stdout
    emulator.reset_metrics()
    up = stack.up()
    assert "2 unchanged" in up.stdout, up.stdout
    assert _writes(emulator) == {}
    assert emulator.numbers(DEMO_ORG_ID) == at_import  # the stored number is exactly as it was


def test_import_option_and_an_imported_kind_with_a_secret(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    twilio = {
        "provider": "twilio",
        "number": "+14155550177",
        "twilioAccountSid": "AC" + "7" * 32,
        "twilioAuthToken": "twilio-token-native-e2e-0001",
        "name": "imported-twilio",
    }
    existing = _api(emulator, "POST", "/phone-number", twilio)
    stack = native_stack()
    stack.run("config", "set", "--secret", "twilioToken", "twilio-token-native-e2e-0001")
    declared = {k: v for k, v in twilio.items() if k != "provider"}
    numbers = {
        "tw": {
            **declared,
            "kind": "TwilioPhoneNumber",
            "twilioAuthToken": "secret:twilioToken",
            "importId": existing["id"],
        }
    }
    stack.set_config_object("vapi-e2e:numbers", numbers)
    emulator.reset_metrics()
    stack.up()
    assert _writes(emulator) == {}
    [resource] = stack.resources("vapi:index:TwilioPhoneNumber")
    assert resource["id"] == existing["id"]
    # The token is a secret in state, and nowhere in plaintext in the backend.
    assert "ciphertext" in str(resource["outputs"]["twilioAuthToken"])
    assert b"twilio-token-native-e2e-0001" not in stack.backend_bytes()

    # A change of a replacing key of an imported kind replaces it (deleting the old import first).
    numbers["tw"] = {**numbers["tw"], "twilioAccountSid": "AC" + "8" * 32}
    numbers["tw"].pop("importId")
    stack.set_config_object("vapi-e2e:numbers", numbers)
    preview = stack.preview("--diff")
    assert "+-vapi:index:TwilioPhoneNumber: (replace)" in preview.stdout, preview.stdout
    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stored["id"] != existing["id"] and stored["twilioAccountSid"] == "AC" + "8" * 32
    stack.destroy()
    assert emulator.numbers(DEMO_ORG_ID) == []


def test_a_create_whose_outcome_is_unknown_is_recorded_in_doubt_and_refresh_resolves_it(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = native_stack({"main": {"numberDesiredAreaCode": "415"}})
    emulator.drop_on("POST /phone-number")  # committed at Vapi, then the connection drops
    # The search for an earlier claim before the POST answers; every reconciling search fails.
    emulator.fail_on("GET /v2/phone-number", 500, nth=2, times=None)
    doubtful = stack.up()
    emulator.clear_faults()
    # The core's warning reaches the CLI on the resource's line, with what to do.
    warnings = [
        line
        for line in doubtful.stdout.splitlines()
        if "vapi:index:PhoneNumber" in line and "warning" in line
    ]
    assert any("run `pulumi refresh`" in line for line in warnings), doubtful.stdout
    [record] = stack.resources("vapi:index:PhoneNumber")
    assert record["id"].startswith("in-doubt-") and record["outputs"]["status"] == "in-doubt"
    assert len(emulator.numbers(DEMO_ORG_ID)) == 1

    emulator.reset_metrics()
    stopped = stack.up(check=False)  # nothing more is bought while the record is in doubt
    assert stopped.returncode != 0
    assert "may have bought" in stopped.stdout and "pulumi refresh" in stopped.stdout, stopped.stdout
    _assert_readable(stopped.stdout)
    assert emulator.metrics()["requests"].get("POST /phone-number 201", 0) == 0

    stack.refresh()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    [record] = stack.resources("vapi:index:PhoneNumber")
    assert record["id"] == stored["id"]
    emulator.reset_metrics()
    stack.up()
    assert _writes(emulator) == {}
    assert len(emulator.numbers(DEMO_ORG_ID)) == 1


def test_a_401_on_the_activation_poll_is_named_and_no_timeout_is_claimed(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    stack = native_stack({"main": {"numberDesiredAreaCode": "415"}})
    emulator.fail_on("GET /phone-number/{id}", 401)  # the first poll after the 201
    done = stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    [record] = stack.resources("vapi:index:PhoneNumber")
    assert record["id"] == stored["id"] and record["outputs"]["status"] == "activating"
    # The warning, on the resource's line, says polling stopped on the 401; no timeout passed.
    warnings = [
        line for line in done.stdout.splitlines() if "vapi:index:PhoneNumber" in line and "warning" in line
    ]
    assert any(
        f"polling phone number {stored['id']} stopped" in line and "failed with 401" in line
        for line in warnings
    ), done.stdout
    text = done.stdout + done.stderr
    assert "pulumi refresh" in text and "after 300" not in text and "still activating" not in text, text
    assert DEMO_API_KEY not in text
    stack.refresh()
    [record] = stack.resources("vapi:index:PhoneNumber")
    assert record["outputs"]["status"] == "active"


def test_creates_run_at_once_up_to_parallel_not_four(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    count, latency = 12, 1.5
    stack = native_stack(
        {f"n{i:02d}": {"sipUri": f"sip:native-par-{i:02d}@sip.vapi.ai"} for i in range(count)}
    )
    emulator.configure(latency_seconds=latency)
    stack.up("--parallel", str(count))
    emulator.configure(latency_seconds=0.0)
    created = sorted(datetime.fromisoformat(n["createdAt"]) for n in emulator.numbers(DEMO_ORG_ID))
    assert len(created) == count
    # Four at a time (the dynamic host's ceiling) would spread the creates over at least two more
    # latencies (three waves); all at once, they land within one.
    spread = (created[-1] - created[0]).total_seconds()
    assert spread < latency, spread


def test_two_explicit_providers_keep_their_orgs_apart(
    make_stack: Callable[..., PulumiStack], tmp_path: Path
) -> None:
    keys = {"native-key-us-000000": "org-us", "native-key-eu-000000": "org-eu"}
    with serve_in_thread(EmulatorConfig(api_keys=keys, activation_delay_seconds=0.1)) as emulator:
        plugin = native_plugin_dir(tmp_path)
        # The EU key reaches the program as a plain value: the provider still keeps it secret in state.
        stack = make_stack(
            PROGRAM,
            project_yaml_extra=native_plugin_yaml(plugin),
            extra_env={"NATIVE_EU_KEY": "native-key-eu-000000"},
        )
        stack.run("config", "set", "--secret", "keyUs", "native-key-us-000000")
        providers = {
            org: {"baseUrl": emulator.url, "apiKey": key, "pollIntervalSeconds": "0.05"}
            for org, key in (("us", "secret:keyUs"), ("eu", "env:NATIVE_EU_KEY"))
        }
        stack.set_config_object("vapi-e2e:providers", providers)
        # The same explicit name in both orgs: each provider finds and manages only its own number.
        numbers = {
            "us-line": {"provider": "us", "name": "support", "numberDesiredAreaCode": "415"},
            "eu-line": {"provider": "eu", "name": "support", "sipUri": "sip:native-eu-support@sip.vapi.ai"},
        }
        stack.set_config_object("vapi-e2e:numbers", numbers)
        stack.up()
        [us] = emulator.numbers("org-us")
        [eu] = emulator.numbers("org-eu")
        outputs = stack.outputs()
        assert outputs["us-line_id"] == us["id"] and outputs["us-line_org"] == "org-us"
        assert outputs["eu-line_id"] == eu["id"] and outputs["eu-line_org"] == "org-eu"
        assert eu["sipUri"] == "sip:native-eu-support@sip.vapi.ai"

        # Update one org's number; the other org is not touched.
        numbers["eu-line"]["assistantId"] = "asst-eu"
        stack.set_config_object("vapi-e2e:numbers", numbers)
        emulator.reset_metrics()
        stack.up()
        assert emulator.numbers("org-eu")[0]["assistantId"] == "asst-eu"
        assert "assistantId" not in emulator.numbers("org-us")[0]
        assert {k.split()[0] for k in _writes(emulator)} == {"PATCH"}, _writes(emulator)

        stack.refresh()
        assert len(stack.resources("vapi:index:PhoneNumber")) == 2
        backend = stack.backend_bytes()
        for key in keys:
            assert key.encode() not in backend
        stack.destroy()
        assert emulator.numbers("org-us") == [] and emulator.numbers("org-eu") == []


def _assert_readable(output: str) -> None:
    """The resource's own lines carry our message alone, no Python traceback. (The program process may
    print one of its own when the engine stops it mid-registration: that is the Python SDK's, not ours.)"""
    lines = [line for line in output.splitlines() if "vapi:index:" in line]
    assert lines, output
    for line in lines:
        assert "Traceback" not in line and 'File "' not in line, line


def _api(emulator: RunningEmulator, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    response = httpx.request(method, emulator.url + path, json=body, headers=headers)
    response.raise_for_status()
    return response.json()


def test_autoname_previewed_is_the_name_applied(
    native_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    # A plain preview, then a plain up: each run gets a fresh random seed from the engine, and the
    # name a reviewer saw must still be the name bought.
    stack = native_stack({"main": {"numberDesiredAreaCode": "415"}})
    preview = stack.preview()
    [line] = [line for line in preview.stdout.splitlines() if "main_name" in line]
    shown = line.split(":", 1)[1].strip().strip('"')
    assert shown.startswith("main-")
    again = stack.preview()
    assert f'"{shown}"' in again.stdout
    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stored["name"] == shown
    # Later runs keep the recorded name.
    stack.up()
    assert stack.outputs()["main_name"] == shown
