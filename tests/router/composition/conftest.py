"""Fixtures for composition tests: the @apollo/composition reference peer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from router.composition import SubgraphSource
from tests.node_peer import NodeUnavailableError, ensure_node_modules, run_node_script

ApolloCompose = Callable[[list[SubgraphSource]], dict[str, Any]]


@pytest.fixture(scope="session")
def apollo_compose() -> ApolloCompose:
    """Compose subgraphs with @apollo/composition (tests/node/compose.cjs)."""
    try:
        ensure_node_modules()
    except NodeUnavailableError as exc:
        pytest.skip(str(exc))

    def compose(subgraphs: list[SubgraphSource]) -> dict[str, Any]:
        payload = {"subgraphs": [{"name": s.name, "url": s.url, "sdl": s.sdl} for s in subgraphs]}
        result: dict[str, Any] = run_node_script("compose.cjs", payload)
        return result

    return compose
