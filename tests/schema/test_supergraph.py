"""schema/ is current with the code, and our composition agrees with @apollo/composition on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.composition import SubgraphSource, compare_supergraphs
from router.composition.config import load_config
from router.composition.project import compose_project
from subgraphs.stack.sdl import exported_services, stale_sdl_files
from tests.conftest import ApolloCompose


def test_exported_sdl_is_current(repo_root: Path) -> None:
    schema_dir = repo_root / "schema"
    services = exported_services(repo_root / "supergraph.yaml", schema_dir)
    assert services == ["auth", "clinical", "billing"]
    assert stale_sdl_files(schema_dir, services) == [], "run `healthgraph compose`"


def test_supergraph_is_current(repo_root: Path) -> None:
    outcome = compose_project(
        repo_root / "supergraph.yaml", repo_root / "schema" / "supergraph.graphql", check=True
    )
    assert outcome.result.supergraph is not None, [str(e) for e in outcome.result.errors]
    assert outcome.stale == [], "run `healthgraph compose`"


@pytest.mark.node
def test_apollo_composes_our_subgraphs_the_same(
    repo_root: Path, apollo_compose: ApolloCompose
) -> None:
    config = load_config(repo_root / "supergraph.yaml")
    sources = [
        SubgraphSource(
            name=name,
            url=subgraph.routing_url,
            sdl=(subgraph.schema_.file or Path()).read_text(encoding="utf-8"),
        )
        for name, subgraph in config.subgraphs.items()
    ]
    reference = apollo_compose(sources)
    assert reference["supergraph"] is not None, reference["errors"]
    ours = (repo_root / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
    comparison = compare_supergraphs(ours, reference["supergraph"])
    assert comparison.api_equal, comparison.api_diff
    assert comparison.supergraph_equal, comparison.supergraph_diff
