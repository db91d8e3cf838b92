"""Selection merging and private aliases for required fields."""

from __future__ import annotations

from router.planner.fieldset import parse_field_set
from router.planner.operation import Field, InlineFragment, Selection
from router.planner.selections import alias_arguments, merge_into, selection_size


def test_merge_combines_same_fields_and_fragments() -> None:
    out: list[Selection] = []
    merge_into(out, Field("a", selections=[Field("x")]))
    merge_into(out, Field("a", selections=[Field("y")]))
    merge_into(out, InlineFragment("T", [Field("z")]))
    merge_into(out, InlineFragment("T", [Field("w")]))
    assert out == [
        Field("a", selections=[Field("x"), Field("y")]),
        InlineFragment("T", [Field("z"), Field("w")]),
    ]


def test_fields_with_different_arguments_stay_apart() -> None:
    out = parse_field_set("items(kind: 1)")
    for selection in parse_field_set("items(kind: 2)"):
        merge_into(out, selection)
    assert len(out) == 2


def test_alias_arguments_is_stable_and_private() -> None:
    first = parse_field_set('items(kind: "boxed") { id }')
    second = parse_field_set('items(kind: "boxed") { id }')
    alias_arguments(first)
    alias_arguments(second)
    assert isinstance(first[0], Field)
    assert isinstance(second[0], Field)
    assert first[0].alias == second[0].alias
    assert first[0].alias is not None
    assert first[0].alias.startswith("_hg_items_")
    assert selection_size(first) == 2


def test_field_sets_parse_nested_and_fragments() -> None:
    parsed = parse_field_set("id site { code } ... on Bed { number }")
    assert [type(s).__name__ for s in parsed] == ["Field", "Field", "InlineFragment"]
