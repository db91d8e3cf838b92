"""Replace subgraph URLs from settings (the supergraph's `@join__graph(url:)` stays the default)."""

from __future__ import annotations

from dataclasses import replace

from router.supergraph.model import Supergraph

__all__ = ["with_subgraph_urls"]


def with_subgraph_urls(supergraph: Supergraph, urls: dict[str, str]) -> Supergraph:
    """A copy of the supergraph whose named subgraphs use the given URLs."""
    unknown = sorted(set(urls) - set(supergraph.subgraphs))
    if unknown:
        raise ValueError(f"subgraph_urls names unknown subgraphs: {', '.join(unknown)}")
    subgraphs = {
        name: replace(sub, url=urls.get(name, sub.url))
        for name, sub in supergraph.subgraphs.items()
    }
    return replace(supergraph, subgraphs=subgraphs)
