"""Supergraph parsing and the derived API schema."""

from __future__ import annotations

import pytest
from graphql import print_schema

from router.supergraph import SupergraphError, load_supergraph, parse_supergraph
from tests.router.loopback import sample_sdl

SDL = sample_sdl()


def test_model_reads_join_metadata() -> None:
    supergraph = parse_supergraph(SDL)
    assert list(supergraph.subgraphs) == ["billing", "clinical", "patients"]
    assert supergraph.subgraphs["billing"].url == "http://127.0.0.1:1/billing"
    patient = supergraph.types["Patient"]
    assert [k.fields for k in patient.graphs[0].keys] == ["id"]
    statement = patient.fields["statementName"]
    assert statement.joins[0].graph == "billing"
    assert statement.joins[0].requires == "name"
    name = patient.fields["name"]
    assert {j.graph for j in name.joins if j.external} == {"billing", "clinical"}
    assert supergraph.types["Event"].union_members_by_graph == {"clinical": ("Visit", "Admission")}
    assert supergraph.root_types["mutation"] == "Mutation"
    assert supergraph.possible_types["Event"] == frozenset({"Visit", "Admission"})


def test_api_schema_drops_machinery_and_inaccessible() -> None:
    printed = print_schema(parse_supergraph(SDL).api_schema)
    assert "join__" not in printed
    assert "link__" not in printed
    assert "@inaccessible" not in printed
    assert "ssn" not in printed
    assert "SECRET" not in printed
    assert "statementName: String" in printed


def test_join_v05_fields_are_read() -> None:
    sdl = (
        SDL.replace("join/v0.3", "join/v0.5")
        .replace("usedOverridden: Boolean)", "usedOverridden: Boolean, overrideLabel: String)")
        .replace(
            "reason: String @join__field(graph: CLINICAL)",
            "reason: String @join__field("
            'graph: CLINICAL, override: "billing", overrideLabel: "percent(50)")',
        )
    )
    join = parse_supergraph(sdl).types["Visit"].fields["reason"].joins[0]
    assert join.override == "billing"
    assert join.override_label == "percent(50)"


@pytest.mark.parametrize(
    ("sdl", "message"),
    [
        ("type Query {", "not valid GraphQL SDL"),
        ("type Query { a: Int }", "no @link to the join spec"),
        (SDL.replace("join/v0.3", "join/v9.9"), "unsupported join spec version v9.9"),
        (
            SDL.replace('@join__type(graph: BILLING, key: "number")', "@join__type(graph: NOPE)"),
            "unknown subgraph NOPE",
        ),
        (SDL.replace("BILLING @join__graph", "BILLING @deprecated"), "lacks @join__graph"),
    ],
)
def test_bad_supergraphs_raise_clear_errors(sdl: str, message: str) -> None:
    with pytest.raises(SupergraphError, match=message):
        parse_supergraph(sdl)


def test_missing_file(tmp_path: object) -> None:
    with pytest.raises(SupergraphError, match="cannot read supergraph"):
        load_supergraph("/nonexistent/supergraph.graphql")
