"""The packaging is true to the code: every import is declared where it is needed, pins respect the floors.

Imports are read from the source with `ast` (including imports inside functions), so these tests hold in any
environment, including the lower-bounds one, without importing the modules they check.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]

# Import name -> distribution, where they differ.
DISTRIBUTION_OF = {"yaml": "pyyaml", "google": "protobuf", "grpc": "grpcio"}


def _python_files(*parts: str) -> list[Path]:
    files: list[Path] = []
    for part in parts:
        path = ROOT / part
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def _first_party() -> set[str]:
    """Our own top-level names: packages and every module stem (tests import siblings by name)."""
    names = {"vapi_provider", "vapi_emulator", "vapi_policies", "tests", "benchmarks", "policies"}
    for path in ROOT.rglob("*.py"):
        if not any(part.startswith(".") or part in {"build", "node_modules"} for part in path.parts):
            names.add(path.stem)
            if path.name == "__init__.py":
                names.add(path.parent.name)  # a package of ours (pulumi_harness, benchmarks/bench)
    return names


def third_party_imports(*parts: str) -> dict[str, set[str]]:
    """Distribution name -> the files that import it, for the files under `parts`."""
    first_party = _first_party()
    found: dict[str, set[str]] = {}
    for path in _python_files(*parts):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in first_party or top == "__future__":
                    continue
                distribution = canonicalize_name(DISTRIBUTION_OF.get(top, top))
                found.setdefault(distribution, set()).add(str(path.relative_to(ROOT)))
    return found


def _names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def _pins(path: Path) -> dict[str, str]:
    """name -> pinned version of a requirements file, following `-r` includes."""
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r"):
            pins.update(_pins(path.parent / line[2:].strip()))
        elif line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"{path.name}: {line!r} must be pinned with =="
            pins[canonicalize_name(requirement.name)] = spec.version
    return pins


RUNTIME = _names(PROJECT["dependencies"])
EXTRAS = {extra: _names(reqs) for extra, reqs in PROJECT["optional-dependencies"].items()}


def _undeclared(parts: tuple[str, ...], allowed: set[str]) -> dict[str, set[str]]:
    return {d: files for d, files in third_party_imports(*parts).items() if d not in allowed}


def test_packaging_provider_imports_only_the_runtime_dependencies() -> None:
    assert RUNTIME == {"pulumi", "pydantic", "httpx"}
    # Two parts of the runtime dependencies, imported directly: grpc for Pulumi's own engine protocol
    # (pulumi.runtime.proto needs it; pulumi requires it), and pydantic's core, for PydanticCustomError
    # (pydantic pins the exact pydantic-core it needs and re-exports no such name).
    parts = {"grpcio", "pydantic-core"}
    assert _undeclared(("vapi_provider", "__main__.py"), RUNTIME | parts) == {}


def test_packaging_emulator_imports_only_the_emulator_extra() -> None:
    assert _undeclared(("vapi_emulator",), EXTRAS["emulator"]) == {}
    # Declared only if used: an extra that nothing imports is dead weight for every user.
    assert set(third_party_imports("vapi_emulator")) == EXTRAS["emulator"]


def test_packaging_policy_pack_imports_only_the_policy_extra() -> None:
    assert _undeclared(("policies", "vapi_policies"), RUNTIME | EXTRAS["policy"]) == {}
    assert "pulumi-policy" in third_party_imports("vapi_policies")


def test_packaging_tests_and_benchmarks_import_only_declared_packages() -> None:
    dev = set(_pins(ROOT / "requirements-dev.txt"))
    # Packages that a declared dependency brings (tests check pulumi's own pickling and protobuf).
    brought = {canonicalize_name(Requirement(r).name) for r in metadata.requires("pulumi") or []}
    assert _undeclared(("tests", "benchmarks"), dev | brought) == {}


def test_packaging_requirement_files_pin_what_the_package_declares() -> None:
    assert set(_pins(ROOT / "requirements.txt")) == RUNTIME
    assert set(_pins(ROOT / "policies" / "requirements.txt")) == {"pulumi"} | EXTRAS["policy"]
    assert set(_pins(ROOT / "requirements-emulator.txt")) == EXTRAS["emulator"]
    # Installed into the extra interpreters' and the lower-bounds environments: no tools.
    # mypy is a test dependency: a unit test type-checks a program (tests/unit/test_inputs.py).
    assert not {"ruff", "matplotlib"} & set(_pins(ROOT / "requirements-test.txt"))


def test_packaging_pins_satisfy_the_declared_ranges() -> None:
    pins = _pins(ROOT / "requirements-dev.txt")
    for requirement in map(
        Requirement, PROJECT["dependencies"] + sum(PROJECT["optional-dependencies"].values(), [])
    ):
        pinned = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(pinned), (
            f"{requirement.name}=={pinned} is outside {requirement}"
        )


def test_packaging_metadata_license_pythons_and_scripts() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]  # the SPDX field says it
    versions = {c.rsplit(" ", 1)[1] for c in PROJECT["classifiers"] if re.fullmatch(r".*Python :: 3\.\d+", c)}
    assert versions == {"3.11", "3.12", "3.13"}
    assert PROJECT["requires-python"] == ">=3.11"
    assert PROJECT["scripts"]["vapi-phone-numbers"] == "vapi_provider.__main__:main"
    assert PROJECT["urls"]
    build_requires = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    assert [str(r.specifier) for r in build_requires if r.name == "setuptools"] == [">=77.0.3"]


def _packaging_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_packaging", ROOT / "scripts" / "_packaging.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_packaging_lower_bounds_pin_each_declared_floor() -> None:
    script = _packaging_script()
    pins = script.floor_pins(script.declared_requirements())
    declared = PROJECT["dependencies"] + sum(PROJECT["optional-dependencies"].values(), [])
    assert len(pins) == len(declared)
    for pin, requirement in zip(pins, map(Requirement, declared), strict=True):
        name, version = pin.split("==")
        assert name == requirement.name
        assert f">={version}" in str(requirement.specifier).split(",")


def test_packaging_lower_bounds_refuse_a_requirement_without_a_floor() -> None:
    script = _packaging_script()
    assert script.floor_pins(["httpx>=0.24.0,<0.29", "uvicorn[standard]>=0.22"]) == [
        "httpx==0.24.0",
        "uvicorn==0.22",
    ]
    for requirement in ("httpx", "httpx<0.29", "httpx==0.28.1"):
        with pytest.raises(SystemExit, match=re.escape(repr(requirement)) + ".*needs exactly one `>=` floor"):
            script.floor_pins([requirement])


def test_packaging_console_scripts_resolve_to_the_cli_entry_points() -> None:
    for name, target in PROJECT["scripts"].items():
        module_name, function = target.split(":")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, function)), f"{name} = {target} is not callable"
