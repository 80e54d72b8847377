"""The plugin tarball, installed the Pulumi way: `scripts/build-plugin` builds it once per session, `pulumi
plugin install resource vapi <version> --file <tarball>` installs it into the stack's own PULUMI_HOME (the
engine unpacks it and asks our Python language host to install its dependencies), and a program whose
Pulumi.yaml names no plugin creates a number in the emulator through it, and so does a YAML program.

No network at install time, proved rather than assumed: every PIP_* setting of the machine is removed and
pip's index is a server on a loopback socket that records each request it gets; it must get none. The
installed plugin runs from its own virtualenv: PYTHONPATH is empty, so nothing comes from this checkout.

The user's pip settings cannot break the install either: a second test installs with a hostile
environment (PIP_FIND_LINKS to an empty folder, the recording index as PIP_INDEX_URL and
PIP_EXTRA_INDEX_URL with PIP_NO_INDEX=0, PIP_USER, PIP_TARGET, PIP_PREFIX, PIP_NO_BINARY, PIP_REQUIRE_HASHES,
PIP_CONSTRAINT, PIP_DRY_RUN, a PIP_CONFIG_FILE and a user pip.conf with bad settings, ...); each of these
broke it, installed the plugin elsewhere, or asked an index, before the tarball carried its pip guard."""

from __future__ import annotations

import http.server
import importlib.metadata
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_harness import REPO_ROOT, PulumiStack
from vapi_emulator import DEMO_API_KEY, DEMO_ORG_ID, RunningEmulator

PROGRAM = Path(__file__).parent / "programs" / "installed_plugin"
VERSION = importlib.metadata.version("vapi-phone-numbers")
YAML_PROGRAM = """name: vapi-e2e
runtime: yaml
resources:
  desk:
    type: vapi:index:PhoneNumber
    properties:
      sipUri: sip:installed@sip.vapi.ai
"""


