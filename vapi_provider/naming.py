"""Autonames: `<prefix>-<7 random lowercase letters and digits>`, cut to fit Vapi's 40-character names."""

from __future__ import annotations

import hashlib
import random
import re
import string

from ._constants import AUTONAME_SUFFIX_LENGTH, NAME_MAX_LENGTH

__all__ = ["autoname", "autoname_pattern", "is_autoname"]

_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
_RANDOM = random.SystemRandom()


def _prefix(prefix: str) -> str:
    return prefix[: NAME_MAX_LENGTH - AUTONAME_SUFFIX_LENGTH - 1]


def autoname(prefix: str, seed: str | None = None) -> str:
    """`<prefix>-<7 lowercase letters and digits>`, the prefix cut so the whole fits 40 chars.

    With a `seed` the suffix is derived from it (SHA-256), so every `check` of the same resource gives
    the same name: the name `pulumi preview` shows is the name `pulumi up` applies, and a run after a
    failed create sends the same name again, which is how an in-doubt create is found. The resource's
    seed names its Pulumi organization, project, stack and resource name, so two stacks never share an
    autoname. Without a seed the suffix is random.
    """
    if seed is None:
        suffix = "".join(_RANDOM.choice(_SUFFIX_ALPHABET) for _ in range(AUTONAME_SUFFIX_LENGTH))
    else:
        value = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
        chars = []
        for _ in range(AUTONAME_SUFFIX_LENGTH):
            value, index = divmod(value, len(_SUFFIX_ALPHABET))
            chars.append(_SUFFIX_ALPHABET[index])
        suffix = "".join(chars)
    return f"{_prefix(prefix)}-{suffix}"


def autoname_pattern(prefix: str) -> re.Pattern[str]:
    """The names `autoname(prefix)` can produce (use with `fullmatch`)."""
    return re.compile(re.escape(_prefix(prefix)) + f"-[a-z0-9]{{{AUTONAME_SUFFIX_LENGTH}}}")


def is_autoname(name: object, prefix: str) -> bool:
    return isinstance(name, str) and autoname_pattern(prefix).fullmatch(name) is not None
