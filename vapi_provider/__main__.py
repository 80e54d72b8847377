"""`python -m vapi_provider orphans|recover`: find what an interrupted run left behind, and recover it.

`orphans` finds Vapi numbers this project created but no stack records. `recover` turns the pending
creates of an interrupted `pulumi up` into stack resources when Vapi did issue the number (see
`vapi_provider.recovery`), for `pulumi stack import`.

A number becomes an orphan when a create succeeded at Vapi but never reached the stack state (a
blocked number, a crash between POST and state write, a state file restored from backup). Orphans are
recognised by their autoname, `<prefix>-<7 lowercase letters/digits>`, where the prefix is a
phone-number resource name (its `autonamePrefix`) found in a `pulumi stack export`, or given with
`--prefix`, and by their id being absent from that state.

Exit codes: 0 no orphans (recover: done), 3 orphans found, 2 usage or input error, 1 API error (recover:
or a pending create that matches several numbers; nothing is written then).
Credentials: VAPI_API_KEY, and VAPI_BASE_URL for a non-default API (e.g. the EU region or an emulator).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ._constants import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from .client import VapiClient
from .errors import VapiError
from .in_doubt import is_in_doubt
from .kinds import TABLE_BY_TYPE
from .naming import autoname, autoname_pattern, claim_name, is_derived_autoname
from .recovery import recover_export

__all__ = ["find_orphans", "main", "state_prefixes_and_ids"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_ORPHANS = 3


def state_prefixes_and_ids(export: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Autoname prefixes of the phone-number resources written before autonames were seeded, and the
    Vapi ids of every phone-number resource (dynamic or native), in a `pulumi stack export` document."""
    keys = orphan_keys(export)
    return keys.legacy_prefixes, keys.known_ids


@dataclass
class OrphanKeys:
    """What identifies the numbers a stack's runs bought, read from a `pulumi stack export`."""

    exact: dict[str, str] = field(default_factory=dict)
    """Exact name -> its proof: `claim` (the name a create of this stack's resource is sent under),
    `autoname` (derived from the stack's seed, unique to it) or `name only`
    (an explicit name of a pending create or an in-doubt record: another stack may use it too)."""
    legacy_prefixes: set[str] = field(default_factory=set)
    """Resource names of numbers autonamed before seeds existed: matched as `<prefix>-<7 chars>`."""
    known_ids: set[str] = field(default_factory=set)


