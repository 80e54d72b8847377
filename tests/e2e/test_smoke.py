"""The harness itself: a tiny dynamic resource goes through up, export and destroy with the real CLI."""

from __future__ import annotations


def test_smoke_up_export_destroy(make_stack):
    stack = make_stack("noop")

    up = stack.up()
    assert "+ 2 created" in up.stdout
    assert stack.outputs() == {"length": 5}

    (noop,) = stack.resources("pulumi-python:dynamic/e2e:Noop")
    assert noop["id"] == "noop-hello"
    assert noop["outputs"]["length"] == 5
    provider = noop["inputs"]["__provider"]
    # The pickled provider is always stored as a secret: an encrypted envelope, never the pickle itself.
    assert set(provider) == {"4dabf18193072939515e22adb298388d", "ciphertext"}
    assert noop["outputs"]["__provider"] == provider or "ciphertext" in noop["outputs"]["__provider"]

    stack.destroy()
    assert stack.resources() == []
