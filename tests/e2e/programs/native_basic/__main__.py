"""Numbers through the native `vapi` provider, declared with `pulumi.CustomResource` and its tokens.

Config (`vapi-e2e:` keys): `numbers`, a map resource name -> {type token suffix `kind`, inputs}, so that
one program serves every lifecycle test.
"""

import pulumi

config = pulumi.Config()
numbers = config.get_object("numbers") or {}
for name, spec in numbers.items():
    spec = dict(spec)
    kind = spec.pop("kind", "PhoneNumber")
    secrets = spec.pop("secretInputs", {}) or {}
    props = {**spec, **{k: pulumi.Output.secret(v) for k, v in secrets.items()}}
    for out in ("number", "status", "sipUri", "orgId", "server", "name"):
        props.setdefault(out, None)
    res = pulumi.CustomResource(f"vapi:index:{kind}", name, props)
    pulumi.export(f"{name}_id", res.id)
    pulumi.export(f"{name}_name", res.name)  # type: ignore[attr-defined]
