"""Benchmark program: `bench:count` Vapi phone numbers.

Every tenth number (i % 10 == 9) is a free Vapi number in area code 415, which the emulator keeps
`activating` for a short while, so creates exercise the provider's status polls; all others are SIP numbers
(`sip:bench-<i>@sip.vapi.ai`), which are active as soon as they are created. Names are left to autonaming
(`n<i>-<7 random chars>`), the default. `bench:variant` picks the assistantId of every number: changing it is
the "update every number" step.
"""

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

config = pulumi.Config("bench")
count = config.require_int("count")
variant = config.get_int("variant") or 0
assistant_id = f"00000000-0000-4000-8000-{variant:012d}"

for i in range(count):
    if i % 10 == 9:
        args = VapiPhoneNumberArgs(number_desired_area_code="415", assistant_id=assistant_id)
    else:
        args = VapiPhoneNumberArgs(sip_uri=f"sip:bench-{i:03d}@sip.vapi.ai", assistant_id=assistant_id)
    VapiPhoneNumber(f"n{i:03d}", args)
