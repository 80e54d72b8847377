"""Two numbers of one program that share an explicit name (or, with `dupe: sipUri`, a sipUri).

With `outputs: true` the shared values are `Output`s, known only when the program runs for `up`, so the
program-wide check cannot compare them: the provider's run claims must (`vapi_provider/run_claims.py`).
"""

from typing import Any

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

config = pulumi.Config()


def value(plain: str) -> Any:
    return pulumi.Output.from_input(plain).apply(lambda v: v) if config.get_bool("outputs") else plain


if (config.get("dupe") or "name") == "sipUri":
    first = VapiPhoneNumberArgs(name="one", sip_uri=value("sip:dupe-line@sip.vapi.ai"))
    second = VapiPhoneNumberArgs(name="two", sip_uri=value("SIP:Dupe-Line@sip.vapi.ai"))
else:
    first = VapiPhoneNumberArgs(name=value("main line"), number_desired_area_code="415")
    second = VapiPhoneNumberArgs(name=value("main line"), number_desired_area_code="212")
VapiPhoneNumber("first", first)
VapiPhoneNumber("second", second)
