"""`python -m vapi_provider orphans|recover`: find what an interrupted run left behind, and recover it.

`orphans` finds Vapi numbers this project created but no stack records. `recover` turns the pending
creates of an interrupted `pulumi up` into stack resources when Vapi did issue the number (see
`vapi_provider.recovery`), for `pulumi stack import`.

A number becomes an orphan when a create succeeded at Vapi but never reached the stack state (a
blocked number, a crash between POST and state write, a state file restored from backup). Orphans are
recognised by their autoname, `<prefix>-<7 lowercase letters/digits>`, where the prefix is a
VapiPhoneNumber resource name (its `autonamePrefix`) found in a `pulumi stack export`, or given with
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
from typing import Any

from ._constants import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, PHONE_NUMBER_TYPE
from .client import VapiClient
from .errors import VapiError
from .naming import autoname_pattern
from .recovery import recover_export

__all__ = ["find_orphans", "main", "state_prefixes_and_ids"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_ORPHANS = 3


def state_prefixes_and_ids(export: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Autoname prefixes (and resource names) and Vapi ids of the VapiPhoneNumber resources in a
    `pulumi stack export` document."""
    deployment = export.get("deployment", export)
    resources = deployment.get("resources") or []
    prefixes: set[str] = set()
    ids: set[str] = set()
    for resource in resources:
        if resource.get("type") != PHONE_NUMBER_TYPE:
            continue
        if resource.get("id"):
            ids.add(str(resource["id"]))
        for bag in (resource.get("inputs") or {}, resource.get("outputs") or {}):
            prefix = bag.get("autonamePrefix")
            if isinstance(prefix, str) and prefix:
                prefixes.add(prefix)
        urn = str(resource.get("urn", ""))
        if "::" in urn:
            prefixes.add(urn.rsplit("::", 1)[1])
    return prefixes, ids


def _pending_prefixes(export: dict[str, Any]) -> set[str]:
    """Autoname prefixes of VapiPhoneNumber creates that were still pending (an interrupted run)."""
    deployment = export.get("deployment", export)
    prefixes: set[str] = set()
    for op in deployment.get("pending_operations") or []:
        resource = op.get("resource") or {}
        if resource.get("type") == PHONE_NUMBER_TYPE:
            prefix = (resource.get("inputs") or {}).get("autonamePrefix")
            if isinstance(prefix, str) and prefix:
                prefixes.add(prefix)
    return prefixes


def find_orphans(client: VapiClient, prefixes: set[str], known_ids: set[str]) -> list[dict[str, Any]]:
    """Numbers whose name is `<prefix>-<7 alnum>` for a known prefix and whose id is not in state."""
    patterns = [autoname_pattern(prefix) for prefix in prefixes]
    orphans = []
    for number in client.list_phone_numbers():
        if number.id in known_ids or not number.name:
            continue
        if any(pattern.fullmatch(number.name) for pattern in patterns):
            orphans.append(
                {
                    "id": number.id,
                    "name": number.name,
                    "number": getattr(number, "number", None),
                    "sipUri": getattr(number, "sip_uri", None),
                    "status": number.status,
                    "createdAt": number.created_at,
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
        help="output of `pulumi stack export` ('-' for stdin); its VapiPhoneNumber ids count as known",
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
    prefixes = set(args.prefix)
    known_ids: set[str] = set()
    if args.stack_export:
        export = _read_export(args.stack_export)
        state_prefixes, known_ids = state_prefixes_and_ids(export)
        prefixes |= state_prefixes | _pending_prefixes(export)
    if not prefixes:
        raise _UsageError("no prefixes: pass --stack-export FILE or --prefix NAME")
    orphans = find_orphans(client, prefixes, known_ids)
    if args.json:
        print(json.dumps(orphans, indent=2))
    else:
        for orphan in orphans:
            where = orphan["number"] or orphan["sipUri"] or "-"
            print(f"{orphan['id']}\t{orphan['name']}\t{where}")
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
    if not report.recorded and not report.dropped:
        print("no pending creates of VapiPhoneNumber resources", file=sys.stderr)
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
