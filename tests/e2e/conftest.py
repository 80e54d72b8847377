"""Fixtures for the end-to-end tests: the real engine, isolated stacks, the emulator on a real socket."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_harness import REPO_ROOT, PulumiStack, engine_dir, native_plugin_dir, native_plugin_yaml
from tests.e2e.fault_helpers import PROVIDERS, StackUnderTest
from vapi_emulator import DEMO_API_KEY, EmulatorConfig, RunningEmulator, serve_in_thread

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
    """Factory: make_stack(program_dir, **PulumiStack options) -> an initialised stack in tmp_path
    (`stack_class`: a subclass of PulumiStack to make, with its own options)."""
    made: list[PulumiStack] = []

    def factory(
        program: Path | str, stack_class: type[PulumiStack] = PulumiStack, **kwargs: Any
    ) -> PulumiStack:
        program_path = program if isinstance(program, Path) else PROGRAMS / program
        stack = stack_class(
            engine=engine, workdir=tmp_path / f"run{len(made)}", program=program_path, **kwargs
        )
        made.append(stack)
        return stack

    yield factory


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """A fresh emulator on a real loopback socket, numbers activating after 0.2 s."""
    with serve_in_thread(EmulatorConfig(activation_delay_seconds=0.2)) as running:
        yield running


@pytest.fixture
def project_stack(
    make_stack: Callable[..., PulumiStack], emulator: RunningEmulator
) -> Callable[..., PulumiStack]:
    """Factory: a stack of the project's own program (`__main__.py`) pointed at the emulator.

    project_stack(numbers) sets `vapi-phone-numbers:numbers` to the given map (plaintext, Vapi field
    names); `secrets` maps config paths to values set with `pulumi config set --secret --path`.
    """

    def factory(
        numbers: dict[str, Any] | None = None, secrets: dict[str, str] | None = None, **kwargs: Any
    ) -> PulumiStack:
        stack = make_stack(
            REPO_ROOT / "__main__.py",
            project="vapi-phone-numbers",
            config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
            secret_config={"vapi:apiKey": DEMO_API_KEY},
            **kwargs,
        )
        if numbers is not None:
            stack.set_config_object("vapi-phone-numbers:numbers", numbers)
        for path, value in (secrets or {}).items():
            stack.set_secret_path(path, value)
        return stack

    return factory


@pytest.fixture(params=list(PROVIDERS))
def numbers_stack(
    request: pytest.FixtureRequest,
    make_stack: Callable[..., PulumiStack],
    emulator: RunningEmulator,
    tmp_path: Path,
) -> Callable[..., StackUnderTest]:
    """Factory, once per provider (ids `dynamic`, `native`): a stack that declares the numbers of
    `vapi-phone-numbers:numbers`, pointed at the emulator, with the signature of `project_stack`.

    `dynamic` runs the project's own program (`__main__.py`); `native` its twin
    (`programs/native_config`) through the `vapi` plugin. The stack knows its provider's type tokens
    (`stack.tokens`, `stack.resources_of_kind(kind)`) and own state keys (`stack.own_keys`); see
    `fault_helpers`."""
    provider = PROVIDERS[request.param]
    plugin = native_plugin_dir(tmp_path) if provider.name == "native" else None

    def factory(
        numbers: dict[str, Any] | None = None, secrets: dict[str, str] | None = None, **kwargs: Any
    ) -> StackUnderTest:
        program = REPO_ROOT / "__main__.py"
        if plugin is not None:
            program = PROGRAMS / "native_config"
            kwargs["project_yaml_extra"] = native_plugin_yaml(plugin)
        stack = make_stack(
            program,
            stack_class=StackUnderTest,
            provider=provider,
            project="vapi-phone-numbers",
            config={"vapi:baseUrl": emulator.url, "vapi:pollIntervalSeconds": "0.05"},
            secret_config={"vapi:apiKey": DEMO_API_KEY},
            **kwargs,
        )
        assert isinstance(stack, StackUnderTest)
        if numbers is not None:
            stack.set_numbers(numbers)
        for path, value in (secrets or {}).items():
            stack.set_secret_path(path, value)
        return stack

    return factory
