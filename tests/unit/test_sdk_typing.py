"""A user's program that uses `pulumi_vapi` passes `mypy --strict`, and mistakes in one do not.

One mypy run checks two programs: the end-to-end program (`tests/e2e/programs/sdk_two_orgs`, both
constructor forms, typed nested inputs, explicit providers, `get()`) and one whose every line but the
first few holds one mistake; each mistake must be reported on its own line and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "e2e" / "programs" / "sdk_two_orgs" / "__main__.py"

BAD_HEAD = """import pulumi
import pulumi_vapi as vapi

"""
MISTAKES = [
    # a misspelt keyword argument
    'vapi.PhoneNumber("a", number_desired_area_cod="415")',
    # a number where a string goes
    'vapi.ByoPhoneNumber("b", number=1001, credential_id="c")',
    # a misspelt key of a nested TypedDict
    'vapi.PhoneNumber("c", server={"urll": "https://x.example/h"})',
    # a nested Args class with a wrong field type
    'vapi.ServerArgs(url="https://x.example/h", timeout_seconds="15")',
    # the Args class of another kind
    'vapi.TwilioPhoneNumber("d", vapi.VonagePhoneNumberArgs(number="+14155550100"))',
    # an output is not a plain string
    'n: str = vapi.PhoneNumber.get("e", "pn-1").number',
    # providers take their own settings only
    'vapi.Provider("p", api_keys="k")',
    # the config key is a secret Output, not a string
    "k: str | None = vapi.config.api_key",
]
EXTRA_GOOD = """
telnyx = vapi.TelnyxPhoneNumber.get("telnyx", "pn-1", opts=pulumi.ResourceOptions(provider=None))
number: pulumi.Output[str | None] = telnyx.number
server: pulumi.Output[vapi.outputs.Server | None] = telnyx.server
base_url: str | None = vapi.config.base_url
retries: int | None = vapi.config.max_retries
api_key: pulumi.Output[str] | None = vapi.config.api_key
"""


def test_sdk_user_programs_type_check_strictly_and_mistakes_do_not(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(GOOD.read_text() + EXTRA_GOOD)
    bad = tmp_path / "bad.py"
    bad.write_text(BAD_HEAD + "\n".join(MISTAKES) + "\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(good),
            str(bad),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if "good.py" in e], done.stdout
    first = len(BAD_HEAD.splitlines()) + 1
    lines = {int(e.split("bad.py:", 1)[1].split(":", 1)[0]) for e in errors if "bad.py:" in e}
    assert lines == set(range(first, first + len(MISTAKES))), done.stdout
