"""Two numbers of one program that share an explicit name (or, with `dupe: sipUri`, a sipUri)."""

import pulumi

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

if (pulumi.Config().get("dupe") or "name") == "sipUri":
    first = VapiPhoneNumberArgs(name="one", sip_uri="sip:dupe-line@sip.vapi.ai")
    second = VapiPhoneNumberArgs(name="two", sip_uri="SIP:Dupe-Line@sip.vapi.ai")
else:
    first = VapiPhoneNumberArgs(name="main line", number_desired_area_code="415")
    second = VapiPhoneNumberArgs(name="main line", number_desired_area_code="212")
VapiPhoneNumber("first", first)
VapiPhoneNumber("second", second)
