"""Dynamic-provider floor: `bench:count` numbers shaped like the Vapi benchmark's, through `DynFloorProvider`.

Every tenth number (i % 10 == 9) is a free Vapi number in area code 415 (activating for a while after
the POST), all others SIP numbers (`sip:dyn-<i>@sip.vapi.ai`, apart from ours, which share the emulator);
`bench:variant` picks every number's assistantId, as in `benchmarks/programs/vapi`. Names are given, not
autonamed (autonaming is ours' own local work, not an API call).
"""

import pulumi

from bench_dynfloor import DynFloorNumber

config = pulumi.Config("bench")
count = config.require_int("count")
variant = config.get_int("variant") or 0
assistant_id = f"00000000-0000-4000-8000-{variant:012d}"

for i in range(count):
    props: dict[str, str] = {"name": f"dyn-{i:03d}", "assistantId": assistant_id}
    if i % 10 == 9:
        props["numberDesiredAreaCode"] = "415"
    else:
        props["sipUri"] = f"sip:dyn-{i:03d}@sip.vapi.ai"
    DynFloorNumber(f"n{i:03d}", props)
