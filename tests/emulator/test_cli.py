"""Command-line parsing of `python -m vapi_emulator`."""

from __future__ import annotations

from pathlib import Path

import pytest

from vapi_emulator.__main__ import parse_api_keys_file, parse_args


def test_defaults():
    host, port, config = parse_args([])
    assert (host, port) == ("127.0.0.1", 8787)
    assert config.api_keys == {}
    assert config.data_file is None
    assert config.activation_delay_seconds == 0.2
    assert (config.list_lag_seconds, config.max_body_bytes, config.mask_secrets) == (0, 1024 * 1024, False)


def test_every_option():
    host, port, config = parse_args(
        [
            "--host", "0.0.0.0", "--port", "9000", "--data", "s.json",
            "--api-key", "k1=o1", "--api-key", "k2=o2",
            "--admin-token", "adm", "--activation-delay", "1.5", "--quota", "2",
            "--exhausted-area-codes", "212, 646", "--latency", "0.1", "--jitter", "0.05",
            "--rate-429", "0.1", "--rate-500", "0.2", "--rate-503", "0.3", "--retry-after", "2",
            "--drop-after-create-rate", "0.5", "--fault-seed", "9",
            "--list-lag", "2.5", "--max-body-bytes", "2048", "--mask-secrets",
        ]
    )  # fmt: skip
    assert (host, port) == ("0.0.0.0", 9000)
    assert config.data_file == Path("s.json")
    assert config.api_keys == {"k1": "o1", "k2": "o2"}
    assert config.admin_token == "adm"
    assert config.activation_delay_seconds == 1.5
    assert config.free_number_quota == 2
    assert config.exhausted_area_codes == {"212", "646"}
    assert (config.latency_seconds, config.latency_jitter_seconds) == (0.1, 0.05)
    assert (config.rate_429, config.rate_500, config.rate_503) == (0.1, 0.2, 0.3)
    assert config.retry_after_seconds == 2
    assert config.drop_after_create_rate == 0.5
    assert config.fault_seed == 9
    assert config.list_lag_seconds == 2.5
    assert config.max_body_bytes == 2048
    assert config.mask_secrets is True


@pytest.mark.parametrize(
    "argv",
    [
        ["--api-key", "novalue"],
        ["--rate-429", "2"],
        ["--latency", "-1"],
        ["--rate-429", "0.7", "--rate-500", "0.7"],
        ["--list-lag", "-1"],
        ["--max-body-bytes", "0"],
    ],
)
def test_bad_options_exit_with_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args(argv)
    assert exc.value.code == 2


def test_keys_file_as_json(tmp_path):
    path = tmp_path / "keys.json"
    path.write_text('{"a": "org-a", "b": "org-b"}')
    assert parse_api_keys_file(path) == {"a": "org-a", "b": "org-b"}


def test_keys_file_as_lines(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("# keys\n\na=org-a\n b = org-b \n")
    assert parse_api_keys_file(path) == {"a": "org-a", "b": "org-b"}


def test_keys_file_with_a_bad_line(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("a=org-a\nbroken\n")
    with pytest.raises(ValueError, match="keys.txt:2"):
        parse_api_keys_file(path)


def test_keys_file_and_options_merge(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("a=org-a\n")
    _, _, config = parse_args(["--api-keys-file", str(path), "--api-key", "b=org-b"])
    assert config.api_keys == {"a": "org-a", "b": "org-b"}
