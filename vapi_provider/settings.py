"""Provider settings: the API key, base URL, poll interval and retry budget, from stack config or env vars.

Read once per provider process in `configure()`. A missing key is not an error here: previews that make
no API call (no-change previews, diffs computed locally, policy gates on pull requests from forks) need
no key. The first operation that calls Vapi raises `no_key_error()` instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    CONFIG_API_KEY,
    CONFIG_BASE_URL,
    CONFIG_IN_DOUBT_SETTLE,
    CONFIG_MAX_RETRIES,
    CONFIG_POLL_INTERVAL,
    DEFAULT_BASE_URL,
    DEFAULT_IN_DOUBT_SETTLE_SECONDS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL_SECONDS,
    IN_DOUBT_SETTLE_ENV,
    MAX_RETRIES_ENV,
    POLL_INTERVAL_ENV,
)
from .errors import VapiConfigError

__all__ = ["Settings", "no_key_error", "settings_from"]


@dataclass(frozen=True)
class Settings:
    """What `configure()` read. Immutable, so the host's worker threads can share it."""

    api_key: str = ""
    base_url: str = DEFAULT_BASE_URL
    poll_interval: float = DEFAULT_POLL_INTERVAL_SECONDS
    max_retries: int = DEFAULT_MAX_RETRIES
    in_doubt_settle: float = DEFAULT_IN_DOUBT_SETTLE_SECONDS

    def __repr__(self) -> str:  # never show the key
        return (
            f"Settings(base_url={self.base_url!r}, poll_interval={self.poll_interval!r}, "
            f"max_retries={self.max_retries!r}, in_doubt_settle={self.in_doubt_settle!r})"
        )


def _raw(config_get: Callable[[str], Any], key: str, env: str) -> Any:
    value = config_get(key)
    return os.environ.get(env) if value is None else value


def settings_from(config_get: Callable[[str], Any]) -> Settings:
    """Settings from stack config (`config_get("vapi:apiKey")`, ...), falling back to env vars.

    Raises `VapiConfigError` for a malformed value; a missing key is allowed (see the module docs).
    """
    api_key = config_get(CONFIG_API_KEY) or os.environ.get(API_KEY_ENV) or ""
    base_url = config_get(CONFIG_BASE_URL) or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    raw_poll = _raw(config_get, CONFIG_POLL_INTERVAL, POLL_INTERVAL_ENV)
    try:
        poll = DEFAULT_POLL_INTERVAL_SECONDS if raw_poll in (None, "") else float(raw_poll)
    except (TypeError, ValueError):
        raise VapiConfigError(
            f"{CONFIG_POLL_INTERVAL} / {POLL_INTERVAL_ENV} must be a number of seconds."
        ) from None
    if poll < 0:
        raise VapiConfigError(f"{CONFIG_POLL_INTERVAL} / {POLL_INTERVAL_ENV} must not be negative.")
    raw_retries = _raw(config_get, CONFIG_MAX_RETRIES, MAX_RETRIES_ENV)
    try:
        retries = DEFAULT_MAX_RETRIES if raw_retries in (None, "") else int(raw_retries)
    except (TypeError, ValueError):
        raise VapiConfigError(f"{CONFIG_MAX_RETRIES} / {MAX_RETRIES_ENV} must be a whole number.") from None
    if not 0 <= retries <= 20:
        raise VapiConfigError(f"{CONFIG_MAX_RETRIES} / {MAX_RETRIES_ENV} must be between 0 and 20.")
    raw_settle = _raw(config_get, CONFIG_IN_DOUBT_SETTLE, IN_DOUBT_SETTLE_ENV)
    try:
        settle = DEFAULT_IN_DOUBT_SETTLE_SECONDS if raw_settle in (None, "") else float(raw_settle)
    except (TypeError, ValueError):
        raise VapiConfigError(
            f"{CONFIG_IN_DOUBT_SETTLE} / {IN_DOUBT_SETTLE_ENV} must be a number of seconds."
        ) from None
    if settle < 0:
        raise VapiConfigError(f"{CONFIG_IN_DOUBT_SETTLE} / {IN_DOUBT_SETTLE_ENV} must not be negative.")
    base_url = str(base_url).rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise VapiConfigError(
            f"{CONFIG_BASE_URL} / {BASE_URL_ENV} must be an http(s) URL such as {DEFAULT_BASE_URL}."
        )
    return Settings(
        api_key=str(api_key),
        base_url=base_url,
        poll_interval=poll,
        max_retries=retries,
        in_doubt_settle=settle,
    )


def no_key_error() -> VapiConfigError:
    return VapiConfigError(
        f"No Vapi API key. Set it with `pulumi config set --secret {CONFIG_API_KEY} <private key>` "
        f"or export {API_KEY_ENV}."
    )
