"""Entity jumps: key selection, @requires inputs and the child fetch groups they open."""

from __future__ import annotations

import copy
from collections.abc import Callable

from router.planner.errors import PlanningError
from router.planner.fieldset import parse_field_set
from router.planner.graph_view import GraphView
from router.planner.groups import FetchGroup
from router.planner.limits import PlanningBudget
from router.planner.nodes import RequiresFragment
from router.planner.operation import Field, InlineFragment, Operation, Selection
from router.planner.reach import Reachability
from router.planner.requires import add_requires, required_fields
from router.planner.selections import merge_into, requires_clash, single_field_parts
from router.supergraph.model import EntityKey

__all__ = ["EntityJumps"]


class EntityJumps(Reachability):
    """Holds the fetch groups of one plan and moves selections into entity fetches."""

    def __init__(
        self, view: GraphView, operation: Operation, budget: PlanningBudget | None = None
    ) -> None:
        super().__init__(view)
        self.budget = budget or PlanningBudget()
        self.operation = operation
        self.groups: list[FetchGroup] = []
        self._children: dict[tuple[int, str, tuple[str, ...], frozenset[int], int], FetchGroup] = {}
        self._touched: list[set[int]] = []
        self._alternatives: dict[tuple[int, tuple[str, ...]], frozenset[str]] = {}
        self._depth = 0

    # provided by the field planner (router.planner.fields.FieldPlanner)
    plan_into: Callable[
        [
            FetchGroup,
            str,
            list[Selection],
            tuple[str, ...],
            list[Selection],
            list[Selection] | None,
        ],
        None,
    ]
    _field_here: Callable[..., None]

    def _new_group(
        self, graph: str, path: tuple[str, ...], *, entity: bool, parent: int | None
    ) -> FetchGroup:
        self.budget.check_fetches(len(self.groups))
        group = FetchGroup(len(self.groups), graph, path, entity, parent)
        self.groups.append(group)
        return group

    def _child(
        self,
        parent: FetchGroup,
        graph: str,
        path: tuple[str, ...],
        deps: frozenset[int],
        representation: RequiresFragment,
    ) -> FetchGroup:
        attempt = 0
        while True:
            key = (parent.id, graph, path, deps, attempt)
            group = self._children.get(key)
            if group is None:
                group = self._new_group(graph, path, entity=True, parent=parent.id)
                group.depends_on = set(deps) | {parent.id}
                self._children[key] = group
                return group
            if not any(requires_clash(r, representation) for r in group.requires):
                return group
            attempt += 1

    def _jump(
        self,
        group: FetchGroup,
        parent_type: str,
        selection: Selection,
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
        *,
        exclude_source: bool = False,
    ) -> None:
        view = self.view
        candidates = self._candidates(
            group.graph, parent_type, selection, exclude_source=exclude_source, provided=provided
        )
        if not candidates:
            name = (
                selection.name
                if isinstance(selection, Field)
                else f"... on {selection.type_condition}"
            )
            raise PlanningError(
                f"no subgraph can resolve {parent_type}.{name} from subgraph {group.graph}"
            )
        existing = {g.graph for g in self.groups if g.parent == group.id and g.path == path}

        def rank(candidate: tuple[str, str, EntityKey]) -> tuple[int, int, int, int]:
            graph, via, key = candidate
            providable = self._can_provide(
                group.graph, parent_type, parse_field_set(key.fields), provided
            )
            sub = [selection]
            return (
                0 if providable else 1,
                self._unreachable(graph, via, sub) * 100
                + self._score(graph, via, sub)
                + (0 if graph in existing else 1),
                0 if via == parent_type else 1,
                view.order[graph],
            )

        target, via, key = min(candidates, key=rank)
        if (
            isinstance(selection, Field)
            and selection.selections is not None
            and len(single_field_parts(selection.selections)) > 1
            and self._unreachable(target, via, [selection])
        ):
            # no one subgraph reaches the whole field: fetch each part where it is reachable
            for child in single_field_parts(selection.selections):
                part = selection.copy_empty()
                part.selections = [child]
                self._jump(
                    group, parent_type, part, path, out, provided, exclude_source=exclude_source
                )
            return
        keys = parse_field_set(key.fields)
        required = required_fields(view, target, via, selection)
        inputs: list[Selection] = [Field("__typename"), *keys]
        merge_into(out, Field("__typename"))
        self._touched.append(set())
        try:
            self.plan_into(group, parent_type, copy.deepcopy(keys + required), path, out, provided)
        finally:
            deps = self._touched.pop()
        representation = RequiresFragment(
            type_condition=parent_type,
            selections=tuple(inputs + required),
            typename=via if via != parent_type else None,
        )
        fetch_group = self._child(group, target, path, frozenset(deps), representation)
        if self._touched:
            self._touched[-1].add(fetch_group.id)
            self._touched[-1].update(deps)
        add_requires(fetch_group, representation)
        fragment = InlineFragment(via, [])
        if isinstance(selection, Field) and selection.name != "__typename":
            self._field_here(fetch_group, via, selection, path, fragment.selections, None, None)
        else:
            self.plan_into(fetch_group, via, [selection], path, fragment.selections, None)
        merge_into(fetch_group.selections, fragment)
