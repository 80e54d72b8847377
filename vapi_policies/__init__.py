"""The rules of the ``vapi-phone-numbers`` policy pack, shipped in the ``vapi-phone-numbers`` wheel.

Install with ``pip install "vapi-phone-numbers[policy]"`` (the extra adds ``pulumi-policy``). A pack folder
then needs only a ``PulumiPolicy.yaml`` and a ``__main__.py`` that calls :func:`serve`; see
``docs/policies.md``. :func:`check_policy_config` checks a policy config against this pack's policies.
"""

from __future__ import annotations

from vapi_policies.config_check import check_policy_config, check_policy_config_file
from vapi_policies.pack import serve
from vapi_policies.rules import (
    DYNAMIC_NUMBER_TYPES,
    FALLBACK_E164,
    HAS_DESTINATION,
    NATIVE_NUMBER_TYPES,
    NATIVE_PHONE_NUMBER_TYPE,
    PACK_NAME,
    PHONE_NUMBER_TYPE,
    POLICIES,
    PRODUCTION_PROTECTED,
    SINGLE_TARGET,
    SIP_AUTHENTICATED,
    UNIQUE_NUMBERS,
    VAPI_NUMBER_TYPES,
    WEBHOOK_HTTPS,
    WIRE_TO_PYTHON_NAMES,
    is_vapi_number,
    number_kind,
)

__all__ = [
    "DYNAMIC_NUMBER_TYPES",
    "FALLBACK_E164",
    "HAS_DESTINATION",
    "NATIVE_NUMBER_TYPES",
    "NATIVE_PHONE_NUMBER_TYPE",
    "PACK_NAME",
    "PHONE_NUMBER_TYPE",
    "POLICIES",
    "PRODUCTION_PROTECTED",
    "SINGLE_TARGET",
    "SIP_AUTHENTICATED",
    "UNIQUE_NUMBERS",
    "VAPI_NUMBER_TYPES",
    "WEBHOOK_HTTPS",
    "WIRE_TO_PYTHON_NAMES",
    "check_policy_config",
    "check_policy_config_file",
    "is_vapi_number",
    "number_kind",
    "serve",
]
