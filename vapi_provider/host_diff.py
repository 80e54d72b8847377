"""Secret changes a reviewer can see: a detailed diff for the dynamic resources when a secret changed.

Why `pulumi preview --diff` showed no change for a new SIP password (or header value, or Twilio token):

* Pulumi's Python dynamic-provider host (`python -m pulumi.dynamic`, SDK 3.272) answers `Diff` with only
  `changes`, `replaces` and `deleteBeforeReplace`: `DiffResult` has no field for a detailed diff or the
  changed keys, and the host sends neither.
* Without a detailed diff the CLI renders the update itself, comparing the old and new inputs. It compares
  them *after* the engine has masked them for display (`pkg/engine/events.go`, `filterPropertyValue`:
  every secret becomes the string `[secret]`), so an old and a new password are both `[secret]`, equal:
  the resource is marked `~ update`, and no field under it is.

The fix: when a value at one of the table's secret paths changed, the provider's `diff` hands the host
the same detailed diff the native provider sends (`native/diff.py`: every changed path, replacements
marked). The engine then renders each changed path from the old and new values and masks them itself:
`~ authentication: { ~ password: [secret] => [secret] }`. Other changes keep the CLI's own rendering.

The host offers no hook for it. `install()` replaces the `proto` name *inside the host module only* with a
stand-in whose `DiffResponse` adds the detailed diff that `diff` offered on the same thread (the host
calls the provider's `diff` and builds its response on one gRPC worker thread, with nothing between).
Like `host_errors`, it is installed by `configure()` and does nothing outside the host (unit tests, the
program process, the native provider), and where the host is not shaped as expected it stays out, so the
worst case is today's rendering.
"""

from __future__ import annotations

import threading
from typing import Any

from .changes import same_value
from .host_errors import host_module
from .properties import ANY, Path, ResourceTable

__all__ = ["install", "installed", "offer", "secret_changed", "secret_detailed_diff"]

DetailedDiff = dict[str, tuple[int, bool]]
"""Property path -> (the engine's `PropertyDiff.Kind` number, whether it is an input diff)."""

_pending = threading.local()
_installed = False


def _values_at(value: Any, path: Path, where: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    """The values at `path` inside `value` (`ANY`: every key or index), by their concrete path."""
    if not path:
        return {where: value}
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        items = list(value.items()) if head == ANY else [(head, value[head])] if head in value else []
    elif isinstance(value, list) and head == ANY:
        items = list(enumerate(value))
    else:
        return {}
    found: dict[tuple[Any, ...], Any] = {}
    for key, item in items:
        found.update(_values_at(item, rest, (*where, key)))
    return found


def secret_changed(table: ResourceTable, olds: dict[str, Any], news: dict[str, Any]) -> bool:
    """Whether a value at one of the table's secret paths differs (changed, added, removed or unknown)
    between the state and the new inputs. Both are plain values: secret envelopes already opened."""
    for prop in table:
        for path in prop.secret_paths:
            before = _values_at(olds.get(prop.wire), path)
            after = _values_at(news.get(prop.wire), path)
            if any(not same_value(after.get(k), before.get(k)) for k in {*before, *after}):
                return True
    return False


def secret_detailed_diff(
    table: ResourceTable,
    resource_id: str,
    olds: dict[str, Any],
    news: dict[str, Any],
    replaces: list[str],
) -> DetailedDiff | None:
    """The detailed diff of a change that includes a secret one; None when no secret changed.

    `olds` are the old outputs and `news` the new checked inputs, both stripped (`unknowns.strip`).
    """
    if not secret_changed(table, olds, news):
        return None
    # The native provider's detailed diff, so that both render a change alike. Imported here: it loads
    # Pulumi's provider SDK, which only a diff with a secret change needs.
    from .native.diff import detailed_diff

    details = detailed_diff(table, resource_id, olds, news, replaces, True)
    return {path: (diff.kind.value, diff.input_diff) for path, diff in details.items()}


def installed() -> bool:
    return _installed


def offer(details: DetailedDiff | None) -> None:
    """Have the host send `details` with the response to the diff running on this thread."""
    if _installed:
        _pending.details = details


class _DiffResponse:
    """Stands in for the host's `proto.DiffResponse`: adds the detailed diff offered on this thread."""

    def __init__(self, real: Any, property_diff: Any) -> None:
        self._real = real
        self._property_diff = property_diff

    def __call__(self, **fields: Any) -> Any:
        details: DetailedDiff | None = _pending.__dict__.pop("details", None)
        if details is not None:
            fields["detailedDiff"] = {
                path: self._property_diff(kind=kind, inputDiff=input_diff)
                for path, (kind, input_diff) in details.items()
            }
            fields["hasDetailedDiff"] = True
            fields["diffs"] = sorted({path.split(".", 1)[0].split("[", 1)[0] for path in details})
        return self._real(**fields)

    def __getattr__(self, name: str) -> Any:  # DIFF_SOME, DIFF_NONE, ...
        return getattr(self._real, name)


class _Proto:
    """Stands in for `pulumi.runtime.proto` in the host; delegates everything but `DiffResponse`."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.DiffResponse = _DiffResponse(real.DiffResponse, real.PropertyDiff)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def install() -> bool:
    """Install the stand-in in the dynamic-provider host, if this process is one. Returns whether it is."""
    global _installed
    host = host_module()
    proto = getattr(host, "proto", None)
    if isinstance(proto, _Proto):
        return True
    fields = getattr(getattr(getattr(proto, "DiffResponse", None), "DESCRIPTOR", None), "fields_by_name", {})
    if host is None or "hasDetailedDiff" not in fields or not hasattr(proto, "PropertyDiff"):
        return False
    host.proto = _Proto(proto)  # type: ignore[attr-defined]
    _installed = True
    return True
