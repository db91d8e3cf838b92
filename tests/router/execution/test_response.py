"""Response shaping: client shape, aliases, `__typename`, null propagation."""

from __future__ import annotations

from typing import Any

from graphql import parse

from router.execution import ResponseShaper
from router.planner.graph_view import GraphView
from router.planner.operation import normalize, select_operation
from router.supergraph import parse_supergraph
from tests.router.loopback import sample_sdl

SUPERGRAPH = parse_supergraph(sample_sdl())
SHAPER = ResponseShaper(SUPERGRAPH.api_schema, GraphView(SUPERGRAPH))


def _shape(query: str, data: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    document = parse(query)
    operation = normalize(document, select_operation(document, None), {})
    errors: list[dict[str, Any]] = []
    return SHAPER.shape("Query", operation.selections, data, errors), errors


def test_extra_fields_are_dropped_and_order_follows_the_query() -> None:
    data = {"patient": {"__typename": "Patient", "id": "1", "name": "N", "internal": 1}}
    shaped, errors = _shape('{ patient(id: "1") { name id __typename } }', data)
    assert shaped == {"patient": {"name": "N", "id": "1", "__typename": "Patient"}}
    assert list(shaped["patient"]) == ["name", "id", "__typename"]
    assert errors == []


def test_union_members_select_their_fragments() -> None:
    data = {"recentEvents": [{"__typename": "Admission", "ward": "W", "reason": "x"}]}
    shaped, _ = _shape(
        "{ recentEvents { ... on Visit { reason } ... on Admission { ward } } }", data
    )
    assert shaped == {"recentEvents": [{"ward": "W"}]}


def test_missing_non_null_field_nulls_the_nearest_nullable_parent() -> None:
    shaped, errors = _shape('{ patient(id: "1") { id name } }', {"patient": {"id": "1"}})
    assert shaped == {"patient": None}
    assert errors[0]["path"] == ["patient", "name"]


def test_root_typename_is_answered_locally() -> None:
    shaped, _ = _shape("{ __typename t: __typename }", {})
    assert shaped == {"__typename": "Query", "t": "Query"}
