"""Diagnostic program: the native `vapi` provider with the native floor's program instead of the SDK.

The same numbers as `benchmarks/programs/native`, declared as plain `pulumi.CustomResource`s of
`vapi:index:PhoneNumber` with only the inputs and the five computed keys the native floor's program
registers (`benchmarks/programs/natfloor`), so that native-raw / native floor is the provider's own cost
and native / native-raw the cost of the `pulumi_vapi` SDK's typed resource (an output for every property
of the table) in the program. Not part of the default run: `--programs ...,nraw`.
"""

from typing import Any

import pulumi

TYPE_TOKEN = "vapi:index:PhoneNumber"
OUTPUT_ONLY_KEYS = ("orgId", "number", "status", "createdAt", "updatedAt")


class RawNumber(pulumi.CustomResource):
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
        props["sipUri"] = f"sip:raw-{i:03d}@sip.vapi.ai"
    RawNumber(f"n{i:03d}", props)
