from __future__ import annotations

import io
import json

import httpx

from vapi_provider import PHONE_NUMBER_TYPE
from vapi_provider.__main__ import EXIT_OK, EXIT_ORPHANS, EXIT_USAGE, main, state_prefixes_and_ids
from vapi_provider.client import VapiClient


def _number(id_, name, **extra):
    return {
        "id": id_,
        "orgId": "o",
        "provider": "vapi",
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-01T00:00:00Z",
        "name": name,
        **extra,
    }


ORG = [
    _number("in-state", "support-line-abc1234", number="+14155550100"),
    _number("orphan-1", "support-line-zzz9999", number="+14155550101"),
    _number("orphan-2", "sip-line-q1w2e3r", sipUri="sip:x@sip.vapi.ai"),
    _number("manual", "Support line (manual)"),
    _number("other-project", "billing-abc1234"),
]

EXPORT = {
    "version": 3,
    "deployment": {
        "resources": [
            {"urn": "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", "type": "pulumi:pulumi:Stack"},
            {
                "urn": f"urn:pulumi:dev::proj::{PHONE_NUMBER_TYPE}::support-line",
                "type": PHONE_NUMBER_TYPE,
                "id": "in-state",
                "inputs": {"autonamePrefix": "support-line"},
                "outputs": {"name": "support-line-abc1234"},
            },
            {
                "urn": f"urn:pulumi:dev::proj::{PHONE_NUMBER_TYPE}::sip-line",
                "type": PHONE_NUMBER_TYPE,
                "id": "gone-already",
                "inputs": {"autonamePrefix": "sip-line"},
            },
        ]
    },
}


def _client():
    return VapiClient(
        api_key="k",
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=ORG))),
        sleep=lambda _: None,
    )


def test_orphans_state_prefixes_and_ids():
    prefixes, ids = state_prefixes_and_ids(EXPORT)
    assert prefixes == {"support-line", "sip-line"}
    assert ids == {"in-state", "gone-already"}


def test_orphans_lists_autonamed_numbers_missing_from_state(tmp_path, capsys):
    export = tmp_path / "state.json"
    export.write_text(json.dumps(EXPORT))
    code = main(["orphans", "--stack-export", str(export)], client=_client())
    out = capsys.readouterr().out.splitlines()
    assert code == EXIT_ORPHANS
    assert out == [
        "orphan-1\tsupport-line-zzz9999\t+14155550101",
        "orphan-2\tsip-line-q1w2e3r\tsip:x@sip.vapi.ai",
    ]


def test_orphans_json_output_and_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(EXPORT)))
    code = main(["orphans", "--stack-export", "-", "--json"], client=_client())
    assert code == EXIT_ORPHANS
    assert [o["id"] for o in json.loads(capsys.readouterr().out)] == ["orphan-1", "orphan-2"]


def test_orphans_none_found_exits_zero(capsys):
    assert main(["orphans", "--prefix", "nothing-here"], client=_client()) == EXIT_OK


def test_orphans_prefix_without_state_treats_every_match_as_orphan(capsys):
    assert main(["orphans", "--prefix", "billing"], client=_client()) == EXIT_ORPHANS
    assert capsys.readouterr().out.startswith("other-project\t")


def test_orphans_usage_errors(tmp_path, capsys):
    assert main(["orphans"], client=_client()) == EXIT_USAGE
    assert main(["orphans", "--stack-export", str(tmp_path / "missing.json")], client=_client()) == EXIT_USAGE
    assert main(["orphans", "--prefix", "x"]) == EXIT_USAGE  # no VAPI_API_KEY
    assert "VAPI_API_KEY" in capsys.readouterr().err
