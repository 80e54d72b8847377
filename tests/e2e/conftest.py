"""Fixtures for the end-to-end tests: the real engine, isolated stacks, the emulator on a real socket."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import PulumiStack, engine_dir

PROGRAMS = Path(__file__).parent / "programs"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def engine() -> Path:
    """The folder of a supported `pulumi`; fails the run (never skips) when there is none."""
    try:
        return engine_dir()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)


@pytest.fixture
def make_stack(engine: Path, tmp_path: Path) -> Iterator[Callable[..., PulumiStack]]:
    """Factory: make_stack(program_dir, **PulumiStack options) -> an initialised stack in tmp_path."""
    made: list[PulumiStack] = []

    def factory(program: Path | str, **kwargs: Any) -> PulumiStack:
        program_path = program if isinstance(program, Path) else PROGRAMS / program
        stack = PulumiStack(
            engine=engine, workdir=tmp_path / f"run{len(made)}", program=program_path, **kwargs
        )
        made.append(stack)
        return stack

    yield factory
