"""The typed nested inputs agree with the wire models, and both constructor forms are accepted and
type-check (mypy runs on a small program that uses them, and on one with a misspelt field)."""

from __future__ import annotations

import inspect
import subprocess
import sys
import typing
from pathlib import Path

import pulumi
import pytest
from pydantic import BaseModel

from vapi_provider import inputs, models
from vapi_provider.properties import PHONE_NUMBER
from vapi_provider.resource import VapiPhoneNumber, VapiPhoneNumberArgs, _resource_args

PAIRS: list[tuple[type, type[BaseModel]]] = [
    (inputs.SipAuthenticationArgs, models.SipAuthentication),
    (inputs.BackoffPlanArgs, models.BackoffPlan),
    (inputs.ServerArgs, models.Server),
    (inputs.CustomMessageArgs, models.CustomMessage),
    (inputs.TransferPlanArgs, models.TransferPlan),
    (inputs.NumberDestinationArgs, models.TransferDestinationNumber),
    (inputs.SipDestinationArgs, models.TransferDestinationSip),
    (inputs.SayActionArgs, models.SayPhoneNumberHookAction),
    (inputs.TransferActionArgs, models.TransferPhoneNumberHookAction),
    (inputs.CallRingingHookFilterArgs, models.PhoneNumberCallRingingHookFilter),
    (inputs.CallEndingHookFilterArgs, models.PhoneNumberCallEndingHookFilter),
    (inputs.CallRingingHookArgs, models.PhoneNumberHookCallRinging),
    (inputs.CallEndingHookArgs, models.PhoneNumberHookCallEnding),
]


@pytest.mark.parametrize(("shape", "model"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_each_typed_input_has_exactly_the_wire_models_keys(shape, model):
    wire = {field.alias or name for name, field in model.model_fields.items()}
    assert set(shape.__annotations__) == wire


def test_the_keyword_overload_lists_exactly_the_tables_settable_fields():
    keyword_form = typing.get_overloads(VapiPhoneNumber.__init__)[1]
    params = inspect.signature(keyword_form).parameters
    kwonly = [n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert kwonly == [p.python for p in PHONE_NUMBER.args]


def test_both_forms_give_the_same_args():
    opts = pulumi.ResourceOptions(protect=True)
    args = VapiPhoneNumberArgs(number_desired_area_code="415", assistant_id="a")
    assert _resource_args((args, opts), {}) == (args, opts)
    assert _resource_args((opts,), {"number_desired_area_code": "415", "assistant_id": "a"}) == (args, opts)
    assert _resource_args((), {"number_desired_area_code": "415", "assistant_id": "a"})[0] == args
    with pytest.raises(TypeError, match="unknown fields assistant"):
        _resource_args((), {"assistant": "a"})


PROGRAM = """
import pulumi
from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber("a", VapiPhoneNumberArgs(number_desired_area_code="415", server={"url": "https://x.example/h"}))
VapiPhoneNumber("b", pulumi.ResourceOptions(protect=True), sip_uri="sip:b@sip.vapi.ai", squad_id="s")
VapiPhoneNumber("c", fallback_destination={"type": "number", "number": "+14155550123"})
VapiPhoneNumber.get("d", "1c3f0e2e-0000-4000-8000-000000000000")
"""
BAD = PROGRAM + 'VapiPhoneNumber("e", server={"urll": "https://x.example/h"})\n'


def _mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    program = tmp_path / "program.py"
    program.write_text(source)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(program),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_both_forms_type_check_and_a_misspelt_nested_key_does_not(tmp_path):
    good = _mypy(tmp_path, PROGRAM)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _mypy(tmp_path, BAD)
    # The misspelt nested key (last line) matches no overload; every other line still type-checks.
    errors = [line for line in bad.stdout.splitlines() if ": error:" in line]
    assert bad.returncode != 0 and errors and all("program.py:9:" in line for line in errors), bad.stdout
