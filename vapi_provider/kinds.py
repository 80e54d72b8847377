"""Every type token of every kind of number, for both providers, and its property table (no Pulumi).

The dynamic resources' tokens (`pulumi-python:dynamic/vapi:VapiPhoneNumber`, ...) and the native
provider's (`vapi:index:PhoneNumber`, ...) name the same five kinds; whatever reads a stack's state
(`recover`, `orphans`) handles both through this one map.
"""

from __future__ import annotations

from typing import Final

from ._constants import PHONE_NUMBER_TYPES
from .native.tokens import TABLE_BY_TOKEN
from .properties import TABLE_BY_PROVIDER, ResourceTable

__all__ = ["DYNAMIC_TABLE_BY_TYPE", "NATIVE_TABLE_BY_TYPE", "TABLE_BY_TYPE"]

DYNAMIC_TABLE_BY_TYPE: Final[dict[str, ResourceTable]] = {
    PHONE_NUMBER_TYPES[provider]: table for provider, table in TABLE_BY_PROVIDER.items()
}
"""The dynamic resources' type tokens -> their tables."""
NATIVE_TABLE_BY_TYPE: Final[dict[str, ResourceTable]] = dict(TABLE_BY_TOKEN)
"""The native provider's resource tokens -> their tables."""
TABLE_BY_TYPE: Final[dict[str, ResourceTable]] = {**DYNAMIC_TABLE_BY_TYPE, **NATIVE_TABLE_BY_TYPE}
"""Every phone-number type token, dynamic and native -> its table."""
