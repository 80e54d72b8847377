"""Engine floor: `bench:count` no-op dynamic resources, shaped like the Vapi benchmark's numbers.

`bench:variant` changes one input of every resource (the update step), as the Vapi program changes every
number's assistantId.
"""

import pulumi

from bench_noop import BenchNoop

config = pulumi.Config("bench")
count = config.require_int("count")
variant = config.get_int("variant") or 0

for i in range(count):
    BenchNoop(
        f"n{i:03d}",
        {
            "name": f"bench-{i:03d}",
            "sipUri": f"sip:bench-{i:03d}@sip.vapi.ai",
            "assistantId": f"00000000-0000-4000-8000-{variant:012d}",
        },
    )
