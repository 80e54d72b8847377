"""Two Vapi orgs in one program: an explicit `vapi` provider per org, each with its own key and base URL.

Config (`vapi-e2e:` keys): `orgs` maps a provider name to its settings (`baseUrl`, `pollIntervalSeconds`);
each org's API key is the secret `<org>ApiKey`. `numbers` maps a resource name to `{org, ...inputs}`.
Exports `<name>_id` and `<name>_org` (the number's `orgId`).
"""

import pulumi

config = pulumi.Config()
providers = {
    org: pulumi.ProviderResource("vapi", org, {**settings, "apiKey": config.require_secret(f"{org}ApiKey")})
    for org, settings in (config.get_object("orgs") or {}).items()
}
for name, spec in (config.get_object("numbers") or {}).items():
    inputs = dict(spec)
    org = inputs.pop("org")
    number = pulumi.CustomResource(
        "vapi:index:PhoneNumber",
        name,
        {**inputs, "orgId": None},
        opts=pulumi.ResourceOptions(provider=providers[org]),
    )
    pulumi.export(f"{name}_id", number.id)
    pulumi.export(f"{name}_org", number.orgId)  # type: ignore[attr-defined]
