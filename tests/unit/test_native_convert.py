"""`PropertyValue` <-> the core's plain form, without losing a secret mark; and the detailed diff's paths."""

from __future__ import annotations

from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.provider import PropertyDiffKind
from pulumi.runtime import rpc

from vapi_provider.native.convert import from_plain, from_plain_map, reseal, secret_paths, to_plain_map
from vapi_provider.native.diff import detailed_diff, property_path
from vapi_provider.properties import PHONE_NUMBER
from vapi_provider.secrets import SECRET_SIG, SIG_KEY


def test_round_trip_keeps_secrets_unknowns_and_whole_numbers() -> None:
    props = {
        "name": PropertyValue("n"),
        "server": PropertyValue(
            {
                "timeoutSeconds": PropertyValue(20.0),
                "headers": PropertyValue({"X-Token": PropertyValue("t", is_secret=True)}),
            }
        ),
        "assistantId": PropertyValue.computed(),
        "hooks": PropertyValue([PropertyValue({"on": PropertyValue("call.ending")})]),
    }
    plain = to_plain_map(props)
    assert plain["server"]["timeoutSeconds"] == 20 and isinstance(plain["server"]["timeoutSeconds"], int)
    assert plain["server"]["headers"]["X-Token"] == {SIG_KEY: SECRET_SIG, "value": "t"}
    assert plain["assistantId"] == rpc.UNKNOWN
    back = from_plain_map(plain)
    assert isinstance(back.pop("assistantId").value, Computed)  # (Computed.__eq__ is broken in the SDK)
    assert back == {k: v for k, v in props.items() if k != "assistantId"}
    assert secret_paths(props) == [("server", "headers", "X-Token")]


def test_reseal_marks_the_programs_secrets_again() -> None:
    paths = [("assistantId",), ("hooks", 0, "on"), ("missing", "x")]
    sealed = reseal({"assistantId": "a", "hooks": [{"on": "call.ending"}]}, paths)
    back = from_plain_map(sealed)
    assert back["assistantId"].is_secret
    hooks = back["hooks"].value
    assert isinstance(hooks, tuple)
    assert hooks[0].value["on"].is_secret
    assert from_plain({SIG_KEY: SECRET_SIG, "value": {"a": 1}}).is_secret
    assert "missing" not in back


def test_property_paths() -> None:
    assert property_path(("server", "url")) == "server.url"
    assert property_path(("server", "headers", "X-Token")) == 'server.headers["X-Token"]'
    assert property_path(("hooks", 1, "do")) == "hooks[1].do"


def _kinds(olds: dict[str, Any], news: dict[str, Any], replaces: list[str] | None = None) -> dict[str, Any]:
    diff = detailed_diff(PHONE_NUMBER, "pn-1", olds, news, replaces or [], True)
    return {k: v.kind for k, v in diff.items()}


def test_detailed_diff_of_lists_removals_and_unknowns() -> None:
    ringing = {"on": "call.ringing", "do": [{"type": "say", "exact": "hi"}]}
    ending = {"on": "call.ending", "do": {"type": "say", "exact": "bye"}}
    old = {"name": "n", "hooks": [ringing], "assistantId": "a", "squadId": "s"}
    new = {
        "name": "n",
        "hooks": [{**ringing, "do": [{"type": "say", "exact": "hello"}]}, ending],
        "squadId": rpc.UNKNOWN,
    }
    assert _kinds(old, new) == {
        "hooks[0].do[0].exact": PropertyDiffKind.UPDATE,
        "hooks[1]": PropertyDiffKind.ADD,
        "assistantId": PropertyDiffKind.DELETE,
        "squadId": PropertyDiffKind.UPDATE,
    }
    # A name removed from the program is kept (it cannot be cleared): no change.
    assert _kinds({"name": "n", "sipUri": "sip:a@sip.vapi.ai"}, {"sipUri": "sip:a@sip.vapi.ai"}) == {}


def test_detailed_diff_replace_kinds_and_in_doubt_records() -> None:
    old = {"name": "n", "numberDesiredAreaCode": "415"}
    new = {"name": "n", "numberDesiredAreaCode": "212"}
    assert _kinds(old, new, ["numberDesiredAreaCode"]) == {
        "numberDesiredAreaCode": PropertyDiffKind.UPDATE_REPLACE
    }
    doubt = detailed_diff(PHONE_NUMBER, "in-doubt-ab12", old, {**old, "adopt": "x"}, ["adopt"], True)
    assert {k: v.kind for k, v in doubt.items()} == {"adopt": PropertyDiffKind.ADD_REPLACE}
    # A plain in-doubt record is a pending change with no property of its own.
    assert detailed_diff(PHONE_NUMBER, "in-doubt-ab12", old, old, [], True) == {}
