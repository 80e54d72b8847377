"""The bad-input table through `pulumi preview`: every row fails before any request reaches Vapi, with a
message naming the resource and the field. The same rows are unit-tested against `check()`.
"""

from __future__ import annotations

import json

from tests.unit.bad_inputs import BAD_INPUTS
from vapi_emulator import DEMO_API_KEY


def test_every_bad_input_fails_preview_naming_resource_and_field(make_stack, emulator):
    assert len(BAD_INPUTS) >= 30
    stack = make_stack(
        "bad_input",
        config={"vapi:baseUrl": emulator.url},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    emulator.reset_metrics()
    misses = []
    for case, props, expected in BAD_INPUTS:
        resource = f"bad-{case}"
        stack.run("config", "set", "bad:resource", resource)
        stack.run("config", "set", "bad:props", json.dumps(props))
        proc = stack.preview(check=False)
        out = proc.stdout + proc.stderr
        if proc.returncode == 0 or f"resource '{resource}'" not in out or expected not in out:
            misses.append(f"{case}: exit {proc.returncode}, expected {expected!r} for {resource}:\n{out}")
    assert not misses, "\n\n".join(misses)
    assert emulator.metrics()["total"] == 0, emulator.metrics()


def test_bad_stack_config_entry_names_the_entry_and_field(project_stack, emulator):
    stack = project_stack(
        {
            "good-line": {"sipUri": "sip:good-line@sip.vapi.ai"},
            "bad-line": {
                "numberDesiredAreaCode": "41",
                "fallbackDestination": {"type": "number", "number": "x"},
            },
        }
    )
    emulator.reset_metrics()
    proc = stack.preview(check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "vapi-phone-numbers:numbers.bad-line: numberDesiredAreaCode must be a 3-digit" in out
    assert "vapi-phone-numbers:numbers.bad-line: fallbackDestination.number" in out
    assert "good-line:" not in out
    assert emulator.metrics()["total"] == 0
