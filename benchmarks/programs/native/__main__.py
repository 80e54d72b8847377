"""Benchmark program: `bench:count` Vapi phone numbers through the native `vapi` provider plugin.

The same numbers as `benchmarks/programs/vapi` (every tenth one, i % 10 == 9, a free Vapi number in area
code 415 that the emulator keeps `activating` for a short while; all others SIP numbers
`sip:native-<i>@sip.vapi.ai`; `bench:variant` picks every number's assistantId), as
`vapi:index:PhoneNumber` resources of the default `vapi` provider (configured from the stack's `vapi:*`
config). Names are left to the provider's autonaming from the engine's random seed, the default.
"""

from typing import Any

import pulumi

TYPE_TOKEN = "vapi:index:PhoneNumber"
OUTPUT_ONLY_KEYS = ("orgId", "number", "status", "createdAt", "updatedAt")


class NativeNumber(pulumi.CustomResource):
    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, {**props, **dict.fromkeys(OUTPUT_ONLY_KEYS)}, opts)


config = pulumi.Config("bench")
count = config.require_int("count")
variant = config.get_int("variant") or 0
assistant_id = f"00000000-0000-4000-8000-{variant:012d}"

for i in range(count):
    props: dict[str, str] = {"assistantId": assistant_id}
    if i % 10 == 9:
        props["numberDesiredAreaCode"] = "415"
    else:
        props["sipUri"] = f"sip:native-{i:03d}@sip.vapi.ai"
    NativeNumber(f"n{i:03d}", props)
