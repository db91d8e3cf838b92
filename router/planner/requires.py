"""@requires handling: the fields an entity fetch needs and the representations it carries."""

from __future__ import annotations

import copy

from router.planner.fieldset import parse_field_set
from router.planner.graph_view import GraphView
from router.planner.groups import FetchGroup
from router.planner.nodes import RequiresFragment
from router.planner.operation import Field, Selection
from router.planner.selections import alias_arguments, merge_into

__all__ = ["add_requires", "required_fields"]


def required_fields(
    view: GraphView, graph: str, type_name: str, selection: Selection
) -> list[Selection]:
    """The `@requires` selection `graph` needs before it resolves `selection` on `type_name`."""
    if not isinstance(selection, Field) or selection.name == "__typename":
        return []
    requires, _ = view.join(graph, type_name, selection.name)
    if not requires:
        return []
    required = parse_field_set(requires)
    alias_arguments(required)
    return required


def add_requires(group: FetchGroup, fragment: RequiresFragment) -> None:
    """Add a representation shape to an entity fetch, merging one of the same type."""
    for index, existing in enumerate(group.requires):
        if (
            existing.type_condition == fragment.type_condition
            and existing.typename == fragment.typename
        ):
            merged = list(existing.selections)
            for selection in copy.deepcopy(list(fragment.selections)):
                merge_into(merged, selection)
            group.requires[index] = RequiresFragment(
                existing.type_condition, tuple(merged), existing.typename
            )
            return
    group.requires.append(fragment)
