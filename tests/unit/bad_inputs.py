"""Invalid configurations that `check()` must refuse before any API call.

`BAD_INPUTS` rows are `(case id, camelCase props as given to the resource, substring the failure must
contain)`; the substring always includes the field path. The unit tests run them against
`VapiPhoneNumberProvider.check()`; the e2e tests run the same rows through `pulumi preview`.

Props are what the engine sees (camelCase). `to_args_kwargs()` turns a row into keyword arguments of
`VapiPhoneNumberArgs`, or returns None for the rows whose keys are not `VapiPhoneNumberArgs` fields
(unknown or output-only keys: those can only be sent through raw props).
"""

from __future__ import annotations

from typing import Any

AREA = {"numberDesiredAreaCode": "415"}
SIP = {"sipUri": "sip:bad-input-line@sip.vapi.ai"}
SAY = {"type": "say", "exact": "Please hold."}

BAD_INPUTS: list[tuple[str, dict[str, Any], str]] = [
    ("name-too-long", {**AREA, "name": "n" * 41}, "name must be at most 40 characters"),
    ("name-empty", {**AREA, "name": ""}, "name must be at least 1 character"),
    ("name-not-string", {**AREA, "name": 7}, "name must be a string"),
    ("area-code-two-digits", {"numberDesiredAreaCode": "41"}, "numberDesiredAreaCode must be a 3-digit"),
    ("area-code-letters", {"numberDesiredAreaCode": "abc"}, "numberDesiredAreaCode must be a 3-digit"),
    ("area-code-starts-with-1", {"numberDesiredAreaCode": "123"}, "numberDesiredAreaCode must be a 3-digit"),
    ("area-code-number-type", {"numberDesiredAreaCode": 415}, "numberDesiredAreaCode must be a string"),
    ("no-area-code-or-sip-uri", {"name": "lonely"}, "numberDesiredAreaCode or sipUri is required"),
    ("sip-uri-foreign-host", {"sipUri": "sip:me@example.com"}, "sipUri must be sip:<username>@sip.vapi.ai"),
    ("sip-uri-no-scheme", {"sipUri": "me@sip.vapi.ai"}, "sipUri must be sip:<username>@sip.vapi.ai"),
    (
        "auth-short-username",
        {**SIP, "authentication": {"username": "short", "password": "p" * 24}},
        "authentication.username must be at least 20 characters",
    ),
    (
        "auth-short-password",
        {**SIP, "authentication": {"username": "u" * 24, "password": "short"}},
        "authentication.password must be at least 20 characters",
    ),
    (
        "auth-missing-password",
        {**SIP, "authentication": {"username": "u" * 24}},
        "authentication.password is required",
    ),
    (
        "auth-unknown-field",
        {**SIP, "authentication": {"username": "u" * 24, "password": "p" * 24, "secret": "x"}},
        "authentication.secret is not a known field",
    ),
    ("assistant-id-not-string", {**AREA, "assistantId": 42}, "assistantId must be a string"),
    ("assistant-id-empty", {**AREA, "assistantId": ""}, "assistantId must be at least 1 character"),
    ("assistant-id-blank", {**AREA, "assistantId": "   "}, "assistantId must not be blank"),
    ("squad-id-blank", {**AREA, "squadId": "\t"}, "squadId must not be blank"),
    (
        "server-http-url",
        {**AREA, "server": {"url": "http://example.com/hook"}},
        "server.url must start with https://",
    ),
    (
        "server-url-without-domain",
        {**AREA, "server": {"url": "https://localhost:3000/hook"}},
        "server.url must be a public https URL",
    ),
    (
        "server-timeout-too-long",
        {**AREA, "server": {"url": "https://example.com/h", "timeoutSeconds": 301}},
        "server.timeoutSeconds must be at most 300",
    ),
    (
        "server-timeout-string",
        {**AREA, "server": {"url": "https://example.com/h", "timeoutSeconds": "20"}},
        "server.timeoutSeconds must be a number",
    ),
    (
        "server-headers-not-object",
        {**AREA, "server": {"url": "https://example.com/h", "headers": ["X-Token"]}},
        "server.headers must be an object",
    ),
    (
        "server-backoff-unknown-type",
        {**AREA, "server": {"backoffPlan": {"type": "linear", "maxRetries": 1, "baseDelaySeconds": 1}}},
        "server.backoffPlan.type must be one of",
    ),
    (
        "server-backoff-too-many-retries",
        {**AREA, "server": {"backoffPlan": {"type": "fixed", "maxRetries": 11, "baseDelaySeconds": 1}}},
        "server.backoffPlan.maxRetries must be at most 10",
    ),
    (
        "server-legacy-secret-field",
        {**AREA, "server": {"url": "https://example.com/h", "secret": "s"}},
        "server.secret is not a known field",
    ),
    (
        "fallback-not-e164",
        {**AREA, "fallbackDestination": {"type": "number", "number": "4155550123"}},
        "fallbackDestination.number must be E.164",
    ),
    (
        "fallback-unknown-type",
        {**AREA, "fallbackDestination": {"type": "phone", "number": "+14155550123"}},
        "fallbackDestination.type must be one of",
    ),
    (
        "fallback-missing-type",
        {**AREA, "fallbackDestination": {"number": "+14155550123"}},
        "fallbackDestination needs a type field",
    ),
    (
        "fallback-sip-without-uri",
        {**AREA, "fallbackDestination": {"type": "sip"}},
        "fallbackDestination.sipUri is required",
    ),
    (
        "fallback-extension-letters",
        {**AREA, "fallbackDestination": {"type": "number", "number": "+14155550123", "extension": "12a"}},
        "fallbackDestination.extension must be digits",
    ),
    (
        "fallback-transfer-mode",
        {
            **AREA,
            "fallbackDestination": {
                "type": "number",
                "number": "+14155550123",
                "transferPlan": {"mode": "cold"},
            },
        },
        "fallbackDestination.transferPlan.mode must be one of",
    ),
    (
        "hook-unknown-event",
        {**AREA, "hooks": [{"on": "call.started", "do": [SAY]}]},
        "hooks[0].on must be one of",
    ),
    ("hooks-not-a-list", {**AREA, "hooks": {"on": "call.ringing", "do": [SAY]}}, "hooks must be a list"),
    (
        "hook-ringing-do-not-list",
        {**AREA, "hooks": [{"on": "call.ringing", "do": SAY}]},
        "hooks[0].do must be a list",
    ),
    (
        "hook-ringing-empty-do",
        {**AREA, "hooks": [{"on": "call.ringing", "do": []}]},
        "hooks[0].do needs one action",
    ),
    (
        "hook-say-too-long",
        {**AREA, "hooks": [{"on": "call.ringing", "do": [{"type": "say", "exact": "x" * 4001}]}]},
        "hooks[0].do[0].exact must be at most 4000 characters",
    ),
    (
        "hook-action-unknown-type",
        {**AREA, "hooks": [{"on": "call.ending", "do": {"type": "hangup"}}]},
        "hooks[0].do.type must be one of",
    ),
    (
        "hook-filter-plus-prefix",
        {
            **AREA,
            "hooks": [
                {
                    "on": "call.ringing",
                    "do": [SAY],
                    "filters": [{"type": "startsWith", "key": "number", "startsWith": ["+44"]}],
                }
            ],
        },
        "hooks[0].filters[0].startsWith prefixes must be digits",
    ),
    (
        "hook-ending-unknown-reason",
        {
            **AREA,
            "hooks": [
                {
                    "on": "call.ending",
                    "do": SAY,
                    "filters": [{"type": "oneOf", "key": "call.endedReason", "oneOf": ["timeout"]}],
                }
            ],
        },
        "hooks[0].filters[0].oneOf[0] must be one of",
    ),
    ("allow-release-not-bool", {**AREA, "allowRelease": "yes"}, "allowRelease must be true or false"),
    ("adopt-garbage", {"adopt": "my old number"}, "adopt must be an existing number's id"),
    (
        "activation-timeout-negative",
        {**AREA, "activationTimeoutSeconds": -1},
        "activationTimeoutSeconds must be",
    ),
    ("raw-unknown-input", {**AREA, "assistant": "a-1"}, "assistant is not an input of VapiPhoneNumber"),
    ("raw-legacy-server-url", {**AREA, "serverUrl": "https://example.com/h"}, "serverUrl is not an input"),
    ("raw-output-only-key", {**AREA, "status": "active"}, "status is an output"),
]

_CAMEL_TO_ARG = {
    "name": "name",
    "numberDesiredAreaCode": "number_desired_area_code",
    "sipUri": "sip_uri",
    "authentication": "authentication",
    "assistantId": "assistant_id",
    "squadId": "squad_id",
    "workflowId": "workflow_id",
    "server": "server",
    "fallbackDestination": "fallback_destination",
    "hooks": "hooks",
    "allowRelease": "allow_release",
    "adopt": "adopt",
    "activationTimeoutSeconds": "activation_timeout_seconds",
}


def to_args_kwargs(props: dict[str, Any]) -> dict[str, Any] | None:
    """`VapiPhoneNumberArgs(**kwargs)` keyword arguments for a row, or None if it needs raw props."""
    if any(key not in _CAMEL_TO_ARG for key in props):
        return None
    return {_CAMEL_TO_ARG[key]: value for key, value in props.items()}
