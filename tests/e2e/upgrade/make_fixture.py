"""Write the upgrade fixture: a stack whose state was written by an earlier version of this package.

Run it from a checkout of the version whose state should be kept working (the fixture folder is named
after that commit), with the emulator and the engine available::

    .venv/bin/python -m tests.e2e.upgrade.make_fixture tests/e2e/upgrade/state-99513ce

It runs the project's own program (`__main__.py`, numbers from stack config) with three numbers (an
autonamed area-code number with a fallback, a SIP number with digest authentication and a secret
password, a workflow number with hooks and a webhook whose header value is secret) through `pulumi up`,
then keeps what a user's machine would keep: the stack's checkpoint in the file backend, the stack's
config file (encryption salt and encrypted secrets) and the emulator's data file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.e2e.harness import REPO_ROOT, PulumiStack, engine_dir
from vapi_emulator import DEMO_API_KEY, EmulatorConfig, serve_in_thread

STACK = "upgrade"
PROJECT = "vapi-phone-numbers"
SIP_PASSWORD = "upgrade-sip-password-0001"
WEBHOOK_TOKEN = "upgrade-webhook-token-0001"

NUMBERS = {
    "support-line": {
        "numberDesiredAreaCode": "415",
        "assistantId": "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10",
        "fallbackDestination": {"type": "number", "number": "+14155550123", "message": "Connecting you."},
    },
    "sip-desk": {
        "name": "sip-desk",
        "sipUri": "sip:upgrade-desk@sip.vapi.ai",
        "squadId": "0e6f3a7c-8b21-4d4e-9f10-6c2b7a5d3e91",
        "authentication": {"username": "upgrade-desk-user-000001"},
    },
    "after-hours": {
        "numberDesiredAreaCode": "212",
        "workflowId": "9c4e1f2a-7d3b-4b8e-a6f5-1e2d3c4b5a69",
        "server": {"url": "https://hooks.example.com/vapi/after-hours", "timeoutSeconds": 15},
        "hooks": [
            {
                "on": "call.ringing",
                "filters": [{"type": "startsWith", "key": "number", "startsWith": ["1900"]}],
                "do": [{"type": "say", "exact": "Sorry, we do not accept premium-rate calls."}],
            }
        ],
    },
}


def main(out: Path) -> None:
    engine = engine_dir()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data_file = work / "emulator.json"
        config = EmulatorConfig(activation_delay_seconds=0.0, data_file=data_file)
        with serve_in_thread(config) as emulator:
            stack = PulumiStack(
                engine=engine,
                workdir=work / "run",
                program=REPO_ROOT / "__main__.py",
                project=PROJECT,
                stack=STACK,
                config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
                secret_config={"vapi:apiKey": DEMO_API_KEY},
            )
            stack.set_config_object("vapi-phone-numbers:numbers", NUMBERS)
            stack.set_secret_path("vapi-phone-numbers:numbers.sip-desk.authentication.password", SIP_PASSWORD)
            stack.set_secret_path(
                "vapi-phone-numbers:numbers.after-hours.server.headers.X-Webhook-Token", WEBHOOK_TOKEN
            )
            stack.up()
            version = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
            ).stdout.strip()
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        checkpoint = work / "run" / "backend" / ".pulumi" / "stacks" / PROJECT / f"{STACK}.json"
        shutil.copy(checkpoint, out / "checkpoint.json")
        shutil.copy(stack.stack_file, out / f"Pulumi.{STACK}.yaml")
        shutil.copy(data_file, out / "emulator.json")
        (out / "WRITTEN_BY.json").write_text(
            json.dumps({"commit": version, "program": "__main__.py", "stack": STACK}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
