"""Fetching a running subgraph's SDL."""

from __future__ import annotations

import pytest

from router.composition.introspect import SubgraphFetchError, fetch_subgraph_sdl
from tests.router.composition.subgraph_server import serve_sdl


def test_fetches_service_sdl() -> None:
    with serve_sdl("type Query { a: Int }") as url:
        assert fetch_subgraph_sdl("a", url) == "type Query { a: Int }"


def test_subgraph_without_service_field_is_reported() -> None:
    with serve_sdl(None) as url, pytest.raises(SubgraphFetchError, match='subgraph "a"'):
        fetch_subgraph_sdl("a", url)


def test_unreachable_subgraph_is_reported() -> None:
    with serve_sdl("type Query { a: Int }") as url:
        dead = url
    with pytest.raises(SubgraphFetchError, match="cannot fetch SDL"):
        fetch_subgraph_sdl("a", dead, timeout=2)
