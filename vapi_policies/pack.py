"""Serve the ``vapi-phone-numbers`` policy pack from a pack folder's ``__main__.py``.

A pack folder (``PulumiPolicy.yaml`` and a ``__main__.py``) needs nothing but::

    import vapi_policies

    vapi_policies.serve()

``serve`` starts pulumi-policy's analyzer server, which writes its port to stdout and blocks until the
engine stops it, so it is called exactly once, last, and nothing in the pack prints.
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, PolicyPack

from vapi_policies.rules import PACK_NAME, POLICIES

__all__ = ["serve"]


def serve() -> None:
    """Build the pack from :data:`vapi_policies.POLICIES` (all mandatory by default) and serve it."""
    PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=EnforcementLevel.MANDATORY)
