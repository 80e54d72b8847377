"""Review and gate: what preview needs and shows, with the real engine and the emulator on a socket."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

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


# --- a change confined to a secret -------------------------------------------------------------------

DESK_PASSWORD = "secret-diff-sip-password-01"
NEW_DESK_PASSWORD = "secret-diff-sip-password-02"
DASHBOARD_PASSWORD = "secret-diff-sip-password-03"
DESK_HEADER = "secret-diff-header-value-01"
NEW_DESK_HEADER = "secret-diff-header-value-02"
TWILIO_TOKEN = "secret-diff-twilio-token-0123456789"
NEW_TWILIO_TOKEN = "secret-diff-twilio-token-9876543210"
SECRET_DIFF_VALUES = (
    DESK_PASSWORD,
    NEW_DESK_PASSWORD,
    DASHBOARD_PASSWORD,
    DESK_HEADER,
    NEW_DESK_HEADER,
    TWILIO_TOKEN,
    NEW_TWILIO_TOKEN,
)
PASSWORD_PATH = "vapi-phone-numbers:numbers.desk.authentication.password"
HEADER_PATH = "vapi-phone-numbers:numbers.desk.server.headers.X-Token"
TOKEN_PATH = "vapi-phone-numbers:numbers.sales-line.twilioAuthToken"
ADOPTED_PASSWORD_PATH = "vapi-phone-numbers:numbers.adopted.authentication.password"


def _marked(diff: str) -> list[str]:
    """The fields `preview --diff` marks as changed: the `~ key: old => new` lines."""
    return re.findall(r"~ ([\w-]+)\s*: (.* => .*)", diff)


def _previewed(stack: PulumiStack) -> str:
    """`preview --diff`'s output, checked for every secret value of these tests in plaintext."""
    out = stack.preview("--diff")
    for secret in SECRET_DIFF_VALUES:
        assert secret not in out.stdout + out.stderr, "a secret appears in plaintext"
    return out.stdout


def _stored_encrypted(stack: PulumiStack) -> None:
    for blob in (stack.backend_bytes(), stack.run("stack", "export").stdout.encode()):
        for secret in SECRET_DIFF_VALUES:
            assert secret.encode() not in blob, "a secret appears in plaintext"


def _leaves(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _leaves(item, (*path, key)).items()}
    return {path: value}


def _sent(before: dict[str, Any], after: dict[str, Any]) -> set[tuple[str, ...]]:
    """The fields of a number at Vapi that changed between two looks (its update time aside)."""
    old, new = _leaves(before), _leaves(after)
    return {k for k in {*old, *new} if k != ("updatedAt",) and old.get(k) != new.get(k)}


def test_a_change_confined_to_a_secret_is_marked_masked_and_up_sends_exactly_it(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    numbers = {
        "desk": {
            "sipUri": "sip:secret-diff-desk@sip.vapi.ai",
            "assistantId": ASSISTANT,
            "authentication": {"realm": "sip.example.com", "username": "secret-diff-username-001"},
            "server": {"url": "https://hooks.example.com/desk"},
        },
        "sales-line": {
            "provider": "twilio",
            "number": "+14155550131",
            "twilioAccountSid": "AC" + "0" * 32,
            "assistantId": ASSISTANT,
        },
    }
    stack = project_stack(
        numbers, {PASSWORD_PATH: DESK_PASSWORD, HEADER_PATH: DESK_HEADER, TOKEN_PATH: TWILIO_TOKEN}
    )
    stack.up()
    quiet = _previewed(stack)
    assert "3 unchanged" in quiet and _marked(quiet) == [], quiet

    def at_vapi(kind: str) -> dict[str, Any]:
        (record,) = [n for n in emulator.numbers() if n["provider"] == kind]
        return copy.deepcopy(record)

    cases = [
        (PASSWORD_PATH, NEW_DESK_PASSWORD, "password", "vapi", ("authentication", "password")),
        (HEADER_PATH, NEW_DESK_HEADER, "X-Token", "vapi", ("server", "headers", "X-Token")),
        (TOKEN_PATH, NEW_TWILIO_TOKEN, "twilioAuthToken", "twilio", ("twilioAuthToken",)),
    ]
    for path, value, field, kind, leaf in cases:
        stack.set_secret_path(path, value)
        diff = _previewed(stack)
        assert "~ 1 to update" in diff, diff
        assert _marked(diff) == [(field, "[secret] => [secret]")], diff
        before = at_vapi(kind)
        stack.up()
        after = at_vapi(kind)
        assert _sent(before, after) == {leaf}, f"up sent more or less than {field}"
        assert _leaves(after)[leaf] == value
        assert _marked(_previewed(stack)) == [], f"{field} still differs after up"

    # A refresh that finds the secrets unchanged changes nothing either.
    stack.refresh()
    assert _marked(_previewed(stack)) == []
    # The password changed in the dashboard: after a refresh the program's password is a change again.
    record = at_vapi("vapi")
    httpx.patch(
        f"{emulator.url}/phone-number/{record['id']}",
        json={"authentication": {**record["authentication"], "password": DASHBOARD_PASSWORD}},
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    ).raise_for_status()
    refreshed = stack.refresh()
    assert not any(s in refreshed.stdout + refreshed.stderr for s in SECRET_DIFF_VALUES)
    assert _marked(_previewed(stack)) == [("password", "[secret] => [secret]")]
    stack.up()
    assert at_vapi("vapi")["authentication"]["password"] == NEW_DESK_PASSWORD
    _stored_encrypted(stack)


def test_an_adopted_numbers_password_change_is_marked_and_a_masking_refresh_is_not_one(
    project_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> None:
    created = httpx.post(
        f"{emulator.url}/phone-number",
        json={
            "provider": "vapi",
            "sipUri": "sip:secret-diff-adopted@sip.vapi.ai",
            "authentication": {"username": "secret-diff-adopted-user", "password": DASHBOARD_PASSWORD},
        },
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    )
    created.raise_for_status()
    number_id = created.json()["id"]
    numbers = {
        "adopted": {
            "adopt": number_id,
            "assistantId": ASSISTANT,
            "authentication": {"username": "secret-diff-adopted-user"},
        }
    }
    stack = project_stack(numbers, {ADOPTED_PASSWORD_PATH: DESK_PASSWORD})
    stack.up()
    (record,) = emulator.numbers()
    assert record["id"] == number_id and record["authentication"]["password"] == DESK_PASSWORD
    # Vapi masks secrets in its answers: a refresh keeps the recorded password, which is no change.
    emulator.configure(mask_secrets=True)
    stack.refresh()
    quiet = _previewed(stack)
    assert "2 unchanged" in quiet and _marked(quiet) == [], quiet

    stack.set_secret_path("vapi-phone-numbers:numbers.adopted.authentication.password", NEW_DESK_PASSWORD)
    assert _marked(_previewed(stack)) == [("password", "[secret] => [secret]")]
    before = copy.deepcopy(emulator.numbers()[0])
    stack.up()
    (after,) = emulator.numbers()
    assert _sent(before, after) == {("authentication", "password")}
    assert after["authentication"]["password"] == NEW_DESK_PASSWORD
    stack.refresh()
    assert _marked(_previewed(stack)) == []
    _stored_encrypted(stack)
