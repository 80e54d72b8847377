"""Our language host (tools/engine/cmd/pulumi-language-python) with the real CLI: toolchains, type checkers.

Programs and policy packs run with `toolchain: uv` and `toolchain: poetry`; uv and poetry are kept off PATH,
so the host installs them from PyPI (once per test session, into a session folder), and the program, its
dynamic provider and the policy pack must each report the toolchain's environment as their `sys.prefix`.
`typechecker: mypy` and `typechecker: pyright` must fail a preview of a program with a type error and let a
clean one through. Every package comes from PyPI; uv, poetry and mypy keep their caches in the session folder,
so later tests reuse what the first one downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import PulumiStack

PROGRAMS = Path(__file__).parent / "programs"
TOOLCHAINS = PROGRAMS / "toolchains"
TYPECHECK = PROGRAMS / "typecheck"
HIDDEN_TOOLS = ("uv", "poetry")


@pytest.fixture(scope="session")
def toolchain_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's folder for installed tools and the uv, poetry and mypy caches."""
    return tmp_path_factory.mktemp("toolchains")


@pytest.fixture
def toolchain_env(engine: Path, toolchain_home: Path) -> dict[str, str]:
    """Extra environment for a stack: uv and poetry off PATH, tools and caches in the session folder."""
    path = [str(engine), str(Path(sys.executable).parent), *os.environ.get("PATH", "").split(os.pathsep)]
    path = [p for p in path if p and not any((Path(p) / tool).exists() for tool in HIDDEN_TOOLS)]
    return {
        "PATH": os.pathsep.join(path),
        "VAPI_PYTHON_TOOLS_DIR": str(toolchain_home / "tools"),
        "UV_CACHE_DIR": str(toolchain_home / "uv-cache"),
        "UV_NO_CONFIG": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        "POETRY_CACHE_DIR": str(toolchain_home / "poetry-cache"),
        "POETRY_CONFIG_DIR": str(toolchain_home / "poetry-config"),
        "POETRY_DATA_DIR": str(toolchain_home / "poetry-data"),
        "MYPY_CACHE_DIR": str(toolchain_home / "mypy-cache"),
        "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1",
        "PYRIGHT_PYTHON_CACHE_DIR": str(toolchain_home / "pyright-cache"),
    }


def _assemble(dest: Path, *sources: Path) -> Path:
    """A folder holding the files of every source, later ones winning; a single file becomes __main__.py."""
    dest.mkdir(parents=True)
    for source in sources:
        if source.is_file():
            shutil.copy(source, dest / "__main__.py")
            continue
        for path in sorted(source.iterdir()):
            if path.is_file():
                shutil.copy(path, dest / path.name)
    return dest


def _program(tmp_path: Path, toolchain: str) -> Path:
    return _assemble(tmp_path / f"src-{toolchain}", TOOLCHAINS / "program", TOOLCHAINS / toolchain)


def _pack(tmp_path: Path, toolchain: str) -> Path:
    pack = _assemble(tmp_path / f"pack-{toolchain}", TOOLCHAINS / "pack", TOOLCHAINS / toolchain)
    (pack / "Pulumi.yaml").unlink()
    return pack


def _installed_tool(toolchain_home: Path, tool: str) -> Path:
    """The tool the host installed: toolchain_home/tools/bin/<tool>, a link into its own environment."""
    link = toolchain_home / "tools" / "bin" / tool
    assert link.is_symlink(), f"the language host did not install {tool} into {link.parent}"
    target = link.resolve()
    assert target.is_relative_to(toolchain_home / "tools"), target
    assert (target.parents[1] / ".installed").is_file(), target
    return target


