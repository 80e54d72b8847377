from __future__ import annotations

import io
import json

import httpx

from vapi_provider import PHONE_NUMBER_TYPE, TWILIO_PHONE_NUMBER_TYPE
from vapi_provider.__main__ import EXIT_OK, EXIT_ORPHANS, EXIT_USAGE, main, state_prefixes_and_ids
from vapi_provider.client import VapiClient
from vapi_provider.naming import autoname


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
    legacy = "autoname prefix (another stack's resource of the same name matches too)"
    assert out == [
        f"orphan-1\tsupport-line-zzz9999\t+14155550101\t{legacy}",
        f"orphan-2\tsip-line-q1w2e3r\tsip:x@sip.vapi.ai\t{legacy}",
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


SEED = "organization/proj/dev/support-line"
OURS = autoname("support-line", f"{SEED}|")
THEIRS = autoname("support-line", "organization/proj/other-stack/support-line|")


def _seeded_export(pending=()):
    return {
        "deployment": {
            "resources": [
                {
                    "urn": f"urn:pulumi:dev::proj::{PHONE_NUMBER_TYPE}::kept",
                    "type": PHONE_NUMBER_TYPE,
                    "id": "kept-id",
                    "inputs": {"name": "kept line"},
                }
            ],
            "pending_operations": [
                {"type": "creating", "resource": {"type": PHONE_NUMBER_TYPE, "inputs": inputs}}
                for inputs in pending
            ],
        }
    }


def _org_client(numbers):
    return VapiClient(
        api_key="k",
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=numbers))),
        sleep=lambda _: None,
    )


def test_orphans_knows_this_stacks_exact_autonames_and_never_lists_another_stacks(tmp_path, capsys):
    org = [_number("ours", OURS), _number("theirs", THEIRS), _number("named", "front desk")]
    pending = [
        {"autonamePrefix": "support-line", "autonameSeed": SEED, "name": OURS},
        {"name": "front desk"},  # an explicitly named create that a killed run left pending
    ]
    export = tmp_path / "state.json"
    export.write_text(json.dumps(_seeded_export(pending)))
    assert main(["orphans", "--stack-export", str(export), "--json"], client=_org_client(org)) == EXIT_ORPHANS
    found = {o["id"]: o["proof"] for o in json.loads(capsys.readouterr().out)}
    assert found == {"ours": "autoname", "named": "name only"}


def test_orphans_on_an_export_with_nothing_to_look_for_exits_zero(tmp_path, capsys):
    export = tmp_path / "state.json"
    export.write_text(json.dumps(_seeded_export()))
    assert main(["orphans", "--stack-export", str(export)], client=_org_client([])) == EXIT_OK


def test_orphans_reads_the_whole_org_past_the_newest_1000(tmp_path, capsys):
    def stamp(i):
        return f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}.000Z"

    org = [_number(f"n{i}", f"filler-{i}", createdAt=stamp(i)) for i in range(1500)]
    org[3]["name"] = OURS  # among the oldest: beyond the first page
    seen_params = []

    def handler(request):
        seen_params.append(dict(request.url.params))
        newest_first = sorted(org, key=lambda n: n["createdAt"], reverse=True)
        le = request.url.params.get("createdAtLe")
        page = [n for n in newest_first if le is None or n["createdAt"] <= le][:1000]
        return httpx.Response(200, json=page)

    client = VapiClient(
        api_key="k",
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    export = tmp_path / "state.json"
    export.write_text(json.dumps(_seeded_export([{"autonamePrefix": "support-line", "autonameSeed": SEED}])))
    assert main(["orphans", "--stack-export", str(export), "--json"], client=client) == EXIT_ORPHANS
    assert [o["id"] for o in json.loads(capsys.readouterr().out)] == ["n3"]
    assert len(seen_params) == 2 and "createdAtLe" in seen_params[1]


def test_orphans_know_the_numbers_of_every_kind_in_state():
    export = {
        "deployment": {
            "resources": [
                *EXPORT["deployment"]["resources"],
                {
                    "urn": f"urn:pulumi:dev::proj::{TWILIO_PHONE_NUMBER_TYPE}::sales-line",
                    "type": TWILIO_PHONE_NUMBER_TYPE,
                    "id": "twilio-in-state",
                    "inputs": {"autonamePrefix": "sales-line"},
                },
            ]
        }
    }
    prefixes, ids = state_prefixes_and_ids(export)
    assert "sales-line" in prefixes and "twilio-in-state" in ids
