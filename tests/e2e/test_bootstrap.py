"""scripts/bootstrap-engine rebuilds only what changed: a new engine folder borrows every binary whose inputs
(recorded in `.pins`, `.pins-yaml` and `.pins-host`) match an existing folder's, and builds the rest.

Runs a copy of the script and of tools/ against a cache folder of its own, seeded with hard links to the
session's engine folder, so that nothing of the real cache changes and no Pulumi build is needed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from pulumi_harness import REPO_ROOT

FILES = (
    "pulumi",
    "pulumi-language-python",
    "pulumi-language-python-exec",
    "pulumi-resource-pulumi-python",
    "pulumi-resource-pulumi-python-sdk",
    "pulumi-language-yaml",
)


def bootstrap(checkout: Path, cache: Path | None) -> tuple[Path, str]:
    env = {**os.environ, "VAPI_ENGINE_BUILD": "1"}
    if cache is not None:
        env["VAPI_ENGINE_CACHE"] = str(cache)
    proc = subprocess.run(
        [str(checkout / "scripts" / "bootstrap-engine")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return Path(proc.stdout.strip()), proc.stderr


def test_a_new_folder_borrows_what_did_not_change(tmp_path: Path) -> None:
    # The build of this checkout (not a pulumi on PATH, which has no pins): reused from the real cache.
    engine, _ = bootstrap(REPO_ROOT, None)
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "scripts" / "bootstrap-engine", checkout / "scripts")
    shutil.copytree(REPO_ROOT / "tools", checkout / "tools")
    cache = tmp_path / "cache"
    donor = cache / "v3.274.1-donor"
    donor.mkdir(parents=True)
    for name in (*FILES, ".pins", ".pins-yaml", ".pins-host"):
        os.link(engine / name, donor / name)

    # Same sources, a folder not there yet: every binary is borrowed, nothing is compiled.
    same, log = bootstrap(checkout, cache)
    assert same.name == engine.name
    for name in ("pulumi", "pulumi-language-python", "pulumi-language-yaml"):
        assert f"reusing {name} from {donor}" in log, log
        assert (same / name).stat().st_ino == (donor / name).stat().st_ino
    assert "building pulumi" not in log

    # A change to our Python host's source: a new folder, only the host built again.
    main_go = checkout / "tools" / "engine" / "cmd" / "pulumi-language-python" / "main.go"
    main_go.write_text(main_go.read_text() + "\n// a change that makes a new cache key\n")
    changed, log = bootstrap(checkout, cache)
    assert changed.parent == cache and changed.name not in (engine.name, donor.name)
    assert "building pulumi-language-python done" in log, log
    assert "reusing pulumi from" in log and "reusing pulumi-language-yaml from" in log, log
    assert "building pulumi-language-yaml" not in log
    for name in FILES:
        assert os.access(changed / name, os.X_OK), name
    version = subprocess.run(
        [str(changed / "pulumi-language-python"), "-version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == "v3.274.1"
