"""Linked response paths and the objects at a plan path, in document order."""

from __future__ import annotations

from router.execution.merge import objects_at
from router.execution.paths import path_list


def test_path_list_unwinds_a_linked_path() -> None:
    assert path_list(None) == []
    assert path_list(((((None, "a"), 0), "b"), 2)) == ["a", 0, "b", 2]


def test_objects_at_keeps_document_order_and_flattens_nested_lists() -> None:
    data = {
        "users": [
            {"reviews": [{"id": 1}, [{"id": 2}, None], {"id": 3}]},
            None,
            {"reviews": {"id": 4}},
            {"reviews": None},
            [{"reviews": [{"id": 5}]}],
        ]
    }
    found = [
        (obj["id"], path_list(path)) for obj, path in objects_at(data, ("users", "@", "reviews"))
    ]
    assert found == [
        (1, ["users", 0, "reviews", 0]),
        (2, ["users", 0, "reviews", 1, 0]),
        (3, ["users", 0, "reviews", 2]),
        (4, ["users", 2, "reviews"]),
        (5, ["users", 4, 0, "reviews", 0]),
    ]
    assert objects_at({"users": {"id": 1}}, ("users", "@")) == []
    assert objects_at(None, ("users",)) == []
