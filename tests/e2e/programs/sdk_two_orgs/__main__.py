"""Two orgs in one program through the SDK `pulumi_vapi`: an explicit `Provider` per org, a Vapi number
in one (Args form, typed nested inputs) and a bring-your-own number in the other (keyword form, dicts).

Config (`vapi-e2e:` keys): `usUrl`, `usKey` (secret), `euUrl`, `euKey` (secret), `assistant`,
`trunkName`, `headerToken` (secret). The program passes `mypy --strict` (`tests/unit/test_sdk_typing.py`).
"""

import pulumi

import pulumi_vapi as vapi

config = pulumi.Config()

us = vapi.Provider(
    "us",
    api_key=config.require_secret("usKey"),
    base_url=config.require("usUrl"),
    poll_interval_seconds=0.05,
)
eu = vapi.Provider(
    "eu",
    vapi.ProviderArgs(api_key=config.require_secret("euKey"), base_url=config.require("euUrl")),
)

main = vapi.PhoneNumber(
    "main",
    vapi.PhoneNumberArgs(
        number_desired_area_code="415",
        assistant_id=config.require("assistant"),
        server=vapi.ServerArgs(
            url="https://hooks.example.com/vapi",
            timeout_seconds=15,
            headers={"X-Token": config.require_secret("headerToken")},
        ),
    ),
    pulumi.ResourceOptions(provider=us),
)

trunk = vapi.ByoPhoneNumber(
    "trunk",
    number="+442071838750",
    credential_id="cred-eu",
    name=config.require("trunkName"),
    fallback_destination={"type": "number", "number": "+14155550100"},
    opts=pulumi.ResourceOptions(provider=eu),
)

pulumi.export("main_id", main.id)
pulumi.export("main_number", main.number)
pulumi.export("main_status", main.status)
pulumi.export("trunk_id", trunk.id)
pulumi.export("trunk_name", trunk.name)
