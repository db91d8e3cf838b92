"""Operation limits measured on the fragment graph: exact counts, linear time, every code."""

from __future__ import annotations

import pytest
from graphql import get_introspection_query, parse

from subgraphs.common.limits import OperationCost, OperationLimits, limit_errors, measure
from tests.support.hostile import alias_flood, fragment_bomb


def codes(document: str, **limits: int) -> list[str]:
    return [e.extensions["code"] for e in limit_errors(parse(document), OperationLimits(**limits))]  # type: ignore[index]


def test_counts_match_the_expanded_operation() -> None:
    document = parse(
        """
        query Q @a { x: user { ...U ... on User @b { id } } other }
        fragment U on User @c { name friends { ...V } y: email }
        fragment V on User { id name }
        """
    )
    assert measure(document) == {
        "Q": OperationCost(depth=3, aliases=2, directives=3, selections=11, root_fields=2)
    }


@pytest.mark.timeout(10)
@pytest.mark.parametrize("levels", [25, 50, 100, 1000])
def test_a_fragment_bomb_is_measured_without_expanding_it(levels: int) -> None:
    [cost] = measure(parse(fragment_bomb(levels))).values()
    leaves = min(2 ** (levels - 1), 1 << 62)
    spreads = 2**levels - 1
    assert cost == OperationCost(
        depth=0, selections=min(spreads + leaves, 1 << 62), root_fields=leaves
    )
    assert codes(fragment_bomb(levels)) == ["MAX_ROOT_FIELDS_EXCEEDED", "OPERATION_TOO_COMPLEX"]


@pytest.mark.timeout(10)
def test_cycles_and_long_chains_do_not_hang_or_recurse() -> None:
    cycle = "{ ...A } fragment A on Query { ...B x } fragment B on Query { ...A y }"
    assert measure(parse(cycle))[None].selections == 5
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(5000))
    document = parse("{ ...F0 } " + chain + " fragment F5000 on Query { x }")
    assert measure(document)[None].selections == 5002
    assert measure(parse("{ ...Missing x }"))[None].selections == 2


def test_each_limit_has_its_code() -> None:
    assert codes("{ a { b { c } } }", max_depth=2) == ["MAX_DEPTH_EXCEEDED"]
    assert codes(alias_flood(4, "x"), max_aliases=3) == ["MAX_ALIASES_EXCEEDED"]
    assert codes("{ a b c }", max_root_fields=2) == ["MAX_ROOT_FIELDS_EXCEEDED"]
    assert codes("{ a @x @y { b @z } }", max_directives=2) == ["MAX_DIRECTIVES_EXCEEDED"]
    assert codes("{ a { b c } }", max_selections=2) == ["OPERATION_TOO_COMPLEX"]
    assert codes("{ a { b c } }") == []


@pytest.mark.timeout(10)
def test_a_bomb_of_empty_fragments_is_refused_too() -> None:
    """Nothing to select, yet validation would still walk 2**30 spreads."""
    assert codes(fragment_bomb(30, leaf="")) == ["OPERATION_TOO_COMPLEX"]


def test_introspection_passes_even_the_tightest_depth_limit() -> None:
    query = get_introspection_query(
        descriptions=True, specified_by_url=True, directive_is_repeatable=True
    )
    assert limit_errors(parse(query), OperationLimits(max_depth=8, max_aliases=15)) == []


def test_every_operation_of_the_document_is_held_to_the_limits() -> None:
    document = "query A { a } query B { a { b { c } } }"
    [error] = limit_errors(parse(document), OperationLimits(max_depth=2))
    assert error.message == "Operation 'B' is nested deeper than the 2 allowed."
    assert error.extensions == {"code": "MAX_DEPTH_EXCEEDED", "limit": 2}
