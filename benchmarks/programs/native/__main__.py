"""Benchmark program: `bench:count` Vapi phone numbers through the native `vapi` provider plugin.

The same numbers as `benchmarks/programs/vapi` (every tenth one, i % 10 == 9, a free Vapi number in area
code 415 that the emulator keeps `activating` for a short while; all others SIP numbers
`sip:native-<i>@sip.vapi.ai`; `bench:variant` picks every number's assistantId), declared with the
`pulumi_vapi` SDK as a user would, through the default `vapi` provider (configured from the stack's
`vapi:*` config). Names are left to the provider's autonaming (seeded by the URN), the default.
"""

import pulumi

import pulumi_vapi as vapi

config = pulumi.Config("bench")
count = config.require_int("count")
variant = config.get_int("variant") or 0
assistant_id = f"00000000-0000-4000-8000-{variant:012d}"

for i in range(count):
    if i % 10 == 9:
        vapi.PhoneNumber(f"n{i:03d}", number_desired_area_code="415", assistant_id=assistant_id)
    else:
        vapi.PhoneNumber(f"n{i:03d}", sip_uri=f"sip:native-{i:03d}@sip.vapi.ai", assistant_id=assistant_id)
