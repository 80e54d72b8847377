"""`python -m vapi_provider orphans`: find Vapi numbers this project created but no stack records.

A number becomes an orphan when a create succeeded at Vapi but never reached the stack state (a
blocked number, a crash between POST and state write, a state file restored from backup). Orphans are
recognised by their autoname, `<prefix>-<7 lowercase letters/digits>`, where the prefix is a
VapiPhoneNumber resource name (its `autonamePrefix`) found in a `pulumi stack export`, or given with
`--prefix`, and by their id being absent from that state.

Exit codes: 0 no orphans, 3 orphans found, 2 usage or input error, 1 API error.
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
from .provider import autoname_pattern

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
    return parser


def main(argv: Sequence[str] | None = None, *, client: VapiClient | None = None) -> int:
    """Entry point; returns the exit code. `client` is for tests."""
    args = _parser().parse_args(argv)
    prefixes = set(args.prefix)
    known_ids: set[str] = set()
    if args.stack_export:
        try:
            if args.stack_export == "-":
                export = json.load(sys.stdin)
            else:
                with open(args.stack_export, encoding="utf-8") as handle:
                    export = json.load(handle)
        except (OSError, ValueError) as err:
            print(f"error: cannot read the stack export: {err}", file=sys.stderr)
            return EXIT_USAGE
        state_prefixes, known_ids = state_prefixes_and_ids(export)
        prefixes |= state_prefixes
    if not prefixes:
        print("error: no prefixes: pass --stack-export FILE or --prefix NAME", file=sys.stderr)
        return EXIT_USAGE
    own_client = client is None
    if client is None:
        api_key = os.environ.get(API_KEY_ENV)
        if not api_key:
            print(f"error: set {API_KEY_ENV} (and {BASE_URL_ENV} for a non-default API)", file=sys.stderr)
            return EXIT_USAGE
        client = VapiClient(api_key=api_key, base_url=os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
    try:
        orphans = find_orphans(client, prefixes, known_ids)
    except VapiError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if own_client:
            client.close()
    if args.json:
        print(json.dumps(orphans, indent=2))
    else:
        for orphan in orphans:
            where = orphan["number"] or orphan["sipUri"] or "-"
            print(f"{orphan['id']}\t{orphan['name']}\t{where}")
        if not orphans:
            print("no orphans", file=sys.stderr)
    return EXIT_ORPHANS if orphans else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
