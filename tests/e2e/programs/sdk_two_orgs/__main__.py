"""Two orgs in one program through the SDK `pulumi_vapi`: an explicit `Provider` per org, a Vapi number
in one (Args form, typed nested inputs) and a bring-your-own number in the other (keyword form, dicts).

A Twilio number goes through the default provider (stack config `vapi:apiKey`, `vapi:baseUrl`).

Config (`vapi-e2e:` keys): `usUrl`, `usKey` (secret), `euUrl`, `euKey` (secret), `assistant`,
`trunkName`, `headerToken` (secret), `twilioToken` (secret), and optionally `lookupId`: a number to
read with `PhoneNumber.get` through the US provider. The program passes `mypy --strict`
(`tests/unit/test_sdk_typing.py`).
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

sales = vapi.TwilioPhoneNumber(
    "sales",
    vapi.TwilioPhoneNumberArgs(
        number="+14155550131",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=config.require_secret("twilioToken"),
        sms_enabled=False,
    ),
)

pulumi.export("main_id", main.id)
pulumi.export("main_server_url", main.server.apply(lambda server: None if server is None else server.url))
pulumi.export("main_number", main.number)
pulumi.export("main_status", main.status)
pulumi.export("trunk_id", trunk.id)
pulumi.export("trunk_name", trunk.name)
pulumi.export("sales_id", sales.id)

lookup = config.get("lookupId")
if lookup:
    found = vapi.PhoneNumber.get("found", lookup, opts=pulumi.ResourceOptions(provider=us))
    pulumi.export("found_number", found.number)
    pulumi.export("found_assistant", found.assistant_id)
