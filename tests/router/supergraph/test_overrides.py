"""Subgraph URL overrides from settings."""

from __future__ import annotations

import pytest

from router.supergraph import parse_supergraph
from router.supergraph.overrides import with_subgraph_urls
from tests.router.loopback import sample_sdl


def test_urls_are_replaced_by_name() -> None:
    supergraph = parse_supergraph(sample_sdl())
    changed = with_subgraph_urls(supergraph, {"billing": "http://127.0.0.1:9/graphql"})
    assert changed.subgraphs["billing"].url == "http://127.0.0.1:9/graphql"
    assert changed.subgraphs["clinical"].url == supergraph.subgraphs["clinical"].url
    assert supergraph.subgraphs["billing"].url == "http://127.0.0.1:1/billing"


def test_unknown_subgraph_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown subgraphs: nope"):
        with_subgraph_urls(parse_supergraph(sample_sdl()), {"nope": "http://x"})
