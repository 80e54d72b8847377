"""The public API of the package: `__all__` is sorted, complete, and names what the other teams use."""

from __future__ import annotations

import inspect

import vapi_emulator


def test_all_is_sorted_and_complete():
    public = {name for name in dir(vapi_emulator) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(vapi_emulator, name))}
    names = vapi_emulator.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    assert set(names) == public - modules - {"annotations"}


def test_the_agreed_names_exist():
    for name in (
        "DEMO_API_KEY",
        "DEMO_ORG_ID",
        "EmulatorConfig",
        "create_app",
        "serve_in_thread",
        "RunningEmulator",
    ):
        assert name in vapi_emulator.__all__


def test_running_emulator_methods():
    for method in (
        "metrics",
        "reset_metrics",
        "configure",
        "configure_faults",
        "fail_next",
        "fail_on",
        "fail_auth_from",
        "delay_on",
        "drop_on",
        "clear_faults",
        "faults",
        "numbers",
        "block",
        "stop",
        "reset",
    ):
        assert callable(getattr(vapi_emulator.RunningEmulator, method))
    assert hasattr(vapi_emulator.RunningEmulator, "__enter__")


def test_emulator_never_imports_the_provider():
    import ast
    import pathlib

    root = pathlib.Path(vapi_emulator.__file__).parent
    for source in root.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                assert all(not a.name.startswith("vapi_provider") for a in node.names), source
            elif isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("vapi_provider"), source


def test_config_defaults():
    config = vapi_emulator.EmulatorConfig()
    assert config.api_keys == {}
    assert config.data_file is None
    assert config.activation_delay_seconds == 0.2
    assert config.free_number_quota == 5
    assert config.exhausted_area_codes == set()
    assert (config.latency_seconds, config.latency_jitter_seconds) == (0, 0)
    assert (config.rate_429, config.rate_500, config.rate_503) == (0, 0, 0)
    assert config.retry_after_seconds == 1
    assert config.drop_after_create_rate == 0
    assert config.fault_seed is None
    assert config.admin_token == "vapi-emulator-admin"
    assert config.list_lag_seconds == 0
    assert config.max_body_bytes == vapi_emulator.MAX_BODY_BYTES == 1024 * 1024
    assert config.mask_secrets is False
