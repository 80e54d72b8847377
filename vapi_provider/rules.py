"""Format rules the provider checks before any API call, written to accept what Vapi accepts.

* **Webhook URLs** (`server.url`). Vapi refuses a URL that fails its is-URL check with "must be a valid
  URL. Hot tip, the protocol should be https://" (observed; NOTES on Vapi's API, §3.6). The rule here is
  the one the emulator applies: scheme `https` (in any case), no white space, a port from 0 to 65535 if
  any, and a host that is an IP address (v4 or v6) or a domain whose last label is a TLD (two or more
  letters, or an `xn--` label). User info (`user:pw@`) is allowed, as URL parsers allow it.
* **Webhook headers** (`server.headers`). Vapi documents them as a free-form map of strings. Vapi sends
  them as HTTP request headers to your server, so (our assumption, not a documented Vapi rule) a name must
  be an HTTP token (RFC 9110: letters, digits and ``!#$%&'*+-.^_`|~``), at most 256 characters, and a
  value must be at most 8,192 characters with no control characters (no CR or LF).
* **Request size.** The API refuses a request body over 1 MiB with 413 (the emulator's limit; Vapi's own
  limit is not published): `check` refuses inputs whose request body would be larger.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

__all__ = [
    "HEADER_NAME_MAX",
    "HEADER_VALUE_MAX",
    "MAX_BODY_BYTES",
    "header_name_problem",
    "header_value_problem",
    "is_https_url",
]

HEADER_NAME_MAX = 256
HEADER_VALUE_MAX = 8192
MAX_BODY_BYTES = 1024 * 1024

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)
_TLD = re.compile(r"^([a-z\u00a1-\uffff]{2,}|xn--[a-z0-9-]{2,})$", re.IGNORECASE)
_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def is_https_url(value: str) -> bool:
    """Whether Vapi accepts `value` as a webhook URL (see the module docs)."""
    if not value or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        return False
    if parts.scheme.lower() != "https" or not parts.hostname:
        return False
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not _TLD.match(labels[-1]):
        return False
    return all(_LABEL.match(label) for label in labels[:-1])


def header_name_problem(name: str) -> str | None:
    """Why `name` cannot be a webhook header name, or None."""
    if not _TOKEN.match(name):
        return "must be an HTTP header name: letters, digits and !#$%&'*+-.^_`|~ only (no spaces or colons)"
    if len(name) > HEADER_NAME_MAX:
        return f"must be at most {HEADER_NAME_MAX} characters"
    return None


def header_value_problem(value: str) -> str | None:
    """Why `value` cannot be a webhook header value, or None (the value itself is never quoted)."""
    if len(value) > HEADER_VALUE_MAX:
        return f"must be at most {HEADER_VALUE_MAX} characters (Vapi sends it as an HTTP header)"
    if _CONTROL.search(value):
        return "must not contain control characters such as a line break"
    return None