class RecordingIndex(http.server.ThreadingHTTPServer):
    """A package index on a loopback socket that answers 404 to everything and records what was asked."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                self.send_error(404)

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/simple"


@pytest.fixture(scope="session")
def plugin_tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tarball scripts/build-plugin builds (wheels come from its cache after the first build)."""
    dist = tmp_path_factory.mktemp("plugin-dist")
    env = {**os.environ, "PULUMI_PYTHON_CMD": sys.executable, "VAPI_PLUGIN_DIST": str(dist)}
    proc = subprocess.run(
        [str(REPO_ROOT / "scripts" / "build-plugin")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, f"scripts/build-plugin failed:\n{proc.stderr}"
    tarball = Path(proc.stdout.strip())
    assert tarball.parent == dist
    assert tarball.name.startswith(f"pulumi-resource-vapi-v{VERSION}-")
    return tarball


@pytest.fixture
def recording_index() -> Iterator[RecordingIndex]:
    index = RecordingIndex()
    thread = threading.Thread(target=index.serve_forever, daemon=True)
    thread.start()
    try:
        yield index
    finally:
        index.shutdown()
        index.server_close()
        thread.join()


def _install(stack: PulumiStack, tarball: Path, env: dict[str, str]) -> Path:
    """`pulumi plugin install` the tarball with `env`; returns the installed plugin's folder."""
    install = subprocess.run(
        ["pulumi", "plugin", "install", "resource", "vapi", VERSION, "--file", str(tarball)],
        cwd=stack.project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, f"plugin install failed:\n{install.stdout}\n{install.stderr}"
    installed = Path(env["PULUMI_HOME"]) / "plugins" / f"resource-vapi-v{VERSION}"
    assert (installed / "PulumiPlugin.yaml").is_file()
    site = list((installed / "venv" / "lib").glob("python3.*/site-packages/vapi_provider/native"))
    assert len(site) == 1, "vapi-phone-numbers is not installed in the plugin's virtualenv"
    return installed


def test_installed_plugin_creates_a_number(
    make_stack: Callable[..., PulumiStack],
    emulator: RunningEmulator,
    plugin_tarball: Path,
    recording_index: RecordingIndex,
    tmp_path: Path,
) -> None:
    stack = make_stack(
        PROGRAM,
        config={
            "vapi:baseUrl": emulator.url,
            "vapi:pollIntervalSeconds": "0.05",
            "vapi-e2e:areaCode": "415",
        },
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    assert "plugins:" not in (stack.project_dir / "Pulumi.yaml").read_text()
    env = {k: v for k, v in stack.env.items() if not k.startswith("PIP_")}
    env.update({"PIP_INDEX_URL": recording_index.url, "PYTHONPATH": ""})
    stack.env = env

    # Before the install the engine has no `vapi` provider to run the program with.
    before = stack.preview(check=False)
    assert before.returncode != 0
    assert "no resource plugin 'pulumi-resource-vapi' found" in before.stdout + before.stderr, before

    _install(stack, plugin_tarball, env)
    assert recording_index.requests == [], "pip asked the package index during the install"

    listed = subprocess.run(
        ["pulumi", "plugin", "ls"], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert any(line.split()[:3] == ["vapi", "resource", VERSION] for line in listed.stdout.splitlines())

    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stored["numberDesiredAreaCode"] == "415"
    assert stack.outputs() == {"id": stored["id"], "status": "active"}
    assert len(stack.resources("pulumi:providers:vapi")) == 1

    stack.destroy()
    assert emulator.numbers(DEMO_ORG_ID) == []

    # A YAML program with no plugin path finds the installed plugin too (the YAML host loads its schema).
    yaml_program = tmp_path / "yaml-program"
    yaml_program.mkdir()
    (yaml_program / "Pulumi.yaml").write_text(YAML_PROGRAM)
    yaml_stack = make_stack(
        yaml_program,
        config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
        secret_config={"vapi:apiKey": DEMO_API_KEY},
        extra_env={"PULUMI_HOME": env["PULUMI_HOME"]},
    )
    yaml_stack.env = {**env, "PULUMI_BACKEND_URL": yaml_stack.env["PULUMI_BACKEND_URL"]}
    yaml_stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stored["sipUri"] == "sip:installed@sip.vapi.ai"
    yaml_stack.destroy()
    assert emulator.numbers(DEMO_ORG_ID) == []
    assert recording_index.requests == []


def test_the_users_pip_settings_change_nothing_in_the_install(
    make_stack: Callable[..., PulumiStack],
    emulator: RunningEmulator,
    plugin_tarball: Path,
    recording_index: RecordingIndex,
    tmp_path: Path,
) -> None:
    stack = make_stack(
        PROGRAM,
        config={
            "vapi:baseUrl": emulator.url,
            "vapi:pollIntervalSeconds": "0.05",
            "vapi-e2e:areaCode": "415",
        },
        secret_config={"vapi:apiKey": DEMO_API_KEY},
    )
    empty = tmp_path / "empty-find-links"
    empty.mkdir()
    elsewhere = tmp_path / "elsewhere"
    bad = "\n".join(
        [
            "[global]",
            f"index-url = {recording_index.url}",
            "no-index = false",
            "find-links = " + str(empty),
            "[install]",
            "user = true",
            f"target = {elsewhere / 'config-target'}",
            "no-binary = :all:",
            "",
        ]
    )
    (tmp_path / "bad-pip.conf").write_text(bad)
    (tmp_path / "xdg" / "pip").mkdir(parents=True)
    (tmp_path / "xdg" / "pip" / "pip.conf").write_text(bad)  # the user's own config file
    (tmp_path / "constraints.txt").write_text("vapi-phone-numbers==0.0.0\nsetuptools==0.0.0\n")
    hostile = {
        "PIP_FIND_LINKS": str(empty),
        "PIP_INDEX_URL": recording_index.url,
        "PIP_EXTRA_INDEX_URL": recording_index.url + "-extra",
        "PIP_NO_INDEX": "0",
        "PIP_PROXY": recording_index.url.removesuffix("/simple"),
        "PIP_REQUIRE_VIRTUALENV": "1",
        "PIP_USER": "1",
        "PIP_TARGET": str(elsewhere / "target"),
        "PIP_PREFIX": str(elsewhere / "prefix"),
        "PIP_ROOT": str(elsewhere / "root"),
        "PIP_NO_BINARY": ":all:",
        "PIP_REQUIRE_HASHES": "1",
        "PIP_CONSTRAINT": str(tmp_path / "constraints.txt"),
        "PIP_DRY_RUN": "1",
        "PIP_NO_DEPS": "1",
        "PIP_IGNORE_INSTALLED": "1",
        "PIP_CONFIG_FILE": str(tmp_path / "bad-pip.conf"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
    }
    env = {k: v for k, v in stack.env.items() if not k.startswith("PIP_")}
    env.update({**hostile, "PYTHONPATH": ""})
    stack.env = env

    installed = _install(stack, plugin_tarball, env)
    assert recording_index.requests == [], "pip asked the package index during the install"
    assert not elsewhere.exists(), "pip installed something outside the plugin's virtualenv"
    guard = list((installed / "venv" / "lib").glob("python3.*/site-packages/_vapi_plugin_pip_guard.pth"))
    assert guard, "the tarball carries no pip guard for this Python"

    # The plugin then runs with the same environment: a number is created and destroyed.
    stack.up()
    [stored] = emulator.numbers(DEMO_ORG_ID)
    assert stack.outputs() == {"id": stored["id"], "status": "active"}
    stack.destroy()
    assert emulator.numbers(DEMO_ORG_ID) == []
    assert recording_index.requests == []
