"""Policy scenario `unknown-target`: the assistant id is another resource's output, unknown during preview.

`vapi-number-has-destination` tests presence, so the number passes during preview although its
assistantId has no value yet.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi.dynamic

from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs


class _PlaceholderAssistantProvider(pulumi.dynamic.ResourceProvider):
    """Creates nothing; returns an assistant id that exists only after create."""

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        return pulumi.dynamic.CreateResult(
            id_="placeholder-assistant", outs={"assistant_id": "asst-placeholder-0001"}
        )

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class PlaceholderAssistant(pulumi.dynamic.Resource):
    """A stand-in for an assistant resource whose id is only known after it is created."""

    assistant_id: pulumi.Output[str]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        # A None input is not sent, so during preview the output is unknown.
        super().__init__(_PlaceholderAssistantProvider(), name, {"assistant_id": None}, opts)


assistant = PlaceholderAssistant("assistant")

VapiPhoneNumber(
    "unknown-target-line",
    VapiPhoneNumberArgs(
        name="Unknown target", number_desired_area_code="415", assistant_id=assistant.assistant_id
    ),
)
