"""Composition of the synthetic fixtures: supergraphs match Apollo's goldens, errors carry codes."""

from __future__ import annotations

import pytest

from router.composition import (
    CompositionFailedError,
    SubgraphSource,
    compare_supergraphs,
    compose,
    compose_or_raise,
)
from tests.router.composition.cases import Case, all_cases

SUCCESSES = [c for c in all_cases() if not c.error_codes]
FAILURES = [c for c in all_cases() if c.error_codes]


@pytest.mark.parametrize("case", SUCCESSES, ids=lambda c: c.name)
def test_supergraph_matches_apollo_golden(case: Case) -> None:
    result = compose(case.subgraphs)
    assert result.errors == []
    assert result.supergraph is not None
    comparison = compare_supergraphs(result.supergraph, case.golden.read_text())
    assert comparison.api_equal, comparison.api_diff
    assert comparison.supergraph_equal, comparison.supergraph_diff
    # Beyond canonical equality, the file is laid out exactly as @apollo/composition prints it.
    assert result.supergraph.rstrip("\n") == case.golden.read_text().rstrip("\n")


@pytest.mark.parametrize("case", FAILURES, ids=lambda c: c.name)
def test_invalid_subgraphs_fail_with_stable_codes(case: Case) -> None:
    result = compose(case.subgraphs)
    assert result.supergraph is None
    assert sorted({e.code for e in result.errors}) == case.error_codes


def test_sharing_error_names_subgraphs_type_and_field() -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
        "type Query { ward: Ward }\ntype Ward { name: String }\n"
    )
    other = sdl.replace("ward: Ward", "wards: [Ward]")
    with pytest.raises(CompositionFailedError) as raised:
        compose_or_raise(
            [
                SubgraphSource("clinical", "http://c", sdl),
                SubgraphSource("billing", "http://b", other),
            ]
        )
    [error] = raised.value.errors
    assert error.code == "INVALID_FIELD_SHARING"
    assert error.coordinate == "Ward.name"
    assert '"Ward.name"' in error.message
    assert '"billing" and "clinical"' in error.message


def test_subgraph_errors_are_prefixed_with_the_subgraph() -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
        'type Query { t: T }\ntype T @key(fields: "nope") { id: ID! }\n'
    )
    result = compose([SubgraphSource("records", "http://r", sdl)])
    [error] = result.errors
    assert (error.code, error.subgraph) == ("KEY_INVALID_FIELDS", "records")
    assert error.message.startswith("[records] ")
    assert 'Cannot query field "nope" on type "T"' in error.message


def test_every_error_is_reported_not_only_the_first() -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
        'type Query { a: A b: B }\ntype A @key(fields: "x") { id: ID! }\n'
        'type B @key(fields: "y") { id: ID! }\n'
    )
    result = compose([SubgraphSource("s", "http://s", sdl)])
    assert [e.coordinate for e in result.errors] == ["A", "B"]


def test_syntax_error_is_invalid_graphql() -> None:
    result = compose([SubgraphSource("broken", "http://b", "type Query {")])
    assert [(e.code, e.subgraph) for e in result.errors] == [("INVALID_GRAPHQL", "broken")]


def test_duplicate_subgraph_names_are_rejected() -> None:
    sdl = "type Query { a: Int }"
    result = compose([SubgraphSource("a", "http://1", sdl), SubgraphSource("a", "http://2", sdl)])
    assert "INVALID_SUBGRAPH_NAME" in {e.code for e in result.errors}


def test_unsupported_federation_features_are_refused_clearly() -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", '
        'import: ["@key", "@context"])\n'
        'type Query { t: T }\ntype T @key(fields: "id") @context(name: "c") { id: ID! }\n'
    )
    result = compose([SubgraphSource("s", "http://s", sdl)])
    assert [e.code for e in result.errors] == ["UNSUPPORTED_FEATURE"]


def test_unknown_federation_version_is_refused() -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.99", import: ["@key"])\n'
        "type Query { a: Int }\n"
    )
    result = compose([SubgraphSource("s", "http://s", sdl)])
    assert [e.code for e in result.errors] == ["UNKNOWN_FEDERATION_LINK_VERSION"]


def test_pinned_federation_version_refuses_newer_subgraphs() -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])\n'
        "type Query { a: Int }\n"
    )
    sources = [SubgraphSource("s", "http://s", sdl)]
    assert compose(sources).errors == []
    pinned = compose(sources, max_federation=(2, 11))
    assert [e.code for e in pinned.errors] == ["UNKNOWN_FEDERATION_LINK_VERSION"]
    assert "pinned to federation 2.11" in pinned.errors[0].message
