"""Planning limits: nesting, fetch count and deadline refuse an operation with one code."""

from __future__ import annotations

import pytest
from graphql import parse

from router.planner import PlannedOperation, PlanningLimitExceeded, PlanningLimits, QueryPlanner
from router.planner.limits import PlanningBudget
from router.planner.operation import select_operation
from router.supergraph import parse_supergraph
from tests.router.loopback import sample_sdl
from tests.support.hostile import fragment_bomb

# patients (patients) -> visits (clinical) -> cost (billing): three fetches, nested
QUERY = "{ patients { name visits { reason cost } } }"


def _build(text: str, limits: PlanningLimits) -> PlannedOperation:
    planner = QueryPlanner(parse_supergraph(sample_sdl()), limits=limits)
    document = parse(text)
    return planner.build(document, select_operation(document, None), {})


def _refused(text: str, limits: PlanningLimits) -> dict[str, object]:
    with pytest.raises(PlanningLimitExceeded) as caught:
        _build(text, limits)
    assert caught.value.code == "QUERY_PLANNING_LIMIT_EXCEEDED"
    [error] = caught.value.errors()
    extensions = error["extensions"]
    assert isinstance(extensions, dict)
    return extensions


def test_within_the_limits_the_plan_is_built() -> None:
    planned = _build(QUERY, PlanningLimits(max_depth=8, max_fetches=3))
    assert planned.plan.to_json() is not None


def test_nesting_fetches_and_time_each_refuse_the_operation() -> None:
    assert _refused(QUERY, PlanningLimits(max_depth=2))["limit"] == "max_plan_depth"
    assert _refused(QUERY, PlanningLimits(max_fetches=2)) == {
        "code": "QUERY_PLANNING_LIMIT_EXCEEDED",
        "limit": "max_plan_fetches",
        "maximum": 2,
    }
    assert _refused(QUERY, PlanningLimits(timeout=1e-9))["limit"] == "planning_timeout"


@pytest.mark.timeout(30)
def test_a_fragment_bomb_plans_in_linear_time_when_the_operation_limits_allow_it() -> None:
    planned = _build(fragment_bomb(100, "patients { id }"), PlanningLimits())
    plain = _build("{ patients { id } }", PlanningLimits())
    assert planned.plan.to_json() == plain.plan.to_json()


def test_the_budget_starts_when_it_is_made() -> None:
    budget = PlanningBudget(PlanningLimits(timeout=60))
    budget.check_time()
    budget.check_depth(64)
    budget.check_fetches(255)
    with pytest.raises(PlanningLimitExceeded, match="more than 64 nested planning steps"):
        budget.check_depth(65)
