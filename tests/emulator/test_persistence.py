"""With a data file, state survives a restart; writes are atomic; a bad file is refused, never overwritten."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from vapi_emulator import DEMO_API_KEY, DataFileError, EmulatorConfig, serve_in_thread

from .conftest import auth, vapi_area, vapi_sip

ROOT = Path(__file__).resolve().parents[2]


def test_state_survives_an_in_process_restart(tmp_path):
    data = tmp_path / "state.json"
    config = EmulatorConfig(data_file=data, activation_delay_seconds=0)
    with serve_in_thread(config) as first:
        with httpx.Client(base_url=first.url, headers=auth()) as client:
            kept = client.post("/phone-number", json=vapi_sip("kept", name="kept")).json()
            gone = client.post("/phone-number", json=vapi_sip("gone")).json()
            client.patch(f"/phone-number/{kept['id']}", json={"name": "renamed"})
            client.delete(f"/phone-number/{gone['id']}")
            before = client.get("/phone-number").json()
    with serve_in_thread(config) as second, httpx.Client(base_url=second.url, headers=auth()) as client:
        assert client.get("/phone-number").json() == before
        assert before[0]["name"] == "renamed"
        # sipUri uniqueness still holds after a restart
        assert client.post("/phone-number", json=vapi_sip("kept")).status_code == 400
        # and new numbers sort after the old ones
        newer = client.post("/phone-number", json=vapi_sip("newer")).json()
        assert client.get("/phone-number").json()[0]["id"] == newer["id"]


def test_activation_in_progress_survives_a_restart(tmp_path):
    data = tmp_path / "state.json"
    config = EmulatorConfig(data_file=data, activation_delay_seconds=0.3)
    with serve_in_thread(config) as first:
        body = httpx.post(f"{first.url}/phone-number", json=vapi_area("305"), headers=auth()).json()
        assert body["status"] == "activating"
    time.sleep(0.35)
    with serve_in_thread(config) as second:
        after = httpx.get(f"{second.url}/phone-number/{body['id']}", headers=auth()).json()
        assert after["status"] == "active"
        assert after["number"].startswith("+1305")


def test_data_file_is_valid_json_after_every_write_and_leaves_no_temp_files(tmp_path):
    data = tmp_path / "state.json"
    with serve_in_thread(EmulatorConfig(data_file=data)) as emulator:
        with httpx.Client(base_url=emulator.url, headers=auth()) as client:
            for i in range(5):
                client.post("/phone-number", json=vapi_sip(f"n{i}"))
                stored = json.loads(data.read_text())
                assert len(stored["numbers"]) == i + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_corrupt_data_file_is_refused_and_left_untouched(tmp_path):
    data = tmp_path / "state.json"
    data.write_text("{not json")
    with pytest.raises(DataFileError):
        serve_in_thread(EmulatorConfig(data_file=data))
    assert data.read_text() == "{not json"


def test_rejected_requests_do_not_touch_the_data_file(tmp_path):
    data = tmp_path / "state.json"
    with serve_in_thread(EmulatorConfig(data_file=data)) as emulator:
        with httpx.Client(base_url=emulator.url, headers=auth()) as client:
            client.post("/phone-number", json=vapi_sip("only"))
            before = data.read_bytes()
            client.post("/phone-number", content=b"{broken", headers={"content-type": "application/json"})
            client.post("/phone-number", json={"provider": "vapi", "name": "n" * 99})
            client.post("/phone-number", json=vapi_sip("only"))
            client.patch("/phone-number/not-a-uuid", json={"name": "x"})
            assert data.read_bytes() == before


def start_cli(*args):
    process = subprocess.Popen(
        [sys.executable, "-m", "vapi_emulator", "--host", "127.0.0.1", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("vapi_emulator listening on http://127.0.0.1:"), (line, process.stderr)
    return process, line.strip().rsplit(" ", 1)[1]


def stop_cli(process, sig=signal.SIGTERM):
    process.send_signal(sig)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert out == ""  # exactly one line was printed, before
    return err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_persists_and_shuts_down_cleanly(tmp_path, sig):
    data = tmp_path / "cli.json"
    process, url = start_cli("--data", str(data), "--activation-delay", "0")
    try:
        created = httpx.post(f"{url}/phone-number", json=vapi_area("415", name="cli"), headers=auth())
        assert created.status_code == 201
    finally:
        stop_cli(process, sig)
    process, url = start_cli("--data", str(data))
    try:
        listed = httpx.get(f"{url}/phone-number", headers=auth()).json()
        assert [n["id"] for n in listed] == [created.json()["id"]]
        assert listed[0]["number"].startswith("+1415")
    finally:
        stop_cli(process)


def test_cli_refuses_a_corrupt_data_file(tmp_path):
    data = tmp_path / "bad.json"
    data.write_text("[]")
    result = subprocess.run(
        [sys.executable, "-m", "vapi_emulator", "--port", "0", "--data", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "cannot read emulator data file" in result.stderr
    assert data.read_text() == "[]"


def test_cli_accepts_keys_from_options_and_file(tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text("# comment\nfile-key=org-file\n")
    process, url = start_cli("--api-keys-file", str(keys), "--api-key", "cli-key=org-cli")
    try:
        assert httpx.get(f"{url}/phone-number", headers=auth("file-key")).status_code == 200
        created = httpx.post(f"{url}/phone-number", json=vapi_sip(), headers=auth("cli-key")).json()
        assert created["orgId"] == "org-cli"
        assert httpx.get(f"{url}/phone-number", headers=auth(DEMO_API_KEY)).status_code == 401
    finally:
        stop_cli(process)
