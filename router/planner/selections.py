"""Selection-set algebra used by the planner (GraphQL spec 5.3 field selection merging)."""

from __future__ import annotations

import hashlib

from graphql import print_ast

from router.planner.graph_view import GraphView
from router.planner.nodes import RequiresFragment
from router.planner.operation import Field, InlineFragment, Selection, same_arguments

__all__ = [
    "alias_arguments",
    "merge_into",
    "provided_field",
    "requires_clash",
    "same_arguments",
    "selection_size",
    "single_field_parts",
]


def merge_into(out: list[Selection], selection: Selection) -> None:
    """Add a selection, merging same-key fields and same-condition fragments."""
    if isinstance(selection, Field):
        for existing in out:
            if (
                isinstance(existing, Field)
                and existing.response_key == selection.response_key
                and existing.name == selection.name
                and same_arguments(existing, selection)
            ):
                if selection.selections is not None and existing.selections is not None:
                    for child in selection.selections:
                        merge_into(existing.selections, child)
                return
        out.append(selection)
        return
    for existing in out:
        if (
            isinstance(existing, InlineFragment)
            and existing.type_condition == selection.type_condition
        ):
            for child in selection.selections:
                merge_into(existing.selections, child)
            return
    out.append(selection)


def provided_field(
    view: GraphView, provided: list[Selection] | None, type_name: str, field_name: str
) -> tuple[bool, list[Selection] | None]:
    if not provided:
        return False, None
    for selection in provided:
        if isinstance(selection, Field):
            if selection.name == field_name:
                return True, selection.selections
        elif view.matches(type_name, selection.type_condition):
            found, child = provided_field(view, selection.selections, type_name, field_name)
            if found:
                return True, child
    return False, None


def alias_arguments(selections: list[Selection]) -> None:
    """Give required fields with arguments a stable private alias (no clash with client fields)."""
    for selection in selections:
        if isinstance(selection, Field) and selection.arguments:
            printed = ",".join(f"{a.name.value}:{print_ast(a.value)}" for a in selection.arguments)
            digest = hashlib.sha256(printed.encode()).hexdigest()[:8]
            selection.alias = f"_hg_{selection.name}_{digest}"
        if selection.selections:
            alias_arguments(selection.selections)


def requires_clash(left: RequiresFragment, right: RequiresFragment) -> bool:
    """Two representations of one type that need the same field with different arguments."""
    if left.type_condition != right.type_condition:
        return False
    names = {s.name: s.alias for s in left.selections if isinstance(s, Field) and s.arguments}
    return any(
        isinstance(s, Field) and s.name in names and names[s.name] != s.alias
        for s in right.selections
    )


def selection_size(selections: list[Selection] | None) -> int:
    if not selections:
        return 0
    return sum(
        1 + selection_size(s.selections) if isinstance(s, Field) else selection_size(s.selections)
        for s in selections
    )


def single_field_parts(selections: list[Selection]) -> list[Selection]:
    """The selections split so that each part holds one field, inside the inline fragments that
    enclosed it (so the parts can go to different subgraphs)."""
    parts: list[Selection] = []
    for selection in selections:
        if isinstance(selection, InlineFragment):
            parts.extend(
                InlineFragment(selection.type_condition, [inner])
                for inner in single_field_parts(selection.selections)
            )
        else:
            parts.append(selection)
    return parts
