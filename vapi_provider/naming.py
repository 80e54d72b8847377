"""Autonames: `<prefix>-<7 random lowercase letters and digits>`, cut to fit Vapi's 40-character names."""

from __future__ import annotations

import hashlib
import json
import random
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from ._constants import AUTONAME_SUFFIX_LENGTH, NAME_MAX_LENGTH

__all__ = ["autoname", "autoname_pattern", "claim_name", "is_autoname", "is_derived_autoname"]

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


def claim_name(props: Mapping[str, Any], replace_keys: Sequence[str]) -> str | None:
    """The name a create is sent with (POST `/phone-number`): unique to this resource and this number.

    Every number is bought under its claim name, `<resource name>-<7 chars>` derived from the
    resource's seed and the values of its replacing keys (so a replacement's claim differs from the
    number it replaces), and renamed to its declared name or autoname once it can be recorded. Vapi
    does not keep names unique, so only a name that no other stack or resource sends proves that a
    number found after an interrupted create is this create's own; and since a finished create never
    keeps it, a number carrying it is always an interrupted create's (never, say, a number an earlier
    stack retained). The next create, `pulumi refresh` of an in-doubt record, `recover` and `orphans`
    look for it. Without a seed (a resource declared before seeds existed) an autoname is its own
    claim, and an explicit name has none (None); None too when a replacing value is not known as such
    (an encrypted value in a stack export).
    """
    prefix = props.get("autonamePrefix")
    seed = props.get("autonameSeed")
    if not isinstance(seed, str) or not seed:
        name = props.get("name")
        return name if isinstance(prefix, str) and is_autoname(name, prefix) else None
    values = [props.get(key) for key in replace_keys]
    if any(isinstance(value, dict) for value in values):
        # A replacing value read from a `pulumi stack export` that the program made secret: an encrypted
        # envelope, not the value the create hashed. The claim is unknown here (the provider, which sees
        # the value, still finds it).
        return None
    label = prefix if isinstance(prefix, str) and prefix else seed.rsplit("/", 1)[-1]
    generation = json.dumps(values, sort_keys=True, default=str)
    return autoname(label or "number", f"{seed}|claim|{generation}")


def is_derived_autoname(
    name: object, prefix: object, seed: object, generations: Sequence[str] = ("",)
) -> bool:
    """Whether `name` is the autoname the resource derives from its seed (of one of `generations`: "" for
    a first create, the old name for a replacement), not merely a name of the autoname's shape (an
    explicit name such as `support-primary` has it too). Without a seed, the shape is all there is."""
    if not isinstance(prefix, str) or not is_autoname(name, prefix):
        return False
    if not isinstance(seed, str) or not seed:
        return True
    return any(name == autoname(prefix, f"{seed}|{generation}") for generation in generations)
