"""Merging entity results into the response tree."""

from __future__ import annotations

from router.execution.merge import deep_merge, unalias, walk_path


def _abstract(name: str) -> bool:
    return name == "Account"


def test_concrete_typename_replaces_interface_object_typename() -> None:
    target = {"__typename": "Account", "id": "1"}
    deep_merge(target, {"__typename": "Admin", "isMain": True}, _abstract)
    assert target == {"__typename": "Admin", "id": "1", "isMain": True}
    deep_merge(target, {"__typename": "Account", "name": "A"}, _abstract)
    assert target == {"__typename": "Admin", "id": "1", "isMain": True, "name": "A"}


def test_nested_objects_and_lists_merge() -> None:
    target = {"a": {"b": [{"x": 1}, {"x": 2}]}}
    deep_merge(target, {"a": {"b": [{"y": 1}, {"y": 2}], "c": 3}}, _abstract)
    assert target == {"a": {"b": [{"x": 1, "y": 1}, {"x": 2, "y": 2}], "c": 3}}


def test_walk_path_steps_into_lists_and_skips_nulls() -> None:
    data = {"products": [{"reviews": [{"id": 1}, None]}, None, {"reviews": []}]}
    found = list(walk_path(data, ("products", "@", "reviews", "@")))
    assert found == [({"id": 1}, ("products", 0, "reviews", 0))]


def test_unalias_renames_generated_keys_only() -> None:
    value = {"_hg0_id": "x", "name": "y", "list": [{"_hg0_id": "z", "other": 1}]}
    assert unalias(value, {"_hg0_id": "id"}) == {
        "id": "x",
        "name": "y",
        "list": [{"id": "z", "other": 1}],
    }
