"""Secrets audit: the API key, a SIP password and a webhook header value never appear in plaintext.

Checked after create, update, refresh and a failed run, in: every file of the backend and PULUMI_HOME,
`pulumi stack export`, the CLI's output at high verbosity (which includes what the provider process
writes to stderr), and the error messages of the failed run.
"""

from __future__ import annotations

import copy

from vapi_emulator import DEMO_API_KEY

SIP_PASSWORD = "audit-sip-password-0123456789"
HEADER_SECRET = "audit-header-secret-value-0042"
SECRETS = (DEMO_API_KEY, SIP_PASSWORD, HEADER_SECRET)

NUMBERS = {
    "audited": {
        "sipUri": "sip:audited-line@sip.vapi.ai",
        "assistantId": "5b2d8e61-3c0f-4f5a-9a57-2f0c1d9e7a10",
        "authentication": {"username": "audited-line-username-01"},
        "server": {"url": "https://hooks.example.com/audited"},
    }
}
SECRET_PATHS = {
    "vapi-phone-numbers:numbers.audited.authentication.password": SIP_PASSWORD,
    "vapi-phone-numbers:numbers.audited.server.headers.X-Token": HEADER_SECRET,
}
VERBOSE = ("--logtostderr", "--logflow", "-v=9")


def assert_no_plaintext(where: str, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    for secret in SECRETS:
        assert secret.encode() not in data, f"a secret appears in plaintext in {where}"


def audit(stack, outputs: list[str]) -> None:
    assert_no_plaintext("the backend and PULUMI_HOME files", stack.backend_bytes())
    assert_no_plaintext("pulumi stack export", stack.run("stack", "export").stdout)
    for i, out in enumerate(outputs):
        assert_no_plaintext(f"CLI output #{i}", out)


def test_secrets_never_in_plaintext(project_stack, emulator):
    numbers = copy.deepcopy(NUMBERS)
    stack = project_stack(numbers, SECRET_PATHS)
    outputs: list[str] = []

    def run(*args: str, check: bool = True) -> None:
        proc = stack.run(*args, *VERBOSE, check=check)
        outputs.extend([proc.stdout, proc.stderr])

    run("up", "--yes", "--skip-preview")
    (number,) = emulator.numbers()
    # The secrets did reach Vapi: the audit is not vacuous.
    assert number["authentication"]["password"] == SIP_PASSWORD
    assert number["server"]["headers"]["X-Token"] == HEADER_SECRET
    audit(stack, outputs)

    # The secret parts of the resource's inputs and outputs are stored encrypted; the rest is reviewable.
    (resource,) = stack.resources("pulumi-python:dynamic/vapi:VapiPhoneNumber")
    for section in ("inputs", "outputs"):
        values = resource[section]
        assert "ciphertext" in values["authentication"]["password"], section
        assert "ciphertext" in values["server"]["headers"]["X-Token"], section
        assert values["authentication"]["username"] == "audited-line-username-01"
        assert values["server"]["url"] == "https://hooks.example.com/audited"

    numbers["audited"]["server"]["timeoutSeconds"] = 30
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    for path, value in SECRET_PATHS.items():  # the object above replaced the encrypted leaves too
        stack.set_secret_path(path, value)
    run("up", "--yes", "--skip-preview")
    run("refresh", "--yes", "--skip-preview")
    audit(stack, outputs)

    # A failed run: the API answers 500 to everything, the update fails after its retries.
    numbers["audited"]["server"]["timeoutSeconds"] = 40
    stack.set_config_object("vapi-phone-numbers:numbers", numbers)
    for path, value in SECRET_PATHS.items():
        stack.set_secret_path(path, value)
    emulator.configure(rate_500=1.0)
    failed = stack.run("up", "--yes", "--skip-preview", *VERBOSE, check=False)
    emulator.configure(rate_500=0.0)
    assert failed.returncode != 0
    assert "500" in failed.stdout + failed.stderr
    outputs.extend([failed.stdout, failed.stderr])
    audit(stack, outputs)
