"""The ``vapi-phone-numbers`` policy pack. Builds the pack and nothing else.

``PolicyPack`` starts the analyzer's gRPC server, writes its port to stdout and blocks forever, so no
test imports this file and nothing here prints. The rules live in ``vapi_rules.py``.
"""

from pulumi_policy import EnforcementLevel, PolicyPack

from vapi_rules import PACK_NAME, POLICIES

PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=EnforcementLevel.MANDATORY)
