"""Satisfiability: every API field must be reachable from some subgraph path."""

from __future__ import annotations

from router.composition import SubgraphSource, compose

FED = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
    'import: ["@key", "@shareable"])\n'
)


def test_field_behind_a_key_jump_is_satisfiable() -> None:
    result = compose(
        [
            SubgraphSource(
                "a",
                "http://a",
                FED + 'type Query { v: V }\ntype V @key(fields: "id") { id: ID! }\n',
            ),
            SubgraphSource(
                "b", "http://b", FED + 'type V @key(fields: "id") { id: ID! cost: Int }\n'
            ),
        ]
    )
    assert result.errors == []


def test_shared_root_field_may_be_served_by_another_subgraph() -> None:
    result = compose(
        [
            SubgraphSource(
                "a",
                "http://a",
                FED + "type Query { v: V @shareable }\ntype V @shareable { x: Int }\n",
            ),
            SubgraphSource(
                "b",
                "http://b",
                FED + "type Query { v: V @shareable }\ntype V @shareable { x: Int y: Int }\n",
            ),
        ]
    )
    assert result.errors == []


def test_unreachable_field_reports_a_failing_query() -> None:
    result = compose(
        [
            SubgraphSource(
                "a", "http://a", FED + "type Query { v: V }\ntype V @shareable { x: Int }\n"
            ),
            SubgraphSource(
                "b",
                "http://b",
                FED + "type Query { w: Int }\ntype V @shareable { x: Int y: Int }\n",
            ),
        ]
    )
    [error] = result.errors
    assert (error.code, error.coordinate) == ("SATISFIABILITY_ERROR", "V.y")
    assert "{\n  v {\n    y\n  }\n}" in error.message
    assert 'from subgraph(s) "a"' in error.message
