"""Build federated query plans (Apollo Federation v2 query planning: keys, @requires, @provides, interface objects)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from graphql import print_ast

from router.planner.fieldset import parse_field_set
from router.planner.graph_view import GraphView
from router.planner.nodes import (
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    RequiresFragment,
    SequenceNode,
)
from router.planner.operation import Field, InlineFragment, Operation, Selection
from router.planner.printer import print_subgraph_operation
from router.supergraph.model import EntityKey

__all__ = ["PlanBuilder", "PlanningError"]

_MAX_DEPTH = 64
_INTROSPECTION = frozenset({"__schema", "__type"})


class PlanningError(ValueError):
    """The operation cannot be planned against this supergraph."""


@dataclass(slots=True)
class _Group:
    id: int
    graph: str
    path: tuple[str, ...]
    entity: bool
    parent: int | None
    selections: list[Selection] = field(default_factory=list)
    requires: list[RequiresFragment] = field(default_factory=list)
    depends_on: set[int] = field(default_factory=set)


def _same_arguments(left: Field, right: Field) -> bool:
    if len(left.arguments) != len(right.arguments):
        return False
    printed = sorted(f"{a.name.value}:{print_ast(a.value)}" for a in left.arguments)
    return printed == sorted(f"{a.name.value}:{print_ast(a.value)}" for a in right.arguments)


def merge_into(out: list[Selection], selection: Selection) -> None:
    """Add a selection, merging fields with the same response key and fragments with the same condition."""
    if isinstance(selection, Field):
        for existing in out:
            if (
                isinstance(existing, Field)
                and existing.response_key == selection.response_key
                and existing.name == selection.name
                and _same_arguments(existing, selection)
            ):
                if selection.selections is not None and existing.selections is not None:
                    for child in selection.selections:
                        merge_into(existing.selections, child)
                return
        out.append(selection)
        return
    for existing in out:
        if isinstance(existing, InlineFragment) and existing.type_condition == selection.type_condition:
            for child in selection.selections:
                merge_into(existing.selections, child)
            return
    out.append(selection)


def _provided(
    view: GraphView, provided: list[Selection] | None, type_name: str, field_name: str
) -> tuple[bool, list[Selection] | None]:
    if not provided:
        return False, None
    for selection in provided:
        if isinstance(selection, Field):
            if selection.name == field_name:
                return True, selection.selections
        elif view.matches(type_name, selection.type_condition):
            found, child = _provided(view, selection.selections, type_name, field_name)
            if found:
                return True, child
    return False, None


class PlanBuilder:
    """Plans one normalized operation; create a new builder per operation."""

    def __init__(self, view: GraphView, operation: Operation) -> None:
        self.view = view
        self.operation = operation
        self.groups: list[_Group] = []
        self._children: dict[tuple[int, str, tuple[str, ...], frozenset[int]], _Group] = {}
        self._touched: list[set[int]] = []
        self._depth = 0

    # ------------------------------------------------------------------ groups
    def _new_group(
        self, graph: str, path: tuple[str, ...], *, entity: bool, parent: int | None
    ) -> _Group:
        group = _Group(len(self.groups), graph, path, entity, parent)
        self.groups.append(group)
        return group

    def _child(
        self, parent: _Group, graph: str, path: tuple[str, ...], deps: frozenset[int]
    ) -> _Group:
        key = (parent.id, graph, path, deps)
        group = self._children.get(key)
        if group is None:
            group = self._new_group(graph, path, entity=True, parent=parent.id)
            group.depends_on = set(deps) | {parent.id}
            self._children[key] = group
        return group

    # ------------------------------------------------------------------ scoring
    def _score(self, graph: str, type_name: str, selections: list[Selection] | None) -> int:
        if not selections:
            return 0
        missing = 0
        for selection in selections:
            if isinstance(selection, InlineFragment):
                missing += self._score(
                    graph, selection.type_condition or type_name, selection.selections
                )
                continue
            if selection.name == "__typename":
                continue
            requires, _ = self.view.join(graph, type_name, selection.name)
            if requires or not self.view.resolvable(graph, type_name, selection.name):
                missing += 1
                continue
            field_info = self.view.field(type_name, selection.name)
            if field_info is not None and selection.selections:
                missing += self._score(graph, field_info.type_name, selection.selections)
        return missing

    # ------------------------------------------------------------------ planning
    def plan_into(
        self,
        group: _Group,
        parent_type: str,
        selections: list[Selection],
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
    ) -> None:
        self._depth += 1
        if self._depth > _MAX_DEPTH:
            raise PlanningError("the operation needs too many nested subgraph fetches to plan")
        try:
            self._plan_into(group, parent_type, selections, path, out, provided)
        finally:
            self._depth -= 1

    def _plan_into(
        self,
        group: _Group,
        parent_type: str,
        selections: list[Selection],
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
    ) -> None:
        view = self.view
        graph = group.graph
        interface_object = view.is_interface_object(graph, parent_type)
        if view.is_abstract(parent_type) and not interface_object:
            self._plan_abstract(group, parent_type, selections, path, out, provided)
            return
        for selection in selections:
            if isinstance(selection, InlineFragment):
                condition = selection.type_condition
                if condition is None or view.matches(parent_type, condition):
                    self.plan_into(group, parent_type, selection.selections, path, out, provided)
                elif interface_object and view.matches(condition, parent_type):
                    self._jump(group, parent_type, selection, path, out, provided)
                continue
            if selection.name == "__typename":
                if interface_object and self._has_real_interface(parent_type):
                    self._jump(group, parent_type, selection, path, out, provided)
                else:
                    merge_into(out, Field("__typename", selection.alias))
                continue
            is_provided, child_provided = _provided(view, provided, parent_type, selection.name)
            requires, _ = view.join(graph, parent_type, selection.name)
            local = view.resolvable(graph, parent_type, selection.name) and not requires
            if local or (is_provided and view.external(graph, parent_type, selection.name)):
                self._local_field(group, parent_type, selection, path, out, child_provided)
            else:
                self._jump(group, parent_type, selection, path, out, provided)

    def _has_real_interface(self, interface: str) -> bool:
        info = self.view.type(interface)
        return any(
            not type_graph.is_interface_object and any(k.resolvable for k in type_graph.keys)
            for type_graph in info.graphs
        )

    def _plan_abstract(
        self,
        group: _Group,
        parent_type: str,
        selections: list[Selection],
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
    ) -> None:
        merge_into(out, Field("__typename"))
        for runtime_type in self.view.runtime_types(group.graph, parent_type):
            applicable = self._collect(runtime_type, selections)
            if not applicable:
                continue
            fragment = InlineFragment(runtime_type, [])
            self.plan_into(group, runtime_type, applicable, path, fragment.selections, provided)
            if fragment.selections:
                merge_into(out, fragment)

    def _collect(self, runtime_type: str, selections: list[Selection]) -> list[Selection]:
        result: list[Selection] = []
        for selection in selections:
            if isinstance(selection, Field):
                result.append(selection)
            elif self.view.matches(runtime_type, selection.type_condition):
                result.extend(self._collect(runtime_type, selection.selections))
        return result

    def _local_field(
        self,
        group: _Group,
        parent_type: str,
        selection: Field,
        path: tuple[str, ...],
        out: list[Selection],
        child_provided: list[Selection] | None,
    ) -> None:
        new = selection.copy_empty()
        if selection.selections is not None and new.selections is not None:
            field_info = self.view.field(parent_type, selection.name)
            if field_info is None:
                raise PlanningError(f"unknown field {parent_type}.{selection.name}")
            _, provides = self.view.join(group.graph, parent_type, selection.name)
            if provides:
                child_provided = [*(child_provided or []), *parse_field_set(provides)]
            child_path = (*path, selection.response_key, *("@",) * field_info.list_depth)
            self.plan_into(
                group,
                field_info.type_name,
                selection.selections,
                child_path,
                new.selections,
                child_provided,
            )
        merge_into(out, new)

    def _candidates(
        self, source: str, parent_type: str, selection: Selection
    ) -> list[tuple[str, str, EntityKey]]:
        view = self.view
        found: list[tuple[str, str, EntityKey]] = []
        is_field = isinstance(selection, Field) and selection.name != "__typename"
        for graph in view.sg.subgraphs:
            if is_field:
                assert isinstance(selection, Field)
                if view.resolvable(graph, parent_type, selection.name):
                    found.extend((graph, parent_type, k) for k in view.resolvable_keys(graph, parent_type))
                for interface in view.type(parent_type).interfaces:
                    if view.is_interface_object(graph, interface) and view.resolvable(
                        graph, interface, selection.name
                    ):
                        found.extend((graph, interface, k) for k in view.resolvable_keys(graph, interface))
            elif graph != source and not view.is_interface_object(graph, parent_type):
                found.extend((graph, parent_type, k) for k in view.resolvable_keys(graph, parent_type))
        return found

    def _jump(
        self,
        group: _Group,
        parent_type: str,
        selection: Selection,
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
    ) -> None:
        view = self.view
        candidates = self._candidates(group.graph, parent_type, selection)
        if not candidates:
            name = selection.name if isinstance(selection, Field) else f"... on {selection.type_condition}"
            raise PlanningError(
                f"no subgraph can resolve {parent_type}.{name} from subgraph {group.graph}"
            )
        existing = {g.graph for g in self.groups if g.parent == group.id and g.path == path}

        def rank(candidate: tuple[str, str, EntityKey]) -> tuple[int, int, int, int]:
            graph, via, key = candidate
            providable = view.can_provide(group.graph, parent_type, parse_field_set(key.fields))
            sub = selection.selections if isinstance(selection, Field) else [selection]
            return (
                0 if providable else 1,
                self._score(graph, via, sub) + (0 if graph in existing else 1),
                0 if via == parent_type else 1,
                view.order[graph],
            )

        target, via, key = min(candidates, key=rank)
        inputs: list[Selection] = [Field("__typename"), *parse_field_set(key.fields)]
        required: list[Selection] = []
        if isinstance(selection, Field) and selection.name != "__typename":
            requires, _ = view.join(target, via, selection.name)
            if requires:
                required = parse_field_set(requires)
        self._touched.append(set())
        try:
            self.plan_into(
                group, parent_type, copy.deepcopy(inputs + required), path, out, provided
            )
        finally:
            deps = self._touched.pop()
        child = self._child(group, target, path, frozenset(deps))
        if self._touched:
            self._touched[-1].add(child.id)
            self._touched[-1].update(deps)
        representation = RequiresFragment(
            type_condition=parent_type,
            selections=tuple(inputs + required),
            typename=via if via != parent_type else None,
        )
        self._add_requires(child, representation)
        fragment = InlineFragment(via, [])
        if isinstance(selection, Field) and selection.name != "__typename":
            self._local_field(child, via, selection, path, fragment.selections, None)
        else:
            self.plan_into(child, via, [selection], path, fragment.selections, None)
        merge_into(child.selections, fragment)

    @staticmethod
    def _add_requires(group: _Group, fragment: RequiresFragment) -> None:
        for index, existing in enumerate(group.requires):
            if existing.type_condition == fragment.type_condition and existing.typename == fragment.typename:
                merged = list(existing.selections)
                for selection in copy.deepcopy(list(fragment.selections)):
                    merge_into(merged, selection)
                group.requires[index] = RequiresFragment(
                    existing.type_condition, tuple(merged), existing.typename
                )
                return
        group.requires.append(fragment)

    # ------------------------------------------------------------------ roots
    def _root_fields(self, selections: list[Selection], root: str) -> list[Field]:
        fields: list[Field] = []
        for selection in selections:
            if isinstance(selection, Field):
                fields.append(selection)
            elif self.view.matches(root, selection.type_condition):
                fields.extend(self._root_fields(selection.selections, root))
        return fields

    def _root_graph(self, root: str, selection: Field, used: list[str]) -> str:
        view = self.view
        candidates = [g for g in view.sg.subgraphs if view.resolvable(g, root, selection.name)]
        if not candidates:
            raise PlanningError(f"no subgraph resolves {root}.{selection.name}")
        field_info = view.field(root, selection.name)
        assert field_info is not None

        def rank(graph: str) -> tuple[int, int]:
            cost = self._score(graph, field_info.type_name, selection.selections)
            return (cost + (0 if graph in used else 1), view.order[graph])

        return min(candidates, key=rank)

    def build(self) -> QueryPlan:
        kind = self.operation.kind
        root = self.view.sg.root_types.get(kind)
        if root is None:
            raise PlanningError(f"the supergraph has no {kind} root type")
        fields = [
            f
            for f in self._root_fields(self.operation.selections, root)
            if f.name != "__typename" and f.name not in _INTROSPECTION
        ]
        chunks: list[list[int]] = []
        if kind == "mutation":
            previous: _Group | None = None
            for selection in fields:
                graph = self._root_graph(root, selection, [previous.graph] if previous else [])
                if previous is None or previous.graph != graph:
                    start = len(self.groups)
                    previous = self._new_group(graph, (), entity=False, parent=None)
                    chunks.append([start])
                else:
                    start = chunks[-1][0]
                self._local_field(previous, root, selection, (), previous.selections, None)
                chunks[-1] = list(range(start, len(self.groups)))
        else:
            roots: dict[str, _Group] = {}
            for selection in fields:
                graph = self._root_graph(root, selection, list(roots))
                group = roots.get(graph)
                if group is None:
                    group = self._new_group(graph, (), entity=False, parent=None)
                    roots[graph] = group
                self._local_field(group, root, selection, (), group.selections, None)
            if self.groups:
                chunks.append(list(range(len(self.groups))))
        nodes = [self._layered(chunk, kind) for chunk in chunks]
        if not nodes:
            return QueryPlan(None)
        return QueryPlan(nodes[0] if len(nodes) == 1 else SequenceNode(tuple(nodes)))

    # ------------------------------------------------------------------ nodes
    def _layered(self, ids: list[int], kind: str) -> PlanNode:
        levels: dict[int, int] = {}

        def level(group_id: int) -> int:
            if group_id not in levels:
                deps = [d for d in self.groups[group_id].depends_on if d in ids]
                levels[group_id] = 0 if not deps else 1 + max(level(d) for d in deps)
            return levels[group_id]

        by_level: dict[int, list[PlanNode]] = {}
        for group_id in ids:
            by_level.setdefault(level(group_id), []).append(self._fetch(self.groups[group_id], kind))
        steps: list[PlanNode] = []
        for index in sorted(by_level):
            nodes = by_level[index]
            steps.append(nodes[0] if len(nodes) == 1 else ParallelNode(tuple(nodes)))
        return steps[0] if len(steps) == 1 else SequenceNode(tuple(steps))

    def _fetch(self, group: _Group, kind: str) -> PlanNode:
        name = None
        if self.operation.name:
            graph = re.sub(r"\W", "_", group.graph)
            name = f"{self.operation.name}__{graph}__{group.id}"
        operation, usages = print_subgraph_operation(
            "query" if group.entity else kind,
            group.selections,
            self.operation.variable_definitions,
            entities=group.entity,
            name=name,
        )
        fetch = FetchNode(
            service_name=group.graph,
            operation=operation,
            operation_kind="query" if group.entity else kind,
            variable_usages=usages,
            requires=tuple(group.requires),
        )
        return FlattenNode(group.path, fetch) if group.entity else fetch
