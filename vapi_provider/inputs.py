"""Typed shapes of the nested inputs (`server`, `authentication`, `fallback_destination`, `hooks`).

They are `TypedDict`s with Vapi's own (camelCase) keys, so mypy and IDEs check a program's nested dicts
while the values stay plain dicts exactly like Vapi's JSON. Each one mirrors a request model of
`models.py` (the wire contract); `tests/unit/test_inputs.py` fails when their keys disagree.

Usage::

    from vapi_provider.inputs import ServerArgs

    server: ServerArgs = {"url": "https://hooks.example.com/vapi", "timeoutSeconds": 15}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Required, TypedDict

if TYPE_CHECKING:
    from pulumi import Input

__all__ = [
    "BackoffPlanArgs",
    "CallEndingHookArgs",
    "CallEndingHookFilterArgs",
    "CallRingingHookArgs",
    "CallRingingHookFilterArgs",
    "CustomMessageArgs",
    "FallbackDestinationArgs",
    "HookActionArgs",
    "HookArgs",
    "NumberDestinationArgs",
    "SayActionArgs",
    "ServerArgs",
    "SipAuthenticationArgs",
    "SipDestinationArgs",
    "TransferActionArgs",
    "TransferPlanArgs",
]


class SipAuthenticationArgs(TypedDict, total=False):
    """Digest credentials inbound SIP INVITEs must present; `password` is secret."""

    realm: Input[str]
    username: Required[Input[str]]
    password: Required[Input[str]]


class BackoffPlanArgs(TypedDict, total=False):
    """Retries of webhook requests."""

    type: Required[Literal["fixed", "exponential"]]
    maxRetries: Required[float]
    baseDelaySeconds: Required[float]
    excludedStatusCodes: Sequence[int]


class ServerArgs(TypedDict, total=False):
    """Webhook target of the number's calls; header values are secret."""

    url: Input[str]
    timeoutSeconds: float
    headers: Mapping[str, Input[str]]
    credentialId: Input[str]
    staticIpAddressesEnabled: bool
    encryptedPaths: Sequence[str]
    backoffPlan: BackoffPlanArgs


class CustomMessageArgs(TypedDict, total=False):
    """A spoken message, with optional per-language variants (`contents`)."""

    type: Literal["custom-message"]
    content: str
    contents: Sequence[Mapping[str, Any]]


class TransferPlanArgs(TypedDict, total=False):
    """How a transfer is carried out (blind, warm, ...)."""

    mode: Required[str]
    message: str | CustomMessageArgs
    timeout: float
    sipVerb: Literal["refer", "bye", "dial"]
    dialTimeout: float
    holdAudioUrl: str
    transferCompleteAudioUrl: str
    contextEngineeringPlan: Mapping[str, Any]
    twiml: str
    summaryPlan: Mapping[str, Any]
    sipHeadersInReferToEnabled: bool
    fallbackPlan: Mapping[str, Any]


class NumberDestinationArgs(TypedDict, total=False):
    """Transfer to a phone number (E.164 unless `numberE164CheckEnabled` is false)."""

    type: Required[Literal["number"]]
    number: Required[Input[str]]
    numberE164CheckEnabled: bool
    extension: str
    callerId: str
    message: str | CustomMessageArgs
    transferPlan: TransferPlanArgs
    description: str


class SipDestinationArgs(TypedDict, total=False):
    """Transfer to a SIP URI."""

    type: Required[Literal["sip"]]
    sipUri: Required[Input[str]]
    callerId: str
    sipHeaders: Mapping[str, Any]
    message: str | CustomMessageArgs
    transferPlan: TransferPlanArgs
    description: str


FallbackDestinationArgs = NumberDestinationArgs | SipDestinationArgs


class SayActionArgs(TypedDict):
    """Hook action: say a fixed text."""

    type: Literal["say"]
    exact: str


class TransferActionArgs(TypedDict, total=False):
    """Hook action: transfer the call."""

    type: Required[Literal["transfer"]]
    destination: FallbackDestinationArgs


HookActionArgs = SayActionArgs | TransferActionArgs


class CallRingingHookFilterArgs(TypedDict, total=False):
    """Run a `call.ringing` hook only for callers whose number starts with a prefix (no `+`)."""

    type: Literal["startsWith"]
    key: Literal["number"]
    startsWith: Required[Sequence[str]]


class CallEndingHookFilterArgs(TypedDict, total=False):
    """Run a `call.ending` hook only for these assistant-request failures."""

    type: Literal["oneOf"]
    key: Literal["call.endedReason"]
    oneOf: Required[Sequence[str]]


class CallRingingHookArgs(TypedDict, total=False):
    """`call.ringing`: only the first action of `do` runs."""

    on: Required[Literal["call.ringing"]]
    do: Required[Sequence[HookActionArgs]]
    filters: Sequence[CallRingingHookFilterArgs]


class CallEndingHookArgs(TypedDict, total=False):
    """`call.ending`: `do` is one action, not a list."""

    on: Required[Literal["call.ending"]]
    do: HookActionArgs
    filters: Sequence[CallEndingHookFilterArgs]


HookArgs = CallRingingHookArgs | CallEndingHookArgs
