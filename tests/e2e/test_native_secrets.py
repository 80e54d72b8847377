"""Secrets audit of the native `vapi` provider: the API key, SIP passwords, webhook header values and
Twilio tokens never appear in plaintext, even when the program passes every one of them as a plain value.

Checked through create, an update of the secrets themselves (`preview --diff`, then `up`), refresh and
`pulumi import` of a Twilio number whose token Vapi returns in clear, in: every file of the backend and
PULUMI_HOME (history and backups included), `pulumi stack export`, and the CLI's output at the highest
verbosity (`-v=9 --logtostderr --logflow`, which includes the engine's and the plugin's logs). The stored
state is checked too: each secret is an encrypted value there, and Vapi got the values the program set.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from pulumi_harness import PulumiStack, native_plugin_dir, native_plugin_yaml
from vapi_emulator import DEMO_API_KEY, RunningEmulator
from vapi_provider.secrets import SECRET_SIG, SIG_KEY

VERBOSE = ("--logtostderr", "--logflow", "-v=9")
SECRETS = {
    "KEY": DEMO_API_KEY,
    "PW": "native-audit-sip-password-0001",
    "HDR": "native-audit-header-value-0001",
    "TW": "native-audit-twilio-token-0001",
    "PW2": "native-audit-sip-password-0002",
    "HDR2": "native-audit-header-value-0002",
    "TW3": "native-audit-twilio-token-0003",
}
TWILIO_SID = "AC" + "7" * 32


def _numbers(pw: str, hdr: str, username: str = "native-audit-username-01") -> dict[str, Any]:
    return {
        "desk": {
            "provider": "org",
            "sipUri": "sip:native-audit-desk@sip.vapi.ai",
            "authentication": {"username": username, "password": f"env:{pw}"},
            "server": {"url": "https://hooks.example.com/audit", "headers": {"X-Token": f"env:{hdr}"}},
        },
        "sales": {
            "provider": "org",
            "kind": "TwilioPhoneNumber",
            "number": "+14155550177",
            "twilioAccountSid": TWILIO_SID,
            "twilioAuthToken": "env:TW",
        },
    }


def _no_plaintext(where: str, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    for name, secret in SECRETS.items():
        assert secret.encode() not in data, f"the secret {name} appears in plaintext in {where}"


def _encrypted(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG and "ciphertext" in value


def test_no_secret_reaches_plaintext_anywhere_even_when_the_program_passes_them_plain(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator, tmp_path: Path
) -> None:
    stack = make_stack(
        "native_basic",
        project_yaml_extra=native_plugin_yaml(native_plugin_dir(tmp_path)),
        config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
        # The default provider (used by `pulumi import`) takes its key from the environment.
        extra_env={**SECRETS, "VAPI_API_KEY": DEMO_API_KEY},
    )
    stack.set_config_object(
        "vapi-e2e:providers",
        {"org": {"baseUrl": emulator.url, "apiKey": "env:KEY", "pollIntervalSeconds": 0.05}},
    )
    outputs: list[str] = []

    def run(*args: str) -> None:
        proc = stack.run(*args, *VERBOSE)
        outputs.append(proc.stdout + proc.stderr)

    # Bad input next to a plain secret: the error names the field, and the engine prints no value.
    bad = _numbers("PW", "HDR", username="short")
    stack.set_config_object("vapi-e2e:numbers", {"desk": bad["desk"]})
    failed = stack.run("up", "--yes", "--skip-preview", *VERBOSE, check=False)
    outputs.append(failed.stdout + failed.stderr)
    assert failed.returncode != 0
    assert "authentication.username must be at least 20 characters" in failed.stdout, failed.stdout
    assert emulator.numbers() == []
    _no_plaintext("the failed run's output", outputs[-1])

    stack.set_config_object("vapi-e2e:numbers", _numbers("PW", "HDR"))
    run("up", "--yes", "--skip-preview")
    [desk] = [n for n in emulator.numbers() if n["provider"] == "vapi"]
    assert desk["authentication"]["password"] == SECRETS["PW"]
    assert desk["server"]["headers"] == {"X-Token": SECRETS["HDR"]}

    # A change of the secrets themselves: the preview shows where, never what.
    stack.set_config_object("vapi-e2e:numbers", _numbers("PW2", "HDR2"))
    run("preview", "--diff")
    assert "authentication" in outputs[-1] and "X-Token" in outputs[-1], outputs[-1]
    run("up", "--yes", "--skip-preview")
    [desk] = [n for n in emulator.numbers() if n["provider"] == "vapi"]
    assert desk["authentication"]["password"] == SECRETS["PW2"]
    assert desk["server"]["headers"] == {"X-Token": SECRETS["HDR2"]}

    run("refresh", "--yes", "--skip-preview")

    # Import a Twilio number whose token Vapi returns in clear.
    response = httpx.post(
        f"{emulator.url}/phone-number",
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
        json={
            "provider": "twilio",
            "number": "+14155550178",
            "twilioAccountSid": TWILIO_SID,
            "twilioAuthToken": SECRETS["TW3"],
        },
    )
    response.raise_for_status()
    run(
        "import",
        "vapi:index:TwilioPhoneNumber",
        "adopted",
        response.json()["id"],
        "--yes",
        "--generate-code=false",
    )

    _no_plaintext("the backend and PULUMI_HOME files", stack.backend_bytes())
    exported = stack.run("stack", "export").stdout
    _no_plaintext("pulumi stack export", exported)
    for i, out in enumerate(outputs):
        _no_plaintext(f"CLI output #{i}", out)

    resources = json.loads(exported)["deployment"]["resources"]
    [provider] = [r for r in resources if r["type"] == "pulumi:providers:vapi" and r["urn"].endswith("::org")]
    assert _encrypted(provider["inputs"]["apiKey"]), provider["inputs"]
    by_name = {r["urn"].rsplit("::", 1)[1]: r for r in resources if r["type"].startswith("vapi:index:")}
    assert set(by_name) == {"desk", "sales", "adopted"}
    for where in ("inputs", "outputs"):
        desk_state = by_name["desk"][where]
        assert _encrypted(desk_state["authentication"]["password"]), desk_state
        assert _encrypted(desk_state["server"]["headers"]["X-Token"]), desk_state
        for twilio in ("sales", "adopted"):
            assert _encrypted(by_name[twilio][where]["twilioAuthToken"]), by_name[twilio][where]
