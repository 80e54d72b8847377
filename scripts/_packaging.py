"""Packaging checks for scripts/test (run with the project's .venv Python).

    python scripts/_packaging.py floors        print `name==floor` for every runtime dependency and extra
    python scripts/_packaging.py check-wheel   build the wheel; fail on a build warning or wrong metadata

`floors` reads pyproject.toml, so the lower-bounds run always installs exactly the declared minimums: a floor
raised or lowered there is the floor tested. Every dependency must have a `>=` floor.
"""

from __future__ import annotations

import email.parser
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
# Lines of a verbose `pip wheel` that mean the build configuration needs fixing.
_BAD_BUILD_LINE = re.compile(r"Deprecat|is deprecated|SetuptoolsWarning|configuration error", re.IGNORECASE)


def declared_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The runtime requirements and those of every extra, as written in pyproject.toml."""
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return requirements


def floor_pins(requirements: list[str]) -> list[str]:
    """`name==floor` for each requirement; a requirement without a `>=` floor is an error."""
    pins = []
    for requirement in requirements:
        match = _FLOOR.match(requirement)
        floors = re.findall(r">=\s*([0-9][^,;\s]*)", match.group(2)) if match else []
        if match is None or len(floors) != 1:
            raise SystemExit(
                f"pyproject.toml: requirement {requirement!r} needs exactly one `>=` floor "
                "(the lower-bounds run installs it), e.g. 'httpx>=0.24.0,<0.29'"
            )
        pins.append(f"{match.group(1)}=={floors[0]}")
    return pins


def check_wheel() -> int:
    """Build the wheel the way a user's pip does; report build warnings and wrong metadata."""
    problems: list[str] = []
    # setuptools leaves build/ in the tree and reuses it next time, so a module deleted since would still
    # be packed: start from none and leave none.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    with tempfile.TemporaryDirectory() as out:
        build = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--disable-pip-version-check"]
            + ["--quiet", "-w", out, str(ROOT)],
            capture_output=True,
            text=True,
            check=False,
        )
        output = build.stdout + build.stderr
        if build.returncode != 0:
            print(output, file=sys.stderr)
            problems.append(f"pip wheel exited with {build.returncode}")
        problems += [
            f"build output: {line.strip()}" for line in output.splitlines() if _BAD_BUILD_LINE.search(line)
        ]
        wheels = list(Path(out).glob("vapi_phone_numbers-*.whl"))
        if build.returncode == 0 and len(wheels) == 1:
            problems += _check_metadata(wheels[0])
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    for problem in problems:
        print(f"check-wheel: {problem}", file=sys.stderr)
    if not problems:
        print("check-wheel: wheel builds without warnings; license, classifiers, extras and scripts present")
    return 1 if problems else 0


def _check_metadata(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(info).decode())
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    problems = []
    expected = {
        "License-Expression": ["Apache-2.0"],
        "License-File": ["LICENSE"],
        "Provides-Extra": ["policy", "emulator"],
    }
    for field, values in expected.items():
        if sorted(metadata.get_all(field) or []) != sorted(values):
            problems.append(f"METADATA {field} is {metadata.get_all(field)}, expected {values}")
    classifiers = metadata.get_all("Classifier") or []
    for version in ("3.11", "3.12", "3.13"):
        if f"Programming Language :: Python :: {version}" not in classifiers:
            problems.append(f"METADATA lacks the Python {version} classifier")
    if not metadata.get_all("Project-URL"):
        problems.append("METADATA has no Project-URL")
    for script in (
        "vapi-phone-numbers = vapi_provider.__main__:main",
        "vapi-emulator = vapi_emulator.__main__:main",
    ):
        if script not in entry_points:
            problems.append(f"entry_points.txt lacks {script!r}")
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        problems.append("the wheel does not carry LICENSE")
    for data in ("vapi_provider/py.typed", "vapi_emulator/phone-number.openapi.json"):
        if data not in names:
            problems.append(f"the wheel lacks {data}")
    if any(n.startswith(("tests/", "benchmarks/", "policies/")) for n in names):
        problems.append("the wheel carries tests, benchmarks or policies")
    return problems


def main(argv: list[str]) -> int:
    if argv == ["floors"]:
        print("\n".join(floor_pins(declared_requirements())))
        return 0
    if argv == ["check-wheel"]:
        return check_wheel()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
