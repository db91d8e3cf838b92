"""Canonical printing and API-schema derivation of supergraphs."""

from __future__ import annotations

import re

from router.composition import (
    SubgraphSource,
    canonical_api_schema,
    canonical_supergraph,
    compare_supergraphs,
    compose_or_raise,
)

FED = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
    'import: ["@key", "@inaccessible", "@tag"])\n'
)


def _supergraph() -> str:
    return compose_or_raise(
        [
            SubgraphSource(
                "a",
                "http://a",
                FED + "type Query { p(legacy: Int @inaccessible): P }\n"
                'type P @key(fields: "id") { id: ID! secret: String @inaccessible '
                'label: String @tag(name: "x") kind: Kind }\n'
                "enum Kind { A B @inaccessible }\n"
                "type Hidden @inaccessible { x: Int }\n",
            ),
            SubgraphSource(
                "b", "http://b", FED + 'type P @key(fields: "id") { id: ID! age: Int }\n'
            ),
        ]
    )


def test_api_schema_drops_machinery_and_inaccessible_elements() -> None:
    api = canonical_api_schema(_supergraph())
    assert "join__" not in api
    assert "link__" not in api
    assert "@" not in api
    assert "secret" not in api
    assert "legacy" not in api
    assert "Hidden" not in api
    assert "enum Kind {\n  A\n}" in api
    assert "type P {\n  age: Int\n  id: ID!\n  kind: Kind\n  label: String\n}" in api


def test_canonical_form_ignores_order() -> None:
    supergraph = _supergraph()
    reordered = "\n\n".join(reversed(re.split(r"\n\n(?=\S)", supergraph)))
    assert canonical_supergraph(reordered) == canonical_supergraph(supergraph)
    assert compare_supergraphs(reordered, supergraph).equal


def test_comparison_reports_join_differences_separately() -> None:
    supergraph = _supergraph()
    changed = supergraph.replace('key: "id"', 'key: "id", resolvable: false', 1)
    comparison = compare_supergraphs(changed, supergraph)
    assert comparison.api_equal
    assert not comparison.supergraph_equal
    assert "resolvable: false" in comparison.supergraph_diff
