"""Numbers through the native `vapi` provider, declared with `pulumi.CustomResource` and its tokens.

Config `vapi-e2e:numbers`: resource name -> inputs (Vapi's field names), plus `kind` (the token's
name, default `PhoneNumber`), `provider` (a key of `vapi-e2e:providers`) and `importId` (the `import`
option). A string `secret:<key>` anywhere stands for the secret config value `vapi-e2e:<key>`, so
secrets never sit in plaintext config; `env:<NAME>` stands for an environment variable, passed as a
plain value; `output:<value>` stands for `<value>` as an `Output` (the result of an `apply`). Config
`vapi-e2e:providers`: provider name -> its arguments (`baseUrl`, `apiKey: "secret:<key>"`, ...): explicit
`vapi` providers.
"""

import os
from typing import Any

import pulumi

config = pulumi.Config()


def resolve(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("secret:"):
        return config.require_secret(value.removeprefix("secret:"))
    if isinstance(value, str) and value.startswith("env:"):  # a plain (not secret) value from the environment
        return os.environ[value.removeprefix("env:")]
    if isinstance(value, str) and value.startswith("output:"):
        return pulumi.Output.from_input(value.removeprefix("output:")).apply(lambda v: v)
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value


providers = {
    name: pulumi.ProviderResource("vapi", name, resolve(args))
    for name, args in (config.get_object("providers") or {}).items()
}

for name, spec in (config.get_object("numbers") or {}).items():
    props = resolve(dict(spec))
    kind = props.pop("kind", "PhoneNumber")
    provider = providers.get(props.pop("provider", ""))
    import_id = props.pop("importId", None)
    for out in ("number", "status", "orgId", "name"):
        props.setdefault(out, None)
    res = pulumi.CustomResource(
        f"vapi:index:{kind}", name, props, opts=pulumi.ResourceOptions(provider=provider, import_=import_id)
    )
    pulumi.export(f"{name}_id", res.id)
    pulumi.export(f"{name}_name", res.name)  # type: ignore[attr-defined]
    pulumi.export(f"{name}_org", res.orgId)  # type: ignore[attr-defined]
