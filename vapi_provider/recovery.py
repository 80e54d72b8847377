"""Recover a stack after an interrupted `pulumi up` without buying a second number.

When `pulumi up` dies mid-create (SIGKILL, a crashed CI runner, a lost laptop lid), the state keeps a
*pending create* for every number whose create had started: Vapi may or may not have issued it. Pulumi
cannot import it back (import does not work for dynamic providers, pulumi/pulumi#16175), and clearing the
pending creates would make the next `up` buy the same numbers again.

`recover_export` resolves each pending create of a VapiPhoneNumber against the org's numbers, by the
autoname (or declared name) the create was sent with, or by its `sipUri`:

- found: the pending create becomes a resource of the stack with that Vapi id; its inputs, including the
  encrypted `__provider`, come from the pending operation unchanged (nothing is decrypted), and the next
  `pulumi refresh` fills in its outputs from Vapi;
- not found: nothing was bought, the pending create is dropped, and the next `pulumi up` creates it;
- several found: an error naming their ids (decide by hand; nothing is changed).

The result is written with `pulumi stack import`. Documented recovery (docs/provider.md):
`pulumi stack export > s.json; python -m vapi_provider recover --stack-export s.json --output r.json;
pulumi stack import --file r.json; pulumi refresh; pulumi up`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ._constants import PHONE_NUMBER_TYPE
from .client import VapiClient
from .errors import RecoveryError
from .models import AnyPhoneNumber
from .properties import PHONE_NUMBER
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
    """Pending operations left as they were (other resource types or operations)."""


def _plain(value: object) -> str | None:
    # Secret values in an export are envelopes (dicts); only plaintext strings can be matched.
    return value if isinstance(value, str) and value else None


def _matches(number: AnyPhoneNumber, inputs: dict[str, Any]) -> bool:
    name = _plain(inputs.get("name"))
    sip_uri = _plain(inputs.get("sipUri"))
    number_sip = getattr(number, "sip_uri", None)
    if sip_uri and number_sip and number_sip.lower() == sip_uri.lower():
        return True
    return bool(name) and number.name == name


def recover_export(export: dict[str, Any], client: VapiClient) -> tuple[dict[str, Any], RecoveryReport]:
    """Return a copy of a `pulumi stack export` document with every pending VapiPhoneNumber create
    resolved against Vapi, and a report. Raises `RecoveryError` when a create matches several numbers."""
    result = copy.deepcopy(export)
    deployment = result.get("deployment")
    if not isinstance(deployment, dict):
        raise RecoveryError("not a `pulumi stack export` document: it has no deployment")
    pending = deployment.get("pending_operations") or []
    creates = [
        op
        for op in pending
        if op.get("type") == "creating" and (op.get("resource") or {}).get("type") == PHONE_NUMBER_TYPE
    ]
    report = RecoveryReport(recorded={}, dropped=[], other_pending=len(pending) - len(creates))
    if not creates:
        return result, report

    numbers = client.list_phone_numbers()
    known_ids = {str(r.get("id")) for r in deployment.get("resources") or [] if r.get("id")}
    resources: list[dict[str, Any]] = list(deployment.get("resources") or [])
    for op in creates:
        resource = copy.deepcopy(op["resource"])
        urn = str(resource.get("urn"))
        inputs = resource.get("inputs") or {}
        found = [n for n in numbers if n.id not in known_ids and _matches(n, inputs)]
        if len(found) > 1:
            ids = ", ".join(n.id for n in found)
            raise RecoveryError(
                f"{urn}: the interrupted create matches several Vapi numbers ({ids}); keep the right one "
                "with `adopt`, and release the others only if you mean to"
            )
        if not found:
            report.dropped.append(urn)
            continue
        (number,) = found
        resource["id"] = number.id
        resource["outputs"] = {**inputs, **computed_outputs(PHONE_NUMBER, number)}
        resources.append(resource)
        known_ids.add(number.id)
        report.recorded[urn] = number.id

    deployment["resources"] = resources
    deployment["pending_operations"] = [op for op in pending if op not in creates]
    return result, report