def _phone_numbers(export: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    deployment = export.get("deployment", export)
    if not isinstance(deployment, dict):
        raise ValueError("not a `pulumi stack export` document")
    types = set(TABLE_BY_TYPE)  # every kind of number, dynamic and native
    resources = [r for r in deployment.get("resources") or [] if r.get("type") in types]
    pending = [
        op["resource"]
        for op in deployment.get("pending_operations") or []
        if isinstance(op.get("resource"), dict) and op["resource"].get("type") in types
    ]
    return resources, pending


def _plain(value: object) -> str | None:
    return value if isinstance(value, str) and value else None  # secrets are envelopes, never names


def orphan_keys(export: dict[str, Any]) -> OrphanKeys:
    keys = OrphanKeys()
    resources, pending = _phone_numbers(export)
    names_by_urn: dict[object, list[str]] = {}
    for resource in resources:
        for found in (resource.get("inputs") or {}, resource.get("outputs") or {}):
            if _plain(found.get("name")):
                names_by_urn.setdefault(resource.get("urn"), []).append(str(found["name"]))
    for resource in resources + pending:
        inputs = resource.get("inputs") or {}
        outputs = resource.get("outputs") or {}
        resource_id = str(resource.get("id") or "")
        in_doubt = is_in_doubt(resource_id)
        if resource_id and not in_doubt and resource not in pending:
            keys.known_ids.add(resource_id)
        prefix = _plain(inputs.get("autonamePrefix"))
        seed = _plain(inputs.get("autonameSeed"))
        name = _plain(inputs.get("name")) or _plain(outputs.get("name"))
        autonamed = is_derived_autoname(name, prefix, seed, ("", *names_by_urn.get(resource.get("urn"), ())))
        if name and (resource in pending or in_doubt):
            keys.exact.setdefault(name, "autoname" if autonamed and seed else "name only")
        claim = claim_name(inputs, TABLE_BY_TYPE[resource["type"]].replace_keys)
        if claim and seed:
            # The name creates of this resource are sent under (renamed once recorded): unique to it.
            keys.exact.setdefault(claim, "claim")
        elif seed:
            # A replacing value is encrypted in the export, so the claim is unknown: look for its shape.
            keys.legacy_prefixes.add(prefix or seed.rsplit("/", 1)[-1])
        if prefix and seed:
            keys.exact.setdefault(autoname(prefix, f"{seed}|"), "autoname")
            if name:  # the name a replacement of this number would get
                keys.exact.setdefault(autoname(prefix, f"{seed}|{name}"), "autoname")
        elif prefix:
            keys.legacy_prefixes.add(prefix)
    return keys


def find_orphans(client: VapiClient, keys: OrphanKeys) -> list[dict[str, Any]]:
    """The org's numbers (all of them, paged) that this stack's runs may have bought but its state
    does not hold, each with the proof that ties it to the stack."""
    patterns = [autoname_pattern(prefix) for prefix in keys.legacy_prefixes]
    orphans = []
    for number in client.list_all_phone_numbers():
        if number.id in keys.known_ids or not number.name:
            continue
        proof = keys.exact.get(number.name)
        if proof is None and any(pattern.fullmatch(number.name) for pattern in patterns):
            proof = "autoname prefix (another stack's resource of the same name matches too)"
        if proof is not None:
            orphans.append(
                {
                    "id": number.id,
                    "name": number.name,
                    "number": getattr(number, "number", None),
                    "sipUri": getattr(number, "sip_uri", None),
                    "status": number.status,
                    "createdAt": number.created_at,
                    "proof": proof,
                }
            )
    return orphans


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vapi_provider", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    orphans = commands.add_parser("orphans", help="list autonamed Vapi numbers missing from the stack state")
    orphans.add_argument(
        "--stack-export",
        metavar="FILE",
        help="output of `pulumi stack export` ('-' for stdin); its phone numbers' ids count as known",
    )
    orphans.add_argument(
        "--prefix", action="append", default=[], help="an autoname prefix (resource name); repeatable"
    )
    orphans.add_argument("--json", action="store_true", help="print a JSON array instead of lines")
    recover = commands.add_parser(
        "recover", help="resolve the pending creates of an interrupted `pulumi up` against Vapi"
    )
    recover.add_argument(
        "--stack-export",
        metavar="FILE",
        required=True,
        help="output of `pulumi stack export` ('-' for stdin)",
    )
    recover.add_argument(
        "--output",
        metavar="FILE",
        required=True,
        help="where to write the document for `pulumi stack import`",
    )
    return parser


def _read_export(path: str) -> dict[str, Any]:
    if path == "-":
        data = json.load(sys.stdin)
    else:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


class _UsageError(Exception):
    """A problem with the command line or its inputs (exit code 2)."""


def _env_client() -> VapiClient:
    api_key = os.environ.get(API_KEY_ENV)
    if not api_key:
        raise _UsageError(f"set {API_KEY_ENV} (and {BASE_URL_ENV} for a non-default API)")
    return VapiClient(api_key=api_key, base_url=os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)


def _orphans(args: argparse.Namespace, client: VapiClient) -> int:
    keys = OrphanKeys()
    if args.stack_export:
        keys = orphan_keys(_read_export(args.stack_export))
    keys.legacy_prefixes |= set(args.prefix)
    if not args.stack_export and not args.prefix:
        raise _UsageError("pass --stack-export FILE (or --prefix NAME)")
    orphans = find_orphans(client, keys) if keys.exact or keys.legacy_prefixes else []
    if args.json:
        print(json.dumps(orphans, indent=2))
    else:
        for orphan in orphans:
            where = orphan["number"] or orphan["sipUri"] or "-"
            print(f"{orphan['id']}\t{orphan['name']}\t{where}\t{orphan['proof']}")
        if not orphans:
            print("no orphans", file=sys.stderr)
    return EXIT_ORPHANS if orphans else EXIT_OK


def _recover(args: argparse.Namespace, client: VapiClient) -> int:
    recovered, report = recover_export(_read_export(args.stack_export), client)
    text = json.dumps(recovered, indent=2)
    if args.output == "-":
        print(text)
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    for urn, number_id in report.recorded.items():
        print(f"recorded {urn} as Vapi number {number_id} (its create had completed)", file=sys.stderr)
    for urn in report.dropped:
        print(
            f"dropped the pending create of {urn}: Vapi has no such number; `pulumi up` creates it",
            file=sys.stderr,
        )
    for urn in report.in_doubt:
        print(
            f"recorded {urn} in doubt: its explicit name proves no number is its own; "
            "`pulumi refresh` resolves it or names the candidates",
            file=sys.stderr,
        )
    for urn in report.deleted:
        print(f"removed {urn}: its interrupted delete had completed", file=sys.stderr)
    for urn in report.dropped_updates:
        print(f"dropped the pending update of {urn}; `pulumi refresh` reads what Vapi holds", file=sys.stderr)
    if not (report.recorded or report.dropped or report.in_doubt or report.deleted or report.dropped_updates):
        print("no pending operations of phone-number resources (dynamic or native)", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, client: VapiClient | None = None) -> int:
    """Entry point; returns the exit code. `client` is for tests."""
    args = _parser().parse_args(argv)
    command = _recover if args.command == "recover" else _orphans
    own_client: VapiClient | None = None
    try:
        if client is None:
            client = own_client = _env_client()
        return command(args, client)
    except _UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError) as err:
        print(f"error: cannot read the stack export: {err}", file=sys.stderr)
        return EXIT_USAGE
    except VapiError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if own_client is not None:
            own_client.close()


if __name__ == "__main__":
    sys.exit(main())
