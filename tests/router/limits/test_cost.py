"""Static cost from @cost/@listSize (Apollo demand control), read from composed supergraphs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse

from router.limits import COST_CODE, SLICING_CODE, CostLimits, CostModel, LimitExceeded
from router.limits import cost as cost_module
from router.supergraph import parse_supergraph
from tests.router.wards import wards_supergraph
from tests.support.hostile import fragment_bomb

# the cost-directives composition fixture, as @apollo/composition composed it
GOLDEN = (
    Path(__file__).parents[1] / "composition/fixtures/cost-directives/apollo.supergraph.graphql"
)
LIMITS = CostLimits(max_cost=1_000, list_size=10)


def _cost(sdl: str, query: str, variables: dict[str, Any] | None = None) -> int:
    supergraph = parse_supergraph(sdl)
    document = parse(query)
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    model = CostModel.from_sdl(supergraph.sdl)
    return model.estimate(supergraph.api_schema, document, operation, variables or {}, LIMITS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a field's @cost replaces its type's (Ward @cost 5); scalars cost 0
        ("{ ward(id: 1) { id } }", 3),
        # @listSize(assumedSize: 12): 12 beds of weight 1
        ("{ ward(id: 1) { beds { number } } }", 3 + 12),
        # a scalar's @cost (Label 2) counts once per bed
        ("{ ward(id: 1) { beds { label } } }", 3 + 12 * (1 + 2)),
        # slicing arguments: the largest given; an argument's @cost (last: 2) is added
        ("{ patients(first: 5) { id } }", 5),
        ("{ patients(first: 5, last: 3) { id } }", 5 + 2),
        # no slicing argument and no assumedSize: the configured list size
        ("{ patients { id } }", 10),
        # sizedFields: the slicing argument sizes `results`, not the page
        ('{ search(term: "a", limit: 4) { results { id } total } }', 1 + 4),
        ('{ search(term: "a") { results { id } } }', 1 + 20),
        # an input field's @cost counts when it is set; a list field's @cost per item
        ('{ filtered(filter: { name: "x" }) { id } }', 10 * 7 + 4),
        ("{ filtered { id } }", 10 * 7),
        # an enum's @cost
        ("{ patients(first: 2) { status } }", 2 * (1 + 1)),
        # fragments count as their fields would; __typename costs nothing
        ("{ ...Q } fragment Q on Query { ward(id: 1) { __typename ... on Ward { id } } }", 3),
    ],
)
def test_apollo_demand_control_semantics(query: str, expected: int) -> None:
    assert _cost(GOLDEN.read_text(), query) == expected


def test_variables_size_lists_and_mutations_cost_ten() -> None:
    sdl = wards_supergraph()
    query = "query ($n: Int) { wards(first: $n) { beds { number } } }"
    assert _cost(sdl, query, {"n": 3}) == 3 * (5 + 12)
    assert _cost(sdl, 'mutation { admit(name: "x") { id } }') == 10 + 5 + 20


def _check(sdl: str, query: str, limits: CostLimits) -> int:
    supergraph = parse_supergraph(sdl)
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    model = CostModel.from_sdl(supergraph.sdl)
    return model.check(supergraph.api_schema, document, operation, {}, limits)


def test_over_max_cost_is_refused_with_apollos_code() -> None:
    query = "{ wards(first: 100) { beds { number } } }"  # 100 * (5 + 12)
    assert _check(wards_supergraph(), query, CostLimits(max_cost=1_700)) == 1_700
    with pytest.raises(LimitExceeded) as caught:
        _check(wards_supergraph(), query, CostLimits(max_cost=1_699))
    [violation] = caught.value.violations
    assert violation.code == COST_CODE
    assert violation.extensions() == {"code": COST_CODE, "limit": "max_cost", "maximum": 1_699}


def test_require_one_slicing_argument() -> None:
    with pytest.raises(LimitExceeded) as caught:
        _check(wards_supergraph(), "{ beds { number } }", CostLimits())
    assert caught.value.code == SLICING_CODE
    assert _check(wards_supergraph(), "{ beds(first: 2) { number } }", CostLimits()) == 2


def test_max_cost_zero_turns_the_check_off() -> None:
    assert _check(wards_supergraph(), "{ beds { number } }", CostLimits(max_cost=0)) == 0


def test_a_fragment_bomb_is_costed_once_per_fragment(monkeypatch: pytest.MonkeyPatch) -> None:
    """2**29 fields once expanded; each fragment is costed once (bounded work, no clock)."""
    calls = 0
    field = cost_module._Estimate.field

    def counted(self: Any, *args: Any) -> int:
        nonlocal calls
        calls += 1
        return field(self, *args)

    monkeypatch.setattr(cost_module._Estimate, "field", counted)
    cost = _cost(wards_supergraph(), fragment_bomb(30, "ward(id: 1) { id }"))
    assert cost == 3 * 2**29
    assert calls <= 2
