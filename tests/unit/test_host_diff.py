"""The detailed diff of a secret change, computed and handed to Pulumi's real dynamic-provider host."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi.dynamic
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import proto, rpc

from vapi_provider import host_diff
from vapi_provider.native.diff import property_path
from vapi_provider.properties import ANY, TABLES, ResourceTable
from vapi_provider.provider import PROVIDERS

UPDATE = proto.PropertyDiff.UPDATE
ADD = proto.PropertyDiff.ADD
HEADER = "X-Token"
HOST_MODULE = "pulumi.dynamic.__main__"

# Every secret path of every kind, from the tables: (table, wire name, path inside the value).
SECRET_PATHS = [
    pytest.param(table, prop.wire, path, id=f"{table.resource}.{'.'.join((prop.wire, *path))}")
    for table in TABLES
    for prop in table
    for path in prop.secret_paths
]


def _holding(path: tuple[str, ...], secret: str) -> Any:
    """A value holding `secret` at `path` (a header name for `ANY`), next to a plain sibling field."""
    if not path:
        return secret
    head = HEADER if path[0] == ANY else path[0]
    return {"plain": "unchanged", head: _holding(path[1:], secret)}


def _concrete(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(HEADER if part == ANY else part for part in path)


@pytest.mark.parametrize(("table", "wire", "path"), SECRET_PATHS)
def test_secret_detailed_diff_marks_only_the_changed_secret_path(
    table: ResourceTable, wire: str, path: tuple[str, ...]
) -> None:
    olds = {"name": "n", wire: _holding(path, "old-secret-value-00001")}
    news = {"name": "n", wire: _holding(path, "new-secret-value-00002")}
    details = host_diff.secret_detailed_diff(table, "id-1", olds, news, [])
    assert details == {property_path((wire, *_concrete(path))): (UPDATE, True)}
    assert host_diff.secret_detailed_diff(table, "id-1", olds, dict(olds), []) is None


def test_secret_detailed_diff_is_none_without_a_secret_change() -> None:
    (table,) = [t for t in TABLES if t.resource == "VapiPhoneNumber"]
    olds = {
        "name": "n",
        "authentication": {"username": "u" * 24, "password": "p" * 24},
        "server": {"url": "https://example.com/a", "headers": {HEADER: "h"}},
    }
    news = {**olds, "name": "m", "server": {**olds["server"], "url": "https://example.com/b"}}
    assert host_diff.secret_detailed_diff(table, "id-1", olds, news, []) is None
    assert host_diff.secret_detailed_diff(table, "id-1", olds, olds, []) is None


def test_secret_detailed_diff_lists_every_change_beside_the_secret_one() -> None:
    (table,) = [t for t in TABLES if t.resource == "VapiPhoneNumber"]
    olds = {"name": "n", "authentication": {"username": "u" * 24, "password": "p" * 24}}
    news = {
        "name": "m",
        "authentication": {"username": "v" * 24, "password": "q" * 24},
        "server": {"url": "https://example.com/a", "headers": {HEADER: "h"}},
    }
    assert host_diff.secret_detailed_diff(table, "id-1", olds, news, []) == {
        "name": (UPDATE, True),
        "authentication.username": (UPDATE, True),
        "authentication.password": (UPDATE, True),
        "server": (ADD, True),
    }
    # A header added, and a password not known until `up`: both secret changes.
    olds = {"server": {"url": "https://example.com/a", "headers": {HEADER: "h"}}}
    news = {"server": {"url": "https://example.com/a", "headers": {HEADER: "h", "X-New": "n"}}}
    assert host_diff.secret_detailed_diff(table, "id-1", olds, news, []) == {
        'server.headers["X-New"]': (ADD, True)
    }
    olds = {"authentication": {"username": "u" * 24, "password": "p" * 24}}
    news = {"authentication": {"username": "u" * 24, "password": rpc.UNKNOWN}}
    assert host_diff.secret_detailed_diff(table, "id-1", olds, news, []) == {
        "authentication.password": (UPDATE, True)
    }


# --- through the host ------------------------------------------------------------------------------


@pytest.fixture
def host(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Pulumi's own dynamic-provider host module (`python -m pulumi.dynamic`), loaded as the host
    process loads it, minus the `main()` call at its end that would start its gRPC server."""
    path = Path(pulumi.dynamic.__file__).with_name("__main__.py")
    source, call = path.read_text().rsplit("\nmain()", 1)
    assert call.strip() == "", "the host module no longer ends by calling main()"
    spec = importlib.util.spec_from_loader(HOST_MODULE, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, HOST_MODULE, module)
    monkeypatch.setattr(host_diff, "_installed", False)
    exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - Pulumi's own module
    return module


def _host_diff(host: ModuleType, kind: str, olds: dict[str, Any], news: dict[str, Any]) -> Any:
    """The host's answer to the engine's Diff call, on a worker thread as in the host process."""
    provider = serialize_provider(PROVIDERS[kind]())

    def struct(props: dict[str, Any]) -> Any:
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(rpc.serialize_properties({"__provider": provider, **props}, {}))
        finally:
            loop.close()

    class Context:
        def abort(self, code: Any, details: str) -> None:
            raise AssertionError(details)

    request = proto.DiffRequest(id="id-1", olds=struct(olds), news=struct(news))
    servicer = host.DynamicResourceProviderServicer()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(servicer.Diff, request, Context()).result()


@pytest.mark.parametrize(("table", "wire", "path"), SECRET_PATHS)
def test_the_host_answers_a_secret_only_change_with_its_detailed_diff(
    host: ModuleType, table: ResourceTable, wire: str, path: tuple[str, ...]
) -> None:
    olds = {"name": "n", wire: _holding(path, "old-secret-value-00001")}
    news = {"name": "n", wire: _holding(path, "new-secret-value-00002")}
    response = _host_diff(host, table.provider, olds, news)
    assert response.changes == proto.DiffResponse.DIFF_SOME
    assert response.hasDetailedDiff
    expected = property_path((wire, *_concrete(path)))
    assert {k: (v.kind, v.inputDiff) for k, v in response.detailedDiff.items()} == {expected: (UPDATE, True)}
    assert list(response.diffs) == [wire]


def test_the_host_answers_other_changes_and_no_change_as_before(host: ModuleType) -> None:
    olds = {"name": "n", "authentication": {"username": "u" * 24, "password": "p" * 24}}
    changed = _host_diff(host, "vapi", olds, {**olds, "name": "m"})
    assert changed.changes == proto.DiffResponse.DIFF_SOME
    assert not changed.hasDetailedDiff and not changed.detailedDiff
    same = _host_diff(host, "vapi", olds, olds)
    assert same.changes == proto.DiffResponse.DIFF_NONE and not same.hasDetailedDiff
