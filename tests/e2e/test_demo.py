"""scripts/demo, the README's first command, run as a user runs it, with the stack's port already taken."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_harness import REPO_ROOT

DEV_STACK = REPO_ROOT / "stacks" / "Pulumi.dev.yaml"


def _stack_port() -> int:
    pattern = r"^\s*vapi:baseUrl:\s*\"?http://127\.0\.0\.1:(\d+)"
    match = re.search(pattern, DEV_STACK.read_text(), re.MULTILINE)
    assert match, "stacks/Pulumi.dev.yaml names no http://127.0.0.1:PORT vapi:baseUrl"
    return int(match.group(1))


@pytest.fixture
def busy_stack_port() -> Iterator[int]:
    """The dev stack's emulator port, held by a listener of ours (or already held by someone else)."""
    port = _stack_port()
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind(("127.0.0.1", port))
        holder.listen()
    except OSError:
        pass  # taken already: just as busy for the demo
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(OSError):
            probe.bind(("127.0.0.1", port))
        probe.close()
        yield port
    finally:
        holder.close()


def _run_demo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "VAPI_"))}
    env.update(
        PULUMI_BACKEND_URL=f"file://{tmp_path / 'state'}",
        PULUMI_HOME=str(tmp_path / "home"),
        VAPI_DEMO_DIR=str(tmp_path / "demo"),
    )
    (tmp_path / "state").mkdir(exist_ok=True)
    return subprocess.run(
        [str(REPO_ROOT / "scripts" / "demo"), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_uses_a_free_port_when_the_stack_port_is_taken(tmp_path: Path, busy_stack_port: int) -> None:
    stack_config = DEV_STACK.read_bytes()

    first = _run_demo(tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"port {busy_stack_port} is in use" in first.stderr
    served = re.search(r"listening on http://127\.0\.0\.1:(\d+)", first.stderr)
    assert served and int(served.group(1)) != busy_stack_port, first.stderr
    assert "+ 4 created" in first.stdout, first.stdout  # the stack and its three numbers

    # Run again (another free port): the same numbers, nothing to change, the committed config untouched.
    second = _run_demo(tmp_path, "--expect-no-changes")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "unchanged" in second.stdout
    assert DEV_STACK.read_bytes() == stack_config
    assert (tmp_path / "demo" / "dev.json").is_file()
