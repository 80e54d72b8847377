"""Review and gate: what preview needs and shows, with the real engine and the emulator on a socket."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from pulumi_harness import REPO_ROOT, PulumiStack
from vapi_emulator import DEMO_API_KEY, RunningEmulator

PACK = REPO_ROOT / "policies"
ASSISTANT = "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10"
OTHER_ASSISTANT = "11111111-2222-4333-8444-555555555555"


def test_preview_needs_no_vapi_key_and_up_says_which_key_is_missing(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {"support-line": {"numberDesiredAreaCode": "415", "assistantId": ASSISTANT}}
    stack = project_stack(numbers)
    stack.up()
    # A pull request from a fork gets no secrets: no vapi:apiKey, no VAPI_API_KEY.
    stack.run("config", "rm", "vapi:apiKey", "--stack", stack.stack)
    emulator.reset_metrics()

    no_change = stack.preview("--policy-pack", str(PACK))
    assert "2 unchanged" in no_change.stdout

    numbers["support-line"]["assistantId"] = OTHER_ASSISTANT
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    changed = stack.preview("--diff", "--policy-pack", str(PACK))
    assert "~ 1 to update" in changed.stdout and OTHER_ASSISTANT in changed.stdout
    assert emulator.metrics()["total"] == 0, "preview called Vapi"

    failed = stack.up(check=False)
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    assert "No Vapi API key" in output and "vapi:apiKey" in output and "VAPI_API_KEY" in output
    assert "Traceback" not in output, "our errors reach the CLI as their message"
    assert emulator.metrics()["total"] == 0
    (record,) = emulator.numbers()
    assert record["assistantId"] == ASSISTANT, "nothing changed at Vapi"


SIP_PASSWORD = "review-sip-password-000001"
HEADER_VALUE = "review-header-value-000001"
DASHBOARD_VALUE = "dashboard-only-header-value-0001"


def _no_plaintext(stack: PulumiStack, *texts: str) -> None:
    blobs = [
        stack.backend_bytes(),
        stack.run("stack", "export").stdout.encode(),
        *(t.encode() for t in texts),
    ]
    for secret in (SIP_PASSWORD, HEADER_VALUE, DASHBOARD_VALUE):
        for blob in blobs:
            assert secret.encode() not in blob, "a secret appears in plaintext"


def test_changes_inside_secret_bearing_objects_are_reviewable_and_refresh_keeps_secrets_secret(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {
        "desk": {
            "sipUri": "sip:review-desk@sip.vapi.ai",
            "assistantId": ASSISTANT,
            "authentication": {"username": "review-desk-username-0001"},
            "server": {"url": "https://hooks.example.com/one", "timeoutSeconds": 15},
        }
    }
    secrets = {
        "vapi-phone-numbers:numbers.desk.authentication.password": SIP_PASSWORD,
        "vapi-phone-numbers:numbers.desk.server.headers.X-Token": HEADER_VALUE,
    }
    stack = project_stack(numbers, secrets)
    stack.up()

    numbers["desk"]["server"] = {"url": "https://hooks.example.com/two", "timeoutSeconds": 25}
    numbers["desk"]["authentication"] = {"username": "review-desk-username-0002"}
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    for path, value in secrets.items():
        stack.set_secret_path(path, value)
    diff = stack.preview("--diff").stdout
    # Field by field: the reviewer sees where calls will go, and the secrets stay masked.
    for text in ("https://hooks.example.com/one", "https://hooks.example.com/two", "timeoutSeconds"):
        assert text in diff, text
    assert "review-desk-username-0002" in diff
    assert "[secret]" in diff
    stack.up()
    (record,) = emulator.numbers()
    assert record["server"]["url"] == "https://hooks.example.com/two"
    assert record["server"]["headers"] == {"X-Token": HEADER_VALUE}

    # Out of band: a header the program never declared, set in the dashboard.
    server = {**record["server"], "headers": {"X-Token": HEADER_VALUE, "X-Dashboard": DASHBOARD_VALUE}}
    httpx.patch(
        f"{emulator.url}/phone-number/{record['id']}",
        json={"server": server},
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    ).raise_for_status()
    refreshed = stack.refresh()
    shown = stack.preview("--diff")
    _no_plaintext(stack, refreshed.stdout, refreshed.stderr, shown.stdout, shown.stderr)
    (resource,) = stack.resources("pulumi-python:dynamic/vapi:VapiPhoneNumber")
    for section in ("inputs", "outputs"):
        assert "ciphertext" in resource[section]["server"]["headers"]["X-Dashboard"], section


def test_an_adopted_numbers_undeclared_secrets_are_stored_encrypted(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    created = httpx.post(
        f"{emulator.url}/phone-number",
        json={
            "provider": "vapi",
            "sipUri": "sip:adopted-review@sip.vapi.ai",
            "authentication": {"username": "adopted-review-user-001", "password": SIP_PASSWORD},
            "server": {"url": "https://hooks.example.com/a", "headers": {"X-Dashboard": DASHBOARD_VALUE}},
        },
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    )
    created.raise_for_status()
    stack = project_stack({"adopted": {"adopt": created.json()["id"], "assistantId": ASSISTANT}})
    out = stack.up()
    _no_plaintext(stack, out.stdout, out.stderr)


def test_adopt_leaves_undeclared_settings_alone_and_preview_shows_all_that_up_sends(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    workflow = "9c4e1f2a-7d3b-4b8e-a6f5-1e2d3c4b5a69"
    existing = httpx.post(
        f"{emulator.url}/phone-number",
        json={
            "provider": "vapi",
            "sipUri": "sip:adopt-alone@sip.vapi.ai",
            "name": "front desk",
            "workflowId": workflow,
        },
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    )
    existing.raise_for_status()
    number_id = existing.json()["id"]
    stack = project_stack({"desk": {"adopt": number_id, "name": "front desk", "assistantId": ASSISTANT}})
    preview = stack.preview("--diff").stdout
    assert ASSISTANT in preview
    stack.up()
    (record,) = emulator.numbers()
    assert record["id"] == number_id
    assert record["workflowId"] == workflow, "adopt cleared a setting the program does not declare"
    assert record["assistantId"] == ASSISTANT and record["name"] == "front desk"
    emulator.reset_metrics()
    assert "2 unchanged" in stack.preview().stdout
    stack.up()
    assert emulator.metrics()["total"] == 0
    (record,) = emulator.numbers()
    assert record["workflowId"] == workflow


def test_duplicate_names_and_sip_uris_in_stack_config_are_refused_before_anything_is_bought(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {
        "one": {"name": "main line", "numberDesiredAreaCode": "415", "assistantId": ASSISTANT},
        "two": {"name": "main line", "numberDesiredAreaCode": "212", "assistantId": ASSISTANT},
        "three": {"sipUri": "sip:same@sip.vapi.ai", "assistantId": ASSISTANT},
        "four": {"sipUri": "SIP:Same@sip.vapi.ai", "assistantId": ASSISTANT},
    }
    stack = project_stack(numbers)
    for run in (stack.preview, stack.up):
        failed = run(check=False)
        text = failed.stdout + failed.stderr
        assert failed.returncode != 0
        assert "vapi-phone-numbers:numbers.two.name: the same name as one" in text
        # Config maps reach the program sorted by key, so "four" is seen before "three".
        assert "vapi-phone-numbers:numbers.three.sipUri: the same sipUri as four" in text
    assert emulator.metrics()["total"] == 0 and emulator.numbers() == []


def test_duplicate_names_in_a_python_program_are_refused_before_anything_is_bought(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    for dupe, expected in (("name", "the same name as 'first'"), ("sipUri", "the same sipUri as 'first'")):
        stack = make_stack(
            "duplicate_names",
            config={"vapi:baseUrl": emulator.url, "dupe": dupe},
            secret_config={"vapi:apiKey": DEMO_API_KEY},
        )
        failed = stack.up(check=False)  # --skip-preview: nothing else stops it
        assert failed.returncode != 0 and expected in failed.stdout + failed.stderr
        assert emulator.metrics()["total"] == 0 and emulator.numbers() == []


def test_a_number_that_activates_slowly_shows_progress_on_its_own_line(
    make_stack: Callable[..., PulumiStack],
) -> None:
    from vapi_emulator import EmulatorConfig, serve_in_thread

    with serve_in_thread(EmulatorConfig(activation_delay_seconds=3.0)) as slow:
        stack = make_stack(
            REPO_ROOT / "__main__.py",
            project="vapi-phone-numbers",
            config={"vapi:baseUrl": slow.url, "vapi:pollIntervalSeconds": "0.5"},
            secret_config={"vapi:apiKey": DEMO_API_KEY},
        )
        stack.set_config_object(
            "vapi-phone-numbers:numbers", {"support-line": {"numberDesiredAreaCode": "415"}}
        )
        out = stack.up().stdout
    lines = [line for line in out.splitlines() if "activating," in line]
    assert lines, out
    assert all("VapiPhoneNumber support-line" in line and "of at most 300 s" in line for line in lines), lines
    assert "support-line-" in lines[-1]


def test_removing_an_explicit_name_keeps_it_and_the_preview_says_so(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {
        "desk": {"name": "Front desk", "sipUri": "sip:named-desk@sip.vapi.ai", "assistantId": ASSISTANT}
    }
    stack = project_stack(numbers)
    stack.up()
    del numbers["desk"]["name"]
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    emulator.reset_metrics()
    assert "2 unchanged" in stack.preview("--diff").stdout
    stack.up()
    assert emulator.metrics()["total"] == 0
    (record,) = emulator.numbers()
    assert record["name"] == "Front desk"


def test_get_looks_a_number_up_and_never_changes_or_releases_it(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    created = httpx.post(
        f"{emulator.url}/phone-number",
        json={
            "provider": "vapi",
            "numberDesiredAreaCode": "415",
            "name": "legacy line",
            "assistantId": ASSISTANT,
        },
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    )
    created.raise_for_status()
    number_id = created.json()["id"]
    emulator.reset_metrics()
    stack = make_stack(
        "lookup",
        config={"vapi:baseUrl": emulator.url, "numberId": number_id},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    before = emulator.numbers()
    stack.up()
    outputs = stack.outputs()
    assert outputs["name"] == "legacy line" and outputs["assistantId"] == ASSISTANT
    assert outputs["number"] == before[0]["number"]
    stack.destroy()
    assert emulator.numbers() == before, "a lookup changed or released the number"
    writes = [k for k in emulator.metrics()["requests"] if k.split()[0] in ("POST", "PATCH", "DELETE")]
    assert writes == []
