"""The pack as a consuming repository uses it: the wheel installed in a fresh venv, a pack folder of its own.

Nothing of this checkout is on the path: the wheel is built with `pip wheel --no-deps .`, installed with
its `[policy]` extra into a new venv (dependencies from PyPI, pinned by requirements.txt), and a project
and a pack folder in a temporary directory name that venv in their `runtime.options.virtualenv`. No
PULUMI_PYTHON_CMD, no PYTHONPATH, and the python3 on PATH cannot import the rules.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from pulumi_harness import REPO_ROOT, isolated_env
from vapi_emulator import DEMO_API_KEY, RunningEmulator

TYPE = "pulumi-python:dynamic/vapi:VapiPhoneNumber"
PROGRAM = """\
from vapi_provider import VapiPhoneNumber, VapiPhoneNumberArgs

VapiPhoneNumber("lobby-line", VapiPhoneNumberArgs(name="Lobby", number_desired_area_code="415"))
VapiPhoneNumber(
    "desk-line",
    VapiPhoneNumberArgs(name="Desk", number_desired_area_code="415", assistant_id="a-1", squad_id="s-1"),
)
"""


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600, **kwargs)
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_a_consuming_repository_runs_the_installed_pack_with_its_own_config(
    engine: Path, tmp_path: Path, emulator: RunningEmulator
):
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(REPO_ROOT), "-w", str(wheels)])
    (wheel,) = wheels.glob("vapi_phone_numbers-*.whl")

    consumer = tmp_path / "consumer"
    venv = consumer / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{wheel}[policy]",
            "-c",
            str(REPO_ROOT / "requirements.txt"),
        ]
    )

    infra, pack = consumer / "infra", consumer / "vapi-policy"
    infra.mkdir()
    pack.mkdir()
    runtime = "runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: ../venv\n"
    (infra / "Pulumi.yaml").write_text("name: consumer-infra\n" + runtime)
    (infra / "__main__.py").write_text(PROGRAM)
    (pack / "PulumiPolicy.yaml").write_text("description: Our Vapi rules.\nversion: 2.3.4\n" + runtime)
    (pack / "__main__.py").write_text("import vapi_policies\n\nvapi_policies.serve()\n")
    config = pack / "policy-config.json"
    config.write_text(json.dumps({"all": "mandatory", "vapi-number-single-target": "advisory"}))

    env = isolated_env(engine, tmp_path / "pulumi")
    env.pop("PULUMI_PYTHON_CMD")
    env.pop("PYTHONPATH")
    env["PATH"] = os.pathsep.join([str(engine), "/usr/local/bin", "/usr/bin", "/bin"])
    python3 = shutil.which("python3", path=env["PATH"])
    if python3 is not None:  # whatever python3 PATH has, it is not the one with the rules
        probe = subprocess.run(
            [python3, "-c", "import vapi_policies"], capture_output=True, env=env, check=False
        )
        assert probe.returncode != 0

    def pulumi(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=infra,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if check:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    pulumi("stack", "init", "dev")
    pulumi("config", "set", "vapi:baseUrl", emulator.url)
    proc = pulumi(
        "preview",
        "--color",
        "never",
        "--policy-pack",
        str(pack),
        "--policy-pack-config",
        str(config),
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    # The CLI shortens long paths (/tmp/.../consumer/vapi-policy); the version is the pack folder's own.
    assert re.search(r"vapi-phone-numbers@v2\.3\.4 \(local: /\S*/vapi-policy\)", out), out
    assert f"[mandatory]  vapi-number-has-destination  ({TYPE}: lobby-line)" in out, out
    assert f"[advisory]  vapi-number-single-target  ({TYPE}: desk-line)" in out, out
    assert "error: preview failed" in out
    assert emulator.metrics()["total"] == 0
    assert not list(REPO_ROOT.glob("vapi-policy")), "nothing is written into the checkout"

    # The same scratch project runs `pulumi up` and `destroy` on nothing but the installed wheel, whose
    # venv holds only the runtime dependencies and the policy extra.
    pulumi("config", "set", "--secret", "vapi:apiKey", DEMO_API_KEY)
    pulumi("up", "--yes", "--skip-preview")
    assert len(emulator.numbers()) == 2
    pulumi("destroy", "--yes", "--skip-preview")
    assert emulator.numbers() == []
    listed = _run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"])
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert "vapi-phone-numbers" in installed
    assert not installed & {"starlette", "uvicorn", "pytest", "ruff", "mypy", "matplotlib"}
