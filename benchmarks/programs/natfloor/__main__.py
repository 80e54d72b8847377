"""Native-provider floor: `bench:count` numbers shaped like the benchmark's, through the `vapifloor` plugin.

The same numbers as `benchmarks/programs/dynfloor` (every tenth one a free number in area code 415, the
others SIP numbers `sip:nat-<i>@sip.vapi.ai`; `bench:variant` picks every number's assistantId), declared
as plain `pulumi.CustomResource`s of `vapifloor:index:PhoneNumber`, with their computed keys seeded so that
they become outputs. Names are given, not autonamed.
"""

from typing import Any

import pulumi

TYPE_TOKEN = "vapifloor:index:PhoneNumber"
OUTPUT_ONLY_KEYS = ("orgId", "number", "status", "createdAt", "updatedAt")


class NatFloorNumber(pulumi.CustomResource):
    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, {**props, **dict.fromkeys(OUTPUT_ONLY_KEYS)}, opts)


config = pulumi.Config("bench")
count = config.require_int("count")
variant = config.get_int("variant") or 0
assistant_id = f"00000000-0000-4000-8000-{variant:012d}"

for i in range(count):
    props: dict[str, str] = {"name": f"nat-{i:03d}", "assistantId": assistant_id}
    if i % 10 == 9:
        props["numberDesiredAreaCode"] = "415"
    else:
        props["sipUri"] = f"sip:nat-{i:03d}@sip.vapi.ai"
    NatFloorNumber(f"n{i:03d}", props)
