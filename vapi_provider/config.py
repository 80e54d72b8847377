"""Moved to `vapi_provider.stack_config`; this name is kept so that existing imports keep working."""

from __future__ import annotations

from .stack_config import CONFIG_KEY, ENTRY_KEYS, NumberConfigError, parse_numbers_config

__all__ = ["CONFIG_KEY", "ENTRY_KEYS", "NumberConfigError", "parse_numbers_config"]
