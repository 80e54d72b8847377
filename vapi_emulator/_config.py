"""Configuration of the emulator: the public constants and `EmulatorConfig`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_ADMIN_TOKEN",
    "DEMO_API_KEY",
    "DEMO_ORG_ID",
    "LIVE_FIELDS",
    "MAX_BODY_BYTES",
    "SECRET_MASK",
    "EmulatorConfig",
]

DEMO_API_KEY = "vapi-emulator-demo-key"
"""The API key accepted when no keys are configured. It maps to `DEMO_ORG_ID`."""

DEMO_ORG_ID = "00000000-0000-4000-8000-00000000d3e0"
"""The org that `DEMO_API_KEY` belongs to."""

DEFAULT_ADMIN_TOKEN = "vapi-emulator-admin"
"""Default value of the `X-Admin-Token` header that guards `/__admin/`."""

MAX_BODY_BYTES = 1024 * 1024
"""Default largest request body (1 MiB, express body-parser's usual limit); larger bodies get 413."""

SECRET_MASK = "********************"
"""What a secret looks like in responses with `mask_secrets` (20 characters, so that a masked SIP password
still fits `SipAuthentication.password`'s 20-40)."""


@dataclass
class EmulatorConfig:
    """Everything that shapes one emulator instance.

    Fields in `LIVE_FIELDS` can be changed while it runs (`RunningEmulator.configure`,
    `POST /__admin/config`); the others are fixed at start.
    """

    api_keys: dict[str, str] = field(default_factory=dict)
    """API key -> org id. Empty means only `DEMO_API_KEY` (org `DEMO_ORG_ID`) is accepted."""
    data_file: Path | None = None
    """JSON file that holds the state across restarts; `None` keeps everything in memory."""
    activation_delay_seconds: float = 0.2
    """How long an area-code number stays `activating` before it is `active` with a `number`."""
    free_number_quota: int = 5
    """Area-code (free) Vapi numbers one org may hold at a time."""
    exhausted_area_codes: set[str] = field(default_factory=set)
    """Area codes for which no number is available (create gets a 400)."""
    latency_seconds: float = 0.0
    """Fixed delay added to every public API request."""
    latency_jitter_seconds: float = 0.0
    """Extra uniformly random delay in [0, jitter) added on top of `latency_seconds`."""
    rate_429: float = 0.0
    """Probability that a public API request is answered 429 (with `Retry-After`)."""
    rate_500: float = 0.0
    """Probability that a public API request is answered 500."""
    rate_503: float = 0.0
    """Probability that a public API request is answered 503."""
    retry_after_seconds: float = 1.0
    """Value of the `Retry-After` header on injected 429s."""
    drop_after_create_rate: float = 0.0
    """Probability that a successful create is stored and then the connection dropped (1.0 = always)."""
    fault_seed: int | None = None
    """Seed of the fault and latency random generator, for reproducible runs."""
    list_lag_seconds: float = 0.0
    """Lists (`GET /phone-number`, `GET /v2/phone-number`) leave out numbers created less than this many
    seconds ago, as an eventually consistent read replica would; `GET /phone-number/{id}` still finds them."""
    max_body_bytes: int = MAX_BODY_BYTES
    """Largest accepted request body; a larger one is answered 413 with the NestJS envelope."""
    mask_secrets: bool = False
    """Mask secrets in every public response (`authentication.password`, `twilioAuthToken`,
    `twilioApiSecret`, `server.headers` values) as `SECRET_MASK`. Off: returned as stored."""
    admin_token: str = DEFAULT_ADMIN_TOKEN
    """Value that the `X-Admin-Token` header must carry on `/__admin/` routes."""

    def with_changes(self, **changes: Any) -> EmulatorConfig:
        """Return a copy with the given live fields changed, after checking names and values.

        Raises `ValueError` for an unknown or fixed field, or an out-of-range value.
        """
        unknown = sorted(set(changes) - LIVE_FIELDS)
        if unknown:
            raise ValueError(f"unknown or fixed config field(s): {', '.join(unknown)}")
        normalised: dict[str, Any] = {}
        for name, value in changes.items():
            normalised[name] = _normalise(name, value)
        new = dataclasses.replace(self, **normalised)
        new.validate()
        return new

    def validate(self) -> None:
        """Raise `ValueError` when a value is out of range."""
        for name in ("rate_429", "rate_500", "rate_503", "drop_after_create_rate"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.rate_429 + self.rate_500 + self.rate_503 > 1.0:
            raise ValueError("rate_429 + rate_500 + rate_503 must not exceed 1")
        for name in (
            "latency_seconds",
            "latency_jitter_seconds",
            "activation_delay_seconds",
            "retry_after_seconds",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.list_lag_seconds < 0:
            raise ValueError("list_lag_seconds must not be negative")
        if self.free_number_quota < 0:
            raise ValueError("free_number_quota must not be negative")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        if not self.admin_token:
            raise ValueError("admin_token must not be empty")

    def live_view(self) -> dict[str, Any]:
        """The live fields as JSON-compatible values (what `GET /__admin/config` returns)."""
        out: dict[str, Any] = {}
        for name in sorted(LIVE_FIELDS):
            value = getattr(self, name)
            out[name] = sorted(value) if isinstance(value, set) else value
        return out


LIVE_FIELDS = frozenset(
    {
        "activation_delay_seconds",
        "free_number_quota",
        "exhausted_area_codes",
        "latency_seconds",
        "latency_jitter_seconds",
        "rate_429",
        "rate_500",
        "rate_503",
        "retry_after_seconds",
        "drop_after_create_rate",
        "fault_seed",
        "list_lag_seconds",
        "max_body_bytes",
        "mask_secrets",
    }
)

_INT_FIELDS = frozenset({"free_number_quota", "max_body_bytes"})
_FLOAT_FIELDS = frozenset(LIVE_FIELDS - _INT_FIELDS - {"exhausted_area_codes", "fault_seed", "mask_secrets"})


def _normalise(name: str, value: Any) -> Any:
    if name == "exhausted_area_codes":
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list | set | tuple | frozenset) or not all(
            isinstance(v, str) for v in value
        ):
            raise ValueError("exhausted_area_codes must be a list of strings")
        return {v.strip() for v in value}
    if name in _INT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an integer")
        return value
    if name == "mask_secrets":
        if not isinstance(value, bool):
            raise ValueError("mask_secrets must be true or false")
        return value
    if name == "fault_seed":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError("fault_seed must be an integer or null")
        return value
    if name in _FLOAT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name} must be a number")
        return float(value)
    return value  # pragma: no cover - every live field is handled above
