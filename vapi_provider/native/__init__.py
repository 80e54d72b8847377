"""The native `vapi` resource provider plugin (package `vapi`, tokens `vapi:index:*`).

`serve(args)` is the plugin's entry point (`plugin/__main__.py`); `VapiProvider` the provider;
`schema.package_schema()` the package schema, derived from the property tables. See docs/provider.md
("Native provider") and docs/design.md.
"""

from __future__ import annotations

from .tokens import PACKAGE, PROVIDER_TOKEN, TABLE_BY_TOKEN, package_version, resource_token

__all__ = ["PACKAGE", "PROVIDER_TOKEN", "TABLE_BY_TOKEN", "package_version", "resource_token", "serve"]


def serve(args: list[str]) -> None:
    """Run the plugin: serve `VapiProvider` over gRPC to the engine at `args[0]` until it ends us."""
    from .server import main  # the gRPC stack loads only in the plugin process

    main(args)