def _pulumi_install(stack: PulumiStack) -> subprocess.CompletedProcess[str]:
    """`pulumi install` in the stack's project (it takes no --stack, so not through PulumiStack.run)."""
    proc = subprocess.run(
        ["pulumi", "install", "--non-interactive"],
        cwd=stack.project_dir,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


# uv: the first `pulumi up` creates the environment; poetry: `pulumi install` does, before `pulumi up`.
@pytest.mark.parametrize(("toolchain", "install_first"), [("uv", False), ("poetry", True)])
def test_program_runs_in_the_toolchain_environment(
    make_stack: Callable[..., PulumiStack],
    toolchain_env: dict[str, str],
    toolchain_home: Path,
    tmp_path: Path,
    toolchain: str,
    install_first: bool,
):
    stack = make_stack(_program(tmp_path, toolchain), extra_env=toolchain_env)
    lock = stack.project_dir / ("uv.lock" if toolchain == "uv" else "poetry.lock")
    assert not lock.exists()
    if install_first:
        _pulumi_install(stack)
        assert lock.is_file()

    up = stack.up()
    assert "+ 2 created" in up.stdout, up.stdout + up.stderr
    _installed_tool(toolchain_home, toolchain)

    outputs = stack.outputs()
    program_prefix = Path(outputs["program_prefix"])
    if toolchain == "uv":
        assert program_prefix == stack.project_dir / ".venv"
    else:
        assert program_prefix.is_relative_to(toolchain_home / "poetry-cache" / "virtualenvs"), program_prefix
    assert (program_prefix / "pyvenv.cfg").is_file()
    assert program_prefix != Path(sys.prefix)
    # The dynamic provider is a separate process, started by the engine through our wrapper script.
    assert Path(outputs["provider_prefix"]) == program_prefix
    assert lock.is_file()

    second = stack.preview()
    assert "2 unchanged" in second.stdout, second.stdout + second.stderr
    stack.destroy()
    assert stack.resources() == []


@pytest.mark.parametrize("toolchain", ["uv", "poetry"])
def test_policy_pack_runs_in_the_toolchain_environment(
    make_stack: Callable[..., PulumiStack],
    toolchain_env: dict[str, str],
    toolchain_home: Path,
    tmp_path: Path,
    toolchain: str,
):
    pack = _pack(tmp_path, toolchain)
    # The program itself uses the pip toolchain and this test run's virtual environment.
    stack = make_stack(TOOLCHAINS / "program", extra_env=toolchain_env)

    proc = stack.preview("--policy-pack", str(pack))
    out = proc.stdout + proc.stderr
    assert "report-pack-python" in out, out
    prefix_lines = [line for line in out.splitlines() if "policy pack python: " in line]
    assert prefix_lines, out
    pack_prefix = Path(prefix_lines[0].split("policy pack python: ", 1)[1].strip())
    if toolchain == "uv":
        assert pack_prefix == pack / ".venv", out
    else:
        assert pack_prefix.is_relative_to(toolchain_home / "poetry-cache" / "virtualenvs"), out
    assert (pack_prefix / "pyvenv.cfg").is_file()
    _installed_tool(toolchain_home, toolchain)


def _typecheck_stack(
    make_stack: Callable[..., PulumiStack], tmp_path: Path, env: dict[str, str], checker: str, name: str
) -> PulumiStack:
    if checker == "mypy":
        # The pip toolchain with this test run's virtual environment, which has mypy.
        return make_stack(TYPECHECK / "clean.py", extra_env=env, project_yaml_extra="    typechecker: mypy\n")
    return make_stack(
        _assemble(tmp_path / name, TYPECHECK / "clean.py", TYPECHECK / "pyright"), extra_env=env
    )


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_typechecker_fails_a_preview_on_a_type_error(
    make_stack: Callable[..., PulumiStack],
    toolchain_env: dict[str, str],
    tmp_path: Path,
    checker: str,
):
    stack = _typecheck_stack(make_stack, tmp_path, toolchain_env, checker, "clean")
    clean = stack.preview()
    assert "+ 1 to create" in clean.stdout, clean.stdout + clean.stderr

    shutil.copy(TYPECHECK / "type_error.py", stack.project_dir / "__main__.py")
    failed = stack.preview(check=False)
    out = failed.stdout + failed.stderr
    assert failed.returncode != 0, out
    assert f"the type checker {checker} found problems in the program" in out, out
    assert "__main__.py:5" in out, out
    if checker == "mypy":
        assert "Incompatible types in assignment" in out, out
    else:
        assert 'Type "Literal[\'five\']" is not assignable to declared type "int"' in out, out

    # The same program without the option runs: the failure above came from the type checker alone.
    pulumi_yaml = stack.project_dir / "Pulumi.yaml"
    pulumi_yaml.write_text(pulumi_yaml.read_text().replace(f"    typechecker: {checker}\n", ""))
    unchecked = stack.preview()
    assert "+ 1 to create" in unchecked.stdout, unchecked.stdout + unchecked.stderr


def test_typechecker_not_installed_says_how_to_install_it(
    make_stack: Callable[..., PulumiStack], toolchain_env: dict[str, str], tmp_path: Path
):
    program = _program(tmp_path, "uv")
    pulumi_yaml = program / "Pulumi.yaml"
    pulumi_yaml.write_text(pulumi_yaml.read_text() + "    typechecker: mypy\n")
    stack = make_stack(program, extra_env=toolchain_env)

    proc = stack.preview(check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "runtime option typechecker is mypy, but mypy is not installed" in out, out
    assert f"uv add --dev 'mypy'` in {stack.project_dir}" in out, out


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "toolchain",
            "conda",
            'runtime option toolchain="conda" is not supported; set it to pip, uv or poetry',
        ),
        ("toolchain", "3", "runtime option toolchain must be a string (pip, uv or poetry), got 3"),
        (
            "typechecker",
            "pytype",
            'runtime option typechecker="pytype" is not supported; set it to mypy or pyright',
        ),
    ],
)
def test_unknown_runtime_option_values_are_refused(
    make_stack: Callable[..., PulumiStack], tmp_path: Path, option: str, value: str, message: str
):
    options = {"toolchain": "pip", "virtualenv": sys.prefix, option: value}
    program = _assemble(tmp_path / "src", TYPECHECK / "clean.py")
    (program / "Pulumi.yaml").write_text(
        "name: vapi-e2e\nruntime:\n  name: python\n  options:\n"
        + "".join(f"    {k}: {v}\n" for k, v in options.items())
    )
    stack = make_stack(program)

    proc = stack.preview(check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert message in out, out
