"""The plugin tarball's pip guard (`plugin/_vapi_plugin_pip_guard.py`): it replaces the user's `PIP_*`
variables with the plugin's own when, and only when, the virtualenv's Python runs pip."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

PATH = Path(__file__).resolve().parents[2] / "plugin" / "_vapi_plugin_pip_guard.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_vapi_plugin_pip_guard_under_test", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


guard_module = _load()


@pytest.mark.parametrize(
    "argv",
    [
        ["/p/venv/bin/python", "-m", "pip", "install", "-r", "requirements.txt"],
        ["/p/venv/bin/python", "-W", "ignore", "-u", "-m", "pip", "install", "--upgrade", "pip"],
        ["/p/venv/bin/python", "/p/venv/bin/pip", "install", "x"],
        ["/p/venv/bin/python", "/p/venv/bin/pip3.12", "install", "x"],
    ],
)
def test_guard_runs_pip(argv):
    assert guard_module.runs_pip(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["/p/venv/bin/python"],
        ["/p/venv/bin/python", "/p/plugin", "127.0.0.1:1234"],  # the plugin itself
        ["/p/venv/bin/python", "-m", "ensurepip", "--upgrade"],
        ["/p/venv/bin/python", "-c", "import pip"],
        ["/p/venv/bin/python", "/p/venv/bin/pipx"],
    ],
)
def test_guard_leaves_other_programs_alone(argv):
    environ = {"PIP_USER": "1", "HOME": "/h"}
    assert guard_module.guard(environ, argv, "/p/venv") is False
    assert environ == {"PIP_USER": "1", "HOME": "/h"}


def test_guard_replaces_every_pip_variable_with_the_plugins_own():
    environ = {
        "PIP_FIND_LINKS": "/empty",
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_NO_INDEX": "0",
        "PIP_USER": "1",
        "PIP_CONFIG_FILE": "/bad.conf",
        "PIP_TARGET": "/elsewhere",
        "HOME": "/h",
        "PATH": "/p/venv/bin:/usr/bin",
    }
    assert guard_module.guard(environ, ["/p/venv/bin/python", "-m", "pip", "install"], "/p/venv")
    assert environ == {
        "HOME": "/h",
        "PATH": "/p/venv/bin:/usr/bin",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": os.path.join("/p", "wheels"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
