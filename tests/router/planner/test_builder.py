"""Planner behaviour beyond the data-driven samples: errors and root-field choices."""

from __future__ import annotations

import pytest
from graphql import parse

from router.planner import PlanningError, QueryPlanner
from router.planner.operation import select_operation
from router.supergraph import parse_supergraph
from tests.router.loopback import sample_sdl


def _plan(case: str, text: str) -> object:
    planner = QueryPlanner(parse_supergraph(sample_sdl(case)))
    document = parse(text)
    operation = select_operation(document, None)
    return planner.plan(
        document, operation, text=text, operation_name=None, variables={}
    ).plan.to_json()


def test_field_no_subgraph_can_reach_fails_planning() -> None:
    # cleanedAt lives only in `cleaning`, whose Bed key is not resolvable
    with pytest.raises(PlanningError, match=r"Bed\.cleanedAt"):
        _plan("composite-nonresolvable-keys", "{ beds { cleanedAt } }")


def test_introspection_and_root_typename_need_no_fetch() -> None:
    assert _plan("shareable-choice", "{ __typename __schema { queryType { name } } }") is None


def test_interface_object_typename_comes_from_the_owning_subgraph() -> None:
    plan = _plan("interface-object", "{ onDuty { __typename } }")
    assert isinstance(plan, dict)
    flatten = plan["nodes"][1]
    assert flatten["node"]["serviceName"] == "accounts"
    assert "... on Doctor{__typename}" in flatten["node"]["operation"]
