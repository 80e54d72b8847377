"""Keeps the user's pip settings out of the install of the plugin tarball's dependencies.

`scripts/build-plugin` puts this module and a `.pth` file that imports it into the site-packages of the
tarball's `venv/` (one per Python it builds for). Installing the plugin, the language host runs `python -m
venv venv`, then `venv/bin/python -m pip install --upgrade pip setuptools wheel` and `venv/bin/python -m pip
install -r requirements.txt` with the user's environment, and pip lets a `PIP_*` variable beat every config
file (`venv/pip.conf` included) and most options of a requirements file: `PIP_FIND_LINKS`, `PIP_USER`,
`PIP_TARGET`, `PIP_PREFIX`, `PIP_NO_BINARY`, `PIP_CONSTRAINT`, `PIP_DRY_RUN`, a `PIP_CONFIG_FILE` with bad
settings, ... each breaks the install, installs the plugin elsewhere or not at all, or sends it to an index.

So when this virtualenv's Python runs pip, it first drops every `PIP_*` variable and sets its own: no
index, the wheels shipped beside the virtualenv, and no config file at all (`PIP_CONFIG_FILE` set to the
null device makes pip skip the global, user and site files). Any other program this Python runs, the
plugin itself included, is left alone. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import MutableMapping, Sequence

__all__ = ["guard", "main", "runs_pip"]


def runs_pip(argv: Sequence[str]) -> bool:
    """Whether the command line `argv` (`sys.orig_argv`) runs pip: `python -m pip ...` or `bin/pip ...`."""
    args = list(argv[1:])
    while args and args[0].startswith("-") and args[0] not in ("-m", "-c", "-"):
        # Interpreter options (-u, -E, -W ignore, -X utf8, ...); -W and -X take the next argument.
        del args[: 2 if args[0] in ("-W", "-X") else 1]
    if args[:1] == ["-m"]:
        return args[1:2] in (["pip"], ["pip.__main__"])
    if args and args[0] not in ("-c", "-"):
        return re.fullmatch(r"pip(3(\.\d+)?)?", os.path.basename(args[0])) is not None
    return False


def guard(environ: MutableMapping[str, str], argv: Sequence[str], prefix: str) -> bool:
    """Replace the `PIP_*` variables of `environ` with the plugin's own when `argv` runs pip.

    `prefix` is the virtualenv (`sys.prefix`); the wheels are in `wheels/` beside it. Returns whether
    anything was changed.
    """
    if not runs_pip(argv):
        return False
    for name in [name for name in environ if name.startswith("PIP_")]:
        del environ[name]
    environ["PIP_CONFIG_FILE"] = os.devnull
    environ["PIP_NO_INDEX"] = "1"
    environ["PIP_FIND_LINKS"] = os.path.join(os.path.dirname(prefix), "wheels")
    environ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return True


def main() -> None:
    """What the `.pth` file runs at interpreter start: `guard` this process's own environment."""
    guard(os.environ, getattr(sys, "orig_argv", []), sys.prefix)
