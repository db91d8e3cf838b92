"""Planning subscriptions: the root field to its subgraph with since/position, the rest per event."""

from __future__ import annotations

import pytest
from graphql import parse

from router.planner import PlanningError, QueryPlanner
from router.planner.nodes import node_to_json
from router.planner.operation import select_operation
from router.planner.subscription import SINCE_VARIABLE, plan_subscription
from router.supergraph import parse_supergraph
from tests.router.live import supergraph_sdl


@pytest.fixture(scope="module")
def planner() -> QueryPlanner:
    return QueryPlanner(parse_supergraph(supergraph_sdl()))


def _plan(planner: QueryPlanner, query: str, **variables: object):  # type: ignore[no-untyped-def]
    document = parse(query)
    return plan_subscription(planner, document, select_operation(document, None), variables)


def test_the_root_field_goes_to_its_subgraph_and_entities_follow(planner: QueryPlanner) -> None:
    plan = _plan(
        planner,
        "subscription($d: ID) { changed: appointmentChanged(doctorId: $d) "
        "{ appointmentId appointment { patientName } } }",
    )
    assert plan.root.service_name == "live"
    assert plan.root.operation == (
        "subscription($d:ID,$_hgSince:Int){changed:appointmentChanged(doctorId:$d,"
        "since:$_hgSince){appointmentId appointment{__typename id} _hgPosition:position}}"
    )
    assert plan.response_key == "changed"
    assert plan.resumable
    assert node_to_json(plan.rest.node) == {  # type: ignore[arg-type]
        "kind": "Flatten",
        "path": "changed.appointment",
        "node": {
            "kind": "Fetch",
            "serviceName": "records",
            "operation": "query($representations:[_Any!]!){_entities(representations:"
            "$representations){... on Appointment{patientName}}}",
            "requires": [{"on": "Appointment", "selections": "__typename id"}],
        },
    }


def test_since_comes_from_a_literal_or_a_variable_per_request(planner: QueryPlanner) -> None:
    literal = _plan(planner, "subscription { appointmentChanged(since: 7) { position } }")
    assert literal.since_value({}) == 7
    variable = _plan(
        planner, "subscription($s: Int) { appointmentChanged(since: $s) { position } }"
    )
    assert variable.since_value({"s": 3}) == 3
    assert variable.since_value({}) is None
    assert SINCE_VARIABLE in variable.root.variable_usages
    # the client's own position selection is kept; the router adds its private alias
    assert "position _hgPosition:position" in variable.root.operation


def test_only_one_root_field(planner: QueryPlanner) -> None:
    with pytest.raises(PlanningError):
        _plan(planner, "subscription { ... on Subscription { appointmentChanged { position } } }")
