"""The compiled response shaper: one compilation serves many responses, paths stay exact."""

from __future__ import annotations

from typing import Any

from graphql import parse

from router.execution import ResponseShaper
from router.planner.graph_view import GraphView
from router.planner.operation import Selection, normalize, select_operation
from router.supergraph import parse_supergraph
from tests.router.loopback import sample_sdl

SUPERGRAPH = parse_supergraph(sample_sdl())


def _selections(query: str) -> list[Selection]:
    document = parse(query)
    return normalize(document, select_operation(document, None), {}).selections


def _shape(
    shaper: ResponseShaper, selections: list[Selection], data: dict[str, Any]
) -> tuple[Any, list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []
    return shaper.shape("Query", selections, data, errors), errors


def test_the_same_selections_shape_different_data_and_runtime_types() -> None:
    shaper = ResponseShaper(SUPERGRAPH.api_schema, GraphView(SUPERGRAPH))
    selections = _selections(
        "{ recentEvents { __typename ... on Visit { id reason } ... on Admission { ward } } }"
    )
    first = {"recentEvents": [{"__typename": "Visit", "id": "v", "reason": "r", "x": 1}]}
    second = {
        "recentEvents": [
            {"__typename": "Admission", "ward": "W", "patient": {}},
            {"__typename": "Visit", "id": "v2", "reason": None},
        ]
    }
    assert _shape(shaper, selections, first) == (
        {"recentEvents": [{"__typename": "Visit", "id": "v", "reason": "r"}]},
        [],
    )
    assert _shape(shaper, selections, second) == (
        {
            "recentEvents": [
                {"__typename": "Admission", "ward": "W"},
                {"__typename": "Visit", "id": "v2", "reason": None},
            ]
        },
        [],
    )


def test_errors_carry_list_indices_and_nulls_propagate_to_the_nullable_parent() -> None:
    shaper = ResponseShaper(SUPERGRAPH.api_schema, GraphView(SUPERGRAPH))
    selections = _selections('{ patient(id: "1") { id visits { id priority } } }')
    data = {
        "patient": {
            "id": "1",
            "visits": [{"id": "a", "priority": "URGENT"}, {"id": "b", "priority": "BOGUS"}],
        }
    }
    shaped, errors = _shape(shaper, selections, data)
    assert shaped == {
        "patient": {
            "id": "1",
            "visits": [{"id": "a", "priority": "URGENT"}, {"id": "b", "priority": None}],
        }
    }
    assert errors == [
        {
            "message": "Invalid value for enum Priority.",
            "path": ["patient", "visits", 1, "priority"],
            "extensions": {"code": "INVALID_ENUM_VALUE"},
        }
    ]
    # a missing non-null id in the second visit nulls the non-null list, then `patient`
    missing = {"patient": {"id": "1", "visits": [{"id": "a"}, {"priority": "ROUTINE"}]}}
    shaped, errors = _shape(shaper, selections, missing)
    assert shaped == {"patient": None}
    assert [e["path"] for e in errors] == [["patient", "visits", 1, "id"]]


def test_a_non_null_scalar_that_is_present_is_copied_and_a_missing_one_reported() -> None:
    shaper = ResponseShaper(SUPERGRAPH.api_schema, GraphView(SUPERGRAPH))
    selections = _selections("{ patients { id name } }")
    shaped, errors = _shape(shaper, selections, {"patients": [{"id": "1", "name": "N"}]})
    assert (shaped, errors) == ({"patients": [{"id": "1", "name": "N"}]}, [])
    shaped, errors = _shape(shaper, selections, {"patients": [{"id": "1"}]})
    assert shaped is None
    assert errors[0]["path"] == ["patients", 0, "name"]
