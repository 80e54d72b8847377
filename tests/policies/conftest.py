"""The ``token_set`` fixture: run a policy test once with the dynamic and once with the native type tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.policies.harness import TOKEN_SETS, using_token_set


@pytest.fixture(params=sorted(TOKEN_SETS))
def token_set(request: pytest.FixtureRequest) -> Iterator[str]:
    """``dynamic`` or ``native``: the harness builds resources with that set's type tokens."""
    name: str = request.param
    with using_token_set(name):
        yield name
