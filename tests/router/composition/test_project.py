"""Composing a project's supergraph.yaml into schema/ and checking staleness."""

from __future__ import annotations

from pathlib import Path

from router.composition.project import compose_project
from tests.router.composition.subgraph_server import serve_sdl

FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
CLINICAL = (
    FED + 'type Query { patient(id: ID!): Patient }\ntype Patient @key(fields: "id") { id: ID! }\n'
)
BILLING = FED + 'type Patient @key(fields: "id") { id: ID! balance: Float }\n'


def _project(tmp_path: Path, billing_url: str) -> Path:
    (tmp_path / "subgraphs").mkdir()
    (tmp_path / "subgraphs" / "clinical.graphql").write_text(CLINICAL)
    config = tmp_path / "supergraph.yaml"
    config.write_text(
        "federation_version: =2.11.0\nsubgraphs:\n"
        "  clinical:\n    routing_url: http://clinical:4002/graphql\n"
        "    schema:\n      file: subgraphs/clinical.graphql\n"
        f"  billing:\n    routing_url: http://billing:4003/graphql\n"
        f"    schema:\n      subgraph_url: {billing_url}\n"
    )
    return config


def test_writes_exports_and_supergraph_then_is_current(tmp_path: Path) -> None:
    out = tmp_path / "schema" / "supergraph.graphql"
    with serve_sdl(BILLING) as url:
        config = _project(tmp_path, url)
        first = compose_project(config, out)
        assert first.result.errors == []
        assert sorted(p.name for p in first.written) == [
            "billing.graphql",
            "clinical.graphql",
            "supergraph.graphql",
        ]
        assert (tmp_path / "schema" / "billing.graphql").read_text() == BILLING
        assert 'BILLING @join__graph(name: "billing", url: "http://billing:4003/graphql")' in (
            out.read_text()
        )
        assert compose_project(config, out, check=True).stale == []


def test_check_names_stale_files_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "schema" / "supergraph.graphql"
    with serve_sdl(BILLING) as url:
        config = _project(tmp_path, url)
        compose_project(config, out)
        (tmp_path / "subgraphs" / "clinical.graphql").write_text(
            CLINICAL + "type Extra { a: Int }\n"
        )
        before = out.read_text()
        checked = compose_project(config, out, check=True)
    assert sorted(p.name for p in checked.stale) == ["clinical.graphql", "supergraph.graphql"]
    assert out.read_text() == before


def test_failed_composition_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "schema" / "supergraph.graphql"
    with serve_sdl(BILLING.replace("balance: Float", "balance: Float\n  bad: Nope")) as url:
        outcome = compose_project(_project(tmp_path, url), out)
    assert outcome.result.supergraph is None
    assert [e.code for e in outcome.result.errors] == ["INVALID_GRAPHQL"]
    assert not (tmp_path / "schema").exists()
