"""The bugs measured in issue 13, each pinned by a test: defaults by full path, whole numbers sent as
floats, one URL and header rule that agrees with the emulator, and imports that cost nothing unused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vapi_emulator._validation import is_https_url as emulator_accepts
from vapi_provider.properties import PHONE_NUMBER
from vapi_provider.provider import VapiPhoneNumberProvider
from vapi_provider.refresh import align
from vapi_provider.rules import is_https_url

AREA = {"numberDesiredAreaCode": "415", "autonamePrefix": "line"}


def _check(props):
    return VapiPhoneNumberProvider().check({}, {**AREA, **props})


# --- defaults by full path -------------------------------------------------------------------------


def test_a_server_timeout_changed_in_the_dashboard_is_drift_even_when_it_equals_another_default():
    old = {"url": "https://hooks.example.com/h"}
    # Vapi fills server.timeoutSeconds with 20: not drift.
    assert align({**old, "timeoutSeconds": 20}, old, PHONE_NUMBER.defaults, ("server",)) == old
    # 5 is the default of summaryPlan.timeoutSeconds, not of server.timeoutSeconds: drift.
    assert align({**old, "timeoutSeconds": 5}, old, PHONE_NUMBER.defaults, ("server",)) == {
        **old,
        "timeoutSeconds": 5,
    }


def test_destination_defaults_match_by_path_inside_hooks_and_the_fallback():
    plan = {"mode": "blind-transfer"}
    old = [
        {"on": "call.ending", "do": {"type": "transfer", "destination": {"type": "number", "number": "+1"}}}
    ]
    current = json.loads(json.dumps(old))
    current[0]["do"]["destination"]["numberE164CheckEnabled"] = True  # a default: dropped
    current[0]["do"]["destination"]["transferPlan"] = plan  # not declared, not a default: drift
    aligned = align(current, old, PHONE_NUMBER.defaults, ("hooks",))
    assert aligned[0]["do"]["destination"] == {"type": "number", "number": "+1", "transferPlan": plan}
    fallback = {"type": "number", "number": "+1"}
    assert align(
        {**fallback, "numberE164CheckEnabled": False},
        fallback,
        PHONE_NUMBER.defaults,
        ("fallbackDestination",),
    ) == {
        **fallback,
        "numberE164CheckEnabled": False,
    }


# --- whole numbers ---------------------------------------------------------------------------------


def test_excluded_status_codes_accept_the_floats_pulumi_sends_and_send_whole_numbers():
    backoff = {
        "type": "fixed",
        "maxRetries": 2.0,
        "baseDelaySeconds": 1.0,
        "excludedStatusCodes": [400.0, 503.0],
    }
    result = _check({"server": {"url": "https://hooks.example.com/h", "backoffPlan": backoff}})
    assert result.failures == []
    sent = result.inputs["server"]["backoffPlan"]
    assert sent["excludedStatusCodes"] == [400, 503]
    assert all(type(code) is int for code in sent["excludedStatusCodes"])


@pytest.mark.parametrize(("codes", "expected"), [([400.5], "must be a whole number"), ([99], "at least 100")])
def test_excluded_status_codes_must_be_whole_status_codes(codes, expected):
    backoff = {"type": "fixed", "maxRetries": 0, "baseDelaySeconds": 0, "excludedStatusCodes": codes}
    result = _check({"server": {"url": "https://hooks.example.com/h", "backoffPlan": backoff}})
    reasons = [f.reason for f in result.failures]
    assert any(
        r.startswith("server.backoffPlan.excludedStatusCodes[0]") and expected in r for r in reasons
    ), reasons


# --- one URL rule, the emulator's ------------------------------------------------------------------

URLS = [
    "HTTPS://hooks.example.com/h",
    "https://user:pw@hooks.example.com/h",
    "https://[2001:db8::1]/h",
    "https://203.0.113.7:8443/h",
    "https://hooks.example.com",
    "https://xn--bcher-kva.example/h",
    "https://example.com:99999/h",
    "https://example.c/h",
    "https://999.999.999.999/h",
    "https://localhost:3000/h",
    "https://exa mple.com/h",
    "http://hooks.example.com/h",
    "https://-bad.example.com/h",
    "https:///h",
]


@pytest.mark.parametrize("url", URLS)
def test_the_provider_accepts_a_webhook_url_exactly_when_the_emulator_does(url):
    assert is_https_url(url) == emulator_accepts(url)
    refused = any(f.reason.startswith("server.url") for f in _check({"server": {"url": url}}).failures)
    assert refused == (not emulator_accepts(url))


def test_the_measured_url_cases():
    for url in (
        "HTTPS://hooks.example.com/h",
        "https://user:pw@hooks.example.com/h",
        "https://[2001:db8::1]/h",
    ):
        assert is_https_url(url), url
    for url in ("https://example.com:99999/h", "https://example.c/h", "https://999.999.999.999/h"):
        assert not is_https_url(url), url


# --- header rule -----------------------------------------------------------------------------------


def test_a_two_megabyte_header_value_is_refused_in_check_without_echoing_it():
    value = "v" * (2 * 1024 * 1024)
    failures = _check(
        {"server": {"url": "https://hooks.example.com/h", "headers": {"X-Token": value}}}
    ).failures
    assert [f.property for f in failures] == ["server"]
    assert failures[0].reason.startswith("server.headers.X-Token must be at most 8192 characters")
    assert "vvvv" not in failures[0].reason


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X Token": "v"}, "server.headers.X Token must be an HTTP header name"),
        ({"X-Token": "a\r\nInjected: 1"}, "server.headers.X-Token must not contain control characters"),
    ],
)
def test_header_names_and_values_that_cannot_be_sent_are_refused(headers, expected):
    failures = _check({"server": {"url": "https://hooks.example.com/h", "headers": headers}}).failures
    assert any(f.reason.startswith(expected) for f in failures), failures
    assert all("Injected" not in f.reason for f in failures)


# --- blank targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["assistantId", "squadId", "workflowId"])
def test_a_whitespace_only_target_id_is_no_target(key):
    reasons = [f.reason for f in _check({key: "   "}).failures]
    assert reasons == [f"{key} must not be blank: set the id, or remove the field"]


# --- imports ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [
        "vapi_provider",
        "vapi_provider.client",
        "vapi_provider.models",
        "vapi_provider.__main__",
        "vapi_provider.run_claims",
    ],
)
def test_modules_that_need_no_pulumi_import_none(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "print(sorted(m for m in sys.modules if m == 'pulumi' or m.startswith(('pulumi.', 'pulumi_policy'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"importing {module} loads Pulumi: {out}"


def test_the_lazy_package_still_exports_the_resource():
    code = (
        "import vapi_provider, sys; r = vapi_provider.VapiPhoneNumber; "
        "print('pulumi' in sys.modules, r.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "VapiPhoneNumber"]
