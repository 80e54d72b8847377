"""Numbers declared through the native `vapi` provider by type token (no SDK needed), from stack config.

`vapi-e2e:numbers` maps a resource name to the number's inputs (the engine's camelCase keys), plus three
keys of this program: `kind` (the token's name, default `PhoneNumber`), `protect` and `importId` (the
`import` resource option: adopt that existing number). Exports `<name>_id` for each.
"""

import pulumi

config = pulumi.Config()
for name, spec in (config.get_object("numbers") or {}).items():
    inputs = dict(spec)
    kind = inputs.pop("kind", "PhoneNumber")
    protect = bool(inputs.pop("protect", False))
    import_id = inputs.pop("importId", None)
    number = pulumi.CustomResource(
        f"vapi:index:{kind}",
        name,
        inputs,
        opts=pulumi.ResourceOptions(protect=protect, import_=import_id),
    )
    pulumi.export(f"{name}_id", number.id)
