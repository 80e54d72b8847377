"""One Vapi-issued number through whatever `vapi` provider plugin the engine finds: this program's
Pulumi.yaml names none, so it is the one `pulumi plugin install` put in $PULUMI_HOME/plugins.

Config: `vapi-e2e:areaCode`. Used by tests/e2e/test_plugin_install.py only.
"""

import pulumi

config = pulumi.Config()
props = {"numberDesiredAreaCode": config.require("areaCode")}
for out in ("number", "status", "sipUri", "orgId", "server", "name"):
    props.setdefault(out, None)
number = pulumi.CustomResource("vapi:index:PhoneNumber", "front-desk", props)
pulumi.export("id", number.id)
pulumi.export("status", number.status)  # type: ignore[attr-defined]
