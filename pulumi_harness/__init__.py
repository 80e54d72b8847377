"""Drive the real `pulumi` CLI in isolation: its own PULUMI_HOME, a file backend, a passphrase, no network.

Every run gets a fresh project folder (a copy of a program plus a generated Pulumi.yaml), a temporary
`file://` backend and a temporary PULUMI_HOME, so runs cannot see each other's stacks or plugins.

Shared by the end-to-end tests (`tests/e2e`) and the benchmarks (`benchmarks/`); it lives at the
repository root, outside both, and is not part of the installed package.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML ships no type information

REPO_ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "e2e-test-passphrase"

__all__ = [
    "PASSPHRASE",
    "REPO_ROOT",
    "PulumiError",
    "PulumiStack",
    "engine_dir",
    "isolated_env",
    "native_plugin_dir",
    "native_plugin_yaml",
]


def native_plugin_dir(parent: Path, venv: Path | None = None) -> Path:
    """A copy of the native `vapi` plugin folder (`plugin/`) under `parent`, its PulumiPlugin.yaml naming
    `venv` (default: this interpreter's, `sys.prefix`), so the language host runs it with this checkout's
    packages. Reference it from a program with `native_plugin_yaml(dir)`."""
    target = parent / "vapi-plugin"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "plugin" / "__main__.py", target / "__main__.py")
    (target / "PulumiPlugin.yaml").write_text(
        "runtime:\n"
        "  name: python\n"
        "  options:\n"
        "    toolchain: pip\n"
        f"    virtualenv: {venv or Path(sys.prefix)}\n"
    )
    return target


def native_plugin_yaml(plugin_dir: Path) -> str:
    """The Pulumi.yaml lines that make a program use the plugin at `plugin_dir` as its `vapi` provider
    (for `PulumiStack(project_yaml_extra=...)`)."""
    return f"plugins:\n  providers:\n    - name: vapi\n      path: {plugin_dir}\n"


class PulumiError(AssertionError):
    """A pulumi command exited non-zero when the test expected success."""


def engine_dir() -> Path:
    """The folder holding a supported `pulumi`: bootstraps (or reuses the cached build of) the engine.

    Fails, never skips: the end-to-end tests are part of the test command.
    """
    proc = subprocess.run(
        [str(REPO_ROOT / "scripts" / "bootstrap-engine")],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            "the Pulumi engine is not available and could not be built; the end-to-end tests need it.\n"
            f"scripts/bootstrap-engine said:\n{proc.stderr}"
        )
    return Path(proc.stdout.strip())


def isolated_env(engine: Path, workdir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for one isolated pulumi run: nothing from the user's ~/.pulumi, no Pulumi Cloud."""
    home = workdir / "pulumi-home"
    backend = workdir / "backend"
    home.mkdir(parents=True, exist_ok=True)
    backend.mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PULUMI_", "VAPI_")) and k not in ("PYTHONPATH",)
    }
    env.update(
        {
            "PATH": f"{engine}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "PULUMI_HOME": str(home),
            "PULUMI_BACKEND_URL": backend.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_PYTHON_CMD": sys.executable,
            # The project root on the path, so programs, providers and policy packs import vapi_provider
            # from this checkout even where the venv has no editable install.
            "PYTHONPATH": str(REPO_ROOT),
            "NO_COLOR": "1",
        }
    )
    if extra:
        env.update(extra)
    return env


