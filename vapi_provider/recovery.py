"""Recover a stack after an interrupted `pulumi up` without buying a second number.

When `pulumi up` dies mid-create (SIGKILL, a crashed CI runner, a lost laptop lid), the state keeps a
*pending create* for every number whose create had started: Vapi may or may not have issued it. Pulumi
cannot import it back (import does not work for dynamic providers, pulumi/pulumi#16175), and clearing the
pending creates would make the next `up` buy the same numbers again.

`recover_export` resolves each pending create of a phone number of either provider (dynamic or native:
`kinds.TABLE_BY_TYPE`) by the claim name the create was sent under (`naming.claim_name`), then by its
autoname:

- found: the pending create becomes a resource of the stack with that Vapi id; its inputs (the dynamic
  resource's encrypted `__provider` or the native resource's provider reference included) come from the
  pending operation unchanged (nothing is decrypted), and the next `pulumi refresh` fills in its outputs;
- not found: nothing was bought, the pending create is dropped, and the next `pulumi up` creates it;
- an explicit name held by a number outside the state, and no claim: the kill fell between the rename
  and the state write; the create is recorded in doubt and `pulumi refresh` names the candidates;
- several found: an error naming their ids (decide by hand; nothing is changed).

The result is written with `pulumi stack import`. Documented recovery (docs/provider.md):
`pulumi stack export > s.json; python -m vapi_provider recover --stack-export s.json --output r.json;
pulumi stack import --file r.json; pulumi refresh; pulumi up`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .client import VapiClient
from .errors import NotFoundError, RecoveryError
from .in_doubt import IN_DOUBT_STATUS, in_doubt_id
from .kinds import TABLE_BY_TYPE
from .models import AnyPhoneNumber
from .naming import claim_name, is_derived_autoname
from .properties import ResourceTable
from .refresh import computed_outputs

__all__ = ["RecoveryError", "RecoveryReport", "recover_export"]


@dataclass
class RecoveryReport:
    """What `recover_export` did, per pending create (by URN)."""

    recorded: dict[str, str]
    """URN -> Vapi id of the number the interrupted create did buy (now a resource of the stack)."""
    dropped: list[str]
    """URNs whose create never reached Vapi (the next `pulumi up` creates them)."""
    other_pending: int
    """Pending operations left as they were (other resource types)."""
    in_doubt: list[str] = field(default_factory=list)
    """URNs of explicitly named creates, recorded in doubt for `pulumi refresh` to resolve."""
    deleted: list[str] = field(default_factory=list)
    """URNs whose interrupted delete had completed: removed from the stack."""
    dropped_updates: list[str] = field(default_factory=list)
    """URNs whose interrupted update was dropped (`pulumi refresh` reads what Vapi holds)."""


def _plain(value: object) -> str | None:
    # Secret values in an export are envelopes (dicts); only plaintext strings can be matched.
    return value if isinstance(value, str) and value else None


def _bought(
    client: VapiClient,
    table: ResourceTable,
    inputs: dict[str, Any],
    known_ids: set[str],
    urn: str,
    old_names: tuple[str, ...] = (),
) -> tuple[str, AnyPhoneNumber | None]:
    """What an interrupted create bought: ("found", number), ("none", None) or ("doubt", None).

    Proof, in order: the create's claim name (`naming.claim_name`: a number carrying it is always an
    interrupted create's), then its autoname (unique to its stack and resource; the window between the
    rename and the state write; only the name derived from its seed counts, with its sipUri, not an
    explicit name of the same shape). An explicit name proves nothing: with no number of that name outside
    the state nothing was bought; with some, the create stays in doubt (the one case that asks a
    decision: a kill in the few milliseconds between the rename and the state write).
    """
    name = _plain(inputs.get("name"))
    sip_uri = _plain(inputs.get("sipUri"))
    claim = claim_name(inputs, table.replace_keys)
    unique = [claim]
    if is_derived_autoname(name, inputs.get("autonamePrefix"), inputs.get("autonameSeed"), ("", *old_names)):
        unique.append(name)
    for candidate in dict.fromkeys(c for c in unique if c):
        # A claim proves the number alone; an autoname together with the declared sipUri.
        matching = client.find_claimed(candidate, None if candidate == claim else sip_uri)
        found = [n for n in matching if n.id not in known_ids]
        if len(found) > 1:
            ids = ", ".join(n.id for n in found)
            raise RecoveryError(
                f"{urn}: the interrupted create matches several Vapi numbers named {candidate!r} ({ids}); "
                "keep the right one with `adopt`, and release the others only if you mean to"
            )
        if found:
            return "found", found[0]
    if name is None or name in unique:
        return "none", None
    same = [n for n in client.find_claimed(name, sip_uri) if n.id not in known_ids]
    return ("doubt", None) if same else ("none", None)


def recover_export(export: dict[str, Any], client: VapiClient) -> tuple[dict[str, Any], RecoveryReport]:
    """Return a copy of a `pulumi stack export` document with every pending operation of a phone
    number (either provider) resolved against Vapi, and a report. The result always imports.

    * creating: the number with its claim name (or autoname) is recorded; none: the create is dropped
      (the next `pulumi up` creates it), unless a number outside the state has its explicit name, when
      it is recorded in doubt for `pulumi refresh`; several: `RecoveryError`, nothing changed.
    * creating during a replacement (the URN is already in the stack): the new number is recorded as
      above, and the old one is marked for deletion, which the interrupted `pulumi up` was about to do.
    * updating: dropped; the resource stays, `pulumi refresh` reads what Vapi holds.
    * deleting: a number that is gone is removed from the stack; one that exists is kept.
    """
    result = copy.deepcopy(export)
    deployment = result.get("deployment")
    if not isinstance(deployment, dict):
        raise RecoveryError("not a `pulumi stack export` document: it has no deployment")
    pending = deployment.get("pending_operations") or []
    ours = [op for op in pending if (op.get("resource") or {}).get("type") in TABLE_BY_TYPE]
    report = RecoveryReport(recorded={}, dropped=[], other_pending=len(pending) - len(ours))
    if not ours:
        return result, report

    resources: list[dict[str, Any]] = list(deployment.get("resources") or [])
    known_ids = {str(r.get("id")) for r in resources if r.get("id")}
    for op in ours:
        resource = copy.deepcopy(op["resource"])
        urn = str(resource.get("urn"))
        table = TABLE_BY_TYPE[resource["type"]]
        kind = op.get("type")
        inputs = resource.get("inputs") or {}
        if kind == "creating":
            old_names = tuple(
                name
                for r in resources
                if r.get("urn") == urn
                for name in (
                    _plain((r.get("inputs") or {}).get("name")),
                    _plain((r.get("outputs") or {}).get("name")),
                )
                if name
            )
            outcome, number = _bought(client, table, inputs, known_ids, urn, old_names)
            if outcome == "none":
                report.dropped.append(urn)
                continue
            if number is not None:
                resource["id"] = number.id
                # Under the name Vapi holds (the claim, if the rename never happened): `pulumi refresh`
                # reads the rest, and the next `pulumi up` renames it.
                resource["outputs"] = {**inputs, **computed_outputs(table, number), "name": number.name}
                known_ids.add(number.id)
                report.recorded[urn] = number.id
            else:
                resource["id"] = in_doubt_id()
                resource["outputs"] = {**inputs, **dict.fromkeys(table.output_keys)}
                resource["outputs"]["status"] = IN_DOUBT_STATUS
                report.in_doubt.append(urn)
            for old in resources:
                if old.get("urn") == urn and not old.get("delete"):
                    old["delete"] = True  # a replacement: the old number goes, as the run intended
            resources.append(resource)
        elif kind == "deleting":
            number_id = str(resource.get("id") or "")
            try:
                client.get_phone_number(number_id)
            except NotFoundError:
                resources = [r for r in resources if not (r.get("urn") == urn and r.get("id") == number_id)]
                report.deleted.append(urn)
        else:
            report.dropped_updates.append(urn)

    deployment["resources"] = resources
    deployment["pending_operations"] = [op for op in pending if op not in ours]
    return result, report
