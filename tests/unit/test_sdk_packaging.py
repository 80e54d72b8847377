"""`pulumi_vapi` ships in the wheel, whole and typed, and needs nothing but the runtime dependencies."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.unit.test_packaging import RUNTIME, third_party_imports
from tools import sdkgen
from vapi_provider.native.schema import package_schema

ROOT = Path(__file__).resolve().parents[2]


def test_sdk_imports_only_pulumi():
    assert set(third_party_imports("pulumi_vapi")) == {"pulumi"} <= RUNTIME
    # The SDK talks to the engine only: it never imports the provider's code.
    for path in (ROOT / "pulumi_vapi").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 1 or node.module.split(".")[0] in {"__future__", "pulumi"} | set(
                    sys.stdlib_module_names
                ), (path.name, node.module)


def test_sdk_is_in_the_wheel_with_py_typed_and_the_generator_is_not(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("vapi_phone_numbers-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.removeprefix("pulumi_vapi/") for n in names if n.startswith("pulumi_vapi/"))
    assert shipped == sorted(sdkgen.generate(package_schema()))
    assert "pulumi_vapi/py.typed" in names
    assert not [n for n in names if n.startswith("tools/")]