def _descendants(root: int) -> list[int]:
    """Every process below `root`, read from /proc (children before the walk reaches their own children)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split after the last ')'.
        fields = text[text.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class PulumiStack:
    """One stack of one program, run with the real CLI."""

    engine: Path
    workdir: Path
    program: Path
    stack: str = "test"
    project: str = "vapi-e2e"
    extra_env: dict[str, str] = field(default_factory=dict)
    config: dict[str, str] = field(default_factory=dict)
    secret_config: dict[str, str] = field(default_factory=dict)
    project_yaml_extra: str = ""

    def __post_init__(self) -> None:
        self.project_dir = self.workdir / "project"
        if self.project_dir.exists():
            shutil.rmtree(self.project_dir)
        if self.program.is_file():
            # A single program file (the project's own __main__.py) becomes the project's entry point.
            self.project_dir.mkdir(parents=True)
            shutil.copy(self.program, self.project_dir / "__main__.py")
        else:
            shutil.copytree(self.program, self.project_dir, ignore=shutil.ignore_patterns("__pycache__"))
        pulumi_yaml = self.project_dir / "Pulumi.yaml"
        if not pulumi_yaml.exists():
            pulumi_yaml.write_text(
                f"name: {self.project}\n"
                "runtime:\n"
                "  name: python\n"
                "  options:\n"
                "    toolchain: pip\n"
                f"    virtualenv: {Path(sys.prefix)}\n" + self.project_yaml_extra
            )
        self.env = isolated_env(self.engine, self.workdir, self.extra_env)
        self.run("stack", "init", self.stack)
        for key, value in self.config.items():
            self.run("config", "set", key, value)
        for key, value in self.secret_config.items():
            self.run("config", "set", "--secret", key, value)

    def run(
        self,
        *args: str,
        check: bool = True,
        timeout: float = 600,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run `pulumi ARGS --non-interactive` in the project; raise PulumiError on failure when check."""
        cmd = ["pulumi", *args, "--non-interactive"]
        if args and args[0] not in ("stack", "config", "version", "policy"):
            cmd += ["--stack", self.stack]
        run_env = dict(self.env)
        if env:
            run_env.update(env)
        proc = subprocess.run(
            cmd,
            cwd=self.project_dir,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            input=stdin,
        )
        if check and proc.returncode != 0:
            raise PulumiError(
                f"`{' '.join(cmd)}` exited {proc.returncode}\n"
                f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
            )
        return proc

    @property
    def stack_file(self) -> Path:
        return self.project_dir / f"Pulumi.{self.stack}.yaml"

    def set_config_object(self, key: str, value: Any) -> None:
        """Set a structured (plaintext) config value by editing the stack's config file."""
        data: dict[str, Any] = {}
        if self.stack_file.exists():
            data = yaml.safe_load(self.stack_file.read_text()) or {}
        data.setdefault("config", {})[key] = value
        self.stack_file.write_text(yaml.safe_dump(data, sort_keys=False))

    def set_secret_path(self, path: str, value: str) -> None:
        """`pulumi config set --secret --path PATH VALUE` (the value goes in on stdin, not argv)."""
        self.run("config", "set", "--secret", "--path", path, stdin=value)

    def up(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", *args, check=check)

    def preview(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("preview", *args, check=check)

    def refresh(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("refresh", "--yes", "--skip-preview", *args, check=check)

    def destroy(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "--yes", "--skip-preview", *args, check=check)

    def export(self) -> dict[str, Any]:
        """`pulumi stack export` as JSON (secrets stay encrypted)."""
        out = self.run("stack", "export", "--stack", self.stack).stdout
        result: dict[str, Any] = json.loads(out)
        return result

    def outputs(self) -> dict[str, Any]:
        out = self.run("stack", "output", "--json", "--show-secrets", "--stack", self.stack).stdout
        result: dict[str, Any] = json.loads(out)
        return result

    def resources(self, type_token: str | None = None) -> list[dict[str, Any]]:
        resources: list[dict[str, Any]] = self.export()["deployment"].get("resources") or []
        if type_token is not None:
            resources = [r for r in resources if r["type"] == type_token]
        return resources

    def up_killed_when(self, condition: Callable[[], bool], delay: float = 0.0, timeout: float = 120) -> None:
        """Start `pulumi up --skip-preview`, and SIGKILL its whole process group (the CLI, the language
        host, the program and the provider) `delay` seconds after `condition()` first holds. Requests
        already on the wire still complete at the server, as they would at Vapi: wait a second for them."""
        cmd = ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--stack", self.stack]
        proc = subprocess.Popen(
            cmd,
            cwd=self.project_dir,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not condition():
            assert proc.poll() is None, "pulumi up ended before it could be killed"
            assert time.monotonic() < deadline, "the moment to kill never came"
            time.sleep(0.02)
        time.sleep(delay)
        # The engine starts each plugin in a process group of its own, so killing the CLI's group alone
        # would leave the provider running (and leaked past the test). Kill every descendant too, as a lost
        # machine would.
        doomed = _descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)
        for pid in doomed:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
        time.sleep(1.0)

    def release_after_kill(self) -> None:
        """Step 1 of the documented recovery (docs/provider.md). With a file backend, first remove any
        metadata sidecar the kill truncated to zero bytes (the checkpoint itself is written atomically, its
        `.attrs` sidecar is not): every command that loads the checkpoint, `pulumi cancel` included, fails
        with "failed to load checkpoint: EOF" until it is gone. Then release the killed run's lock."""
        for attrs in (self.workdir / "backend").rglob("*.attrs"):
            if attrs.stat().st_size == 0:
                attrs.unlink()
        self.run("cancel", "--yes")

    def backend_bytes(self) -> bytes:
        """Every file of the backend and PULUMI_HOME, concatenated (for secret scans)."""
        chunks = []
        for base in (self.workdir / "backend", self.workdir / "pulumi-home"):
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    chunks.append(path.read_bytes())
        return b"\n".join(chunks)
