"""Creates in doubt: how a purchase whose outcome is unknown is carried to the next run.

The invariant: once Vapi may have committed a create, the stack records that number, or records
something that the next `pulumi up` or `pulumi refresh` resolves *before* it buys anything.

A POST whose outcome is unknown (a 500, a dropped connection, a read timeout) is never sent again: a
list may lag behind a committed create, so "not in the list" does not prove "not bought". When the
client cannot prove which number the POST bought (`VapiClient.create_phone_number`), `create` returns an
**in-doubt record** instead of failing: the resource is stored with the id `in-doubt-<hex>`, its
declared inputs, `status: "in-doubt"` and `createdAt` = the time of the attempt. The Python dynamic
provider host has no "partial failure" answer (an error from `create` would leave nothing in state,
and the next run would buy again), so a successful create of a placeholder is the one way to record it.

Then:

* **`pulumi preview` / `pulumi up`** (`diff`) stop on the record with `CreateInDoubtError`, which says
  a number may exist and to run `pulumi refresh`; nothing is bought.
* **`pulumi refresh`** (`read`) resolves it. The create was sent under its claim name (`CLAIM_KEY`,
  `naming.claim_name`), unique to this resource and never kept by a finished create, so a number that
  carries it and that Vapi created no earlier than the attempt (less `client.RECONCILE_SKEW`) is this
  create's own: found, it replaces the record, with its real id (the next `pulumi up` renames it to its
  declared name); not found, the record is dropped and the next `pulumi up` creates the number. Records
  written by earlier versions have no claim: an autonamed one is proven by its autoname; an explicitly
  named one cannot be proven (Vapi does not keep names unique): with candidates, refresh stops and names
  them. Set `adopt: <id>` on the resource if one is its number and run `pulumi up`, or remove the record
  with `pulumi state delete <urn>` if none is.
* **`pulumi destroy`** (`delete`) releases an in-doubt number only when it is proven (claim or autoname);
  otherwise it forgets the record and releases nothing.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from .client import RECONCILE_SKEW, VapiClient, parse_time
from .errors import AmbiguousMatchError, CreateInDoubtError, CreateOutcomeUnknownError
from .models import AnyPhoneNumber
from .properties import ResourceTable

__all__ = [
    "CLAIM_KEY",
    "IN_DOUBT_ADVICE",
    "IN_DOUBT_PREFIX",
    "IN_DOUBT_STATUS",
    "StillInDoubt",
    "in_doubt_error",
    "in_doubt_id",
    "in_doubt_outputs",
    "is_in_doubt",
    "resolve_in_doubt",
]

IN_DOUBT_PREFIX = "in-doubt-"
EXISTING_KEY = "inDoubtExisting"
"""Output of an in-doubt record: ids with the same name or sipUri that existed before the attempt."""
CLAIM_KEY = "inDoubtClaim"
"""Output of an in-doubt record: the unique name the create was sent with (`naming.claim_name`)."""
IN_DOUBT_STATUS = "in-doubt"
IN_DOUBT_ADVICE = (
    "It is recorded in the stack as in doubt, and nothing more is bought for it until it is resolved: "
    "run `pulumi refresh`, which records the number if Vapi bought it and drops the record if not."
)


def in_doubt_id() -> str:
    return IN_DOUBT_PREFIX + secrets.token_hex(8)


def is_in_doubt(resource_id: str) -> bool:
    return resource_id.startswith(IN_DOUBT_PREFIX)


def in_doubt_outputs(
    table: ResourceTable,
    inputs: dict[str, Any],
    own: dict[str, Any],
    err: CreateOutcomeUnknownError,
    claim: str | None = None,
) -> dict[str, Any]:
    """The record's outputs: the declared inputs, the provider's own inputs, and computed fields that
    say what is known (`status: in-doubt`, `createdAt`: when the attempt started, the claim name the
    create was sent with)."""
    computed: dict[str, Any] = dict.fromkeys(table.output_keys)
    computed.update({"status": IN_DOUBT_STATUS, "createdAt": err.attempted_at})
    extra: dict[str, Any] = {EXISTING_KEY: err.existing}
    if claim is not None:
        extra[CLAIM_KEY] = claim
    return {**inputs, **own, **computed, **extra}


def _label(props: dict[str, Any]) -> str:
    name = props.get("name")
    return f"phone number {name!r}" if isinstance(name, str) else "this phone number"


def in_doubt_error(props: dict[str, Any]) -> CreateInDoubtError:
    return CreateInDoubtError(
        f"An earlier `pulumi up` may have bought {_label(props)} but could not confirm it (its create is "
        "in doubt), so nothing more is bought for it. Run `pulumi refresh` to resolve it: it records the "
        "number if Vapi bought it, or drops the record if not. Then run `pulumi up` again."
    )


class StillInDoubt(Exception):
    """The number is not listed, but the attempt is recent enough that the list may still lag."""


def resolve_in_doubt(
    client: VapiClient, props: dict[str, Any], *, autonamed: bool, settle_seconds: float
) -> AnyPhoneNumber | None:
    """The number an in-doubt create bought, or None when it bought none.

    Raises `StillInDoubt` when no number is listed yet but the attempt is less than `settle_seconds`
    old (a list may lag behind a create), `CreateInDoubtError` naming the candidates when an explicitly
    named create may have bought one of them, and `AmbiguousMatchError` when several numbers carry an
    autoname that should be unique. Numbers that existed before the attempt are never candidates.
    """
    claim = props.get(CLAIM_KEY)
    if isinstance(claim, str) and claim:
        # Sent under its claim name, unique to this resource: a number with it is this create's own.
        autonamed = True
        name: str | None = claim
    else:
        name = props.get("name") if isinstance(props.get("name"), str) else None
    sip_uri = props.get("sipUri") if isinstance(props.get("sipUri"), str) else None
    attempted = parse_time(props.get("createdAt")) or datetime.fromtimestamp(0, UTC)
    existing = set(props.get(EXISTING_KEY) or [])
    since = attempted - RECONCILE_SKEW
    found = [
        number
        for number in client.find_created(name, sip_uri, since=since, unique=autonamed)
        if number.id not in existing
    ]
    ids = sorted(number.id for number in found)
    if not found:
        if datetime.now(UTC) - attempted < timedelta(seconds=settle_seconds):
            raise StillInDoubt
        return None
    if autonamed:
        if len(found) == 1:
            return found[0]
        raise AmbiguousMatchError(
            f"{len(ids)} numbers carry the autoname {name!r} of this resource: {', '.join(ids)}. Keep one "
            "with adopt=<id> and delete the others in Vapi.",
            ids=ids,
        )
    raise CreateInDoubtError(
        f"An earlier `pulumi up` may have bought {_label(props)}, and Vapi now has {len(ids)} number(s) "
        f"that may be it: {', '.join(ids)}. Their name is not unique, so none is taken without your word. "
        "If one is this resource's number, set `adopt: <id>` on it and run `pulumi up`; if none is, "
        "remove the record with `pulumi state delete <urn>` and run `pulumi up`."
    )
