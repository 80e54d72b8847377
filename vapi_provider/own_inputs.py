"""Validation of the inputs that steer the provider and are never sent to Vapi (`allowRelease`, `adopt`,
`activationTimeoutSeconds`, `autonamePrefix`): the request models do not know them."""

from __future__ import annotations

import re
from typing import Any

from ._constants import MAX_ACTIVATION_TIMEOUT_SECONDS
from .check_failures import Problem
from .models import E164_PATTERN
from .unknowns import known

__all__ = ["UUID_PATTERN", "own_input_problems"]

UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def own_input_problems(props: dict[str, Any]) -> list[Problem]:
    problems = []
    value = props.get("allowRelease")
    if value is not None and known(value) and not isinstance(value, bool):
        problems.append(Problem("bool_type", ("allowRelease",), "allowRelease must be true or false"))
    value = props.get("adopt")
    if value is not None and known(value):
        ok = isinstance(value, str) and (
            UUID_PATTERN.match(value) or E164_PATTERN.match(value) or value.lower().startswith("sip:")
        )
        if not ok:
            problems.append(
                Problem(
                    "adopt_key",
                    ("adopt",),
                    "adopt must be an existing number's id (a UUID), its E.164 number (+14155550123) "
                    "or its sipUri (sip:name@sip.vapi.ai)",
                )
            )
    value = props.get("activationTimeoutSeconds")
    if value is not None and known(value):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= MAX_ACTIVATION_TIMEOUT_SECONDS
        ):
            problems.append(
                Problem(
                    "range",
                    ("activationTimeoutSeconds",),
                    f"activationTimeoutSeconds must be a number of seconds from 0 to "
                    f"{MAX_ACTIVATION_TIMEOUT_SECONDS:.0f}",
                )
            )
    value = props.get("autonamePrefix")
    if value is not None and known(value) and (not isinstance(value, str) or not value):
        problems.append(
            Problem("string_type", ("autonamePrefix",), "autonamePrefix must be a non-empty string")
        )
    return problems
