"""Build federated query plans (Apollo Federation v2 query planning)."""

from __future__ import annotations

import copy
import re

from router.planner.assemble import PlanAssembler
from router.planner.fieldset import parse_field_set
from router.planner.graph_view import GraphView
from router.planner.groups import FetchGroup
from router.planner.limits import PlanningBudget
from router.planner.nodes import QueryPlan, RequiresFragment, SequenceNode
from router.planner.operation import Field, InlineFragment, Operation, Selection
from router.planner.selections import (
    alias_arguments,
    merge_into,
    provided_field,
    requires_clash,
    selection_size,
)
from router.supergraph.model import EntityKey

__all__ = ["PlanBuilder", "PlanningError"]

_INTROSPECTION = frozenset({"__schema", "__type"})


class PlanningError(ValueError):
    """The operation cannot be planned against this supergraph."""


class PlanBuilder:
    """Plans one normalized operation; create a new builder per operation."""

    def __init__(
        self, view: GraphView, operation: Operation, budget: PlanningBudget | None = None
    ) -> None:
        self.view = view
        self.budget = budget or PlanningBudget()
        self.operation = operation
        self.groups: list[FetchGroup] = []
        self._children: dict[tuple[int, str, tuple[str, ...], frozenset[int], int], FetchGroup] = {}
        self._touched: list[set[int]] = []
        self._alternatives: dict[tuple[int, tuple[str, ...]], frozenset[str]] = {}
        self._depth = 0

    # ------------------------------------------------------------------ groups
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

    # ------------------------------------------------------------------ scoring
    def _here(
        self, graph: str, type_name: str, name: str, provided: list[Selection] | None
    ) -> tuple[bool, list[Selection] | None]:
        """Whether `graph` resolves the field in place (maybe by @provides); what it provides."""
        view = self.view
        is_provided, child = provided_field(view, provided, type_name, name)
        requires, provides = view.join(graph, type_name, name)
        if is_provided and view.external(graph, type_name, name):
            return True, child
        if view.resolvable(graph, type_name, name) and not requires:
            if provides:
                child = [*(child or []), *parse_field_set(provides)]
            return True, child
        return False, None

    def _score(
        self,
        graph: str,
        type_name: str,
        selections: list[Selection] | None,
        provided: list[Selection] | None = None,
    ) -> int:
        """How much of the selection `graph` cannot resolve in place (more fetches)."""
        return self._cost(graph, type_name, selections or [], provided)[1]

    def _unreachable(
        self,
        graph: str,
        type_name: str,
        selections: list[Selection],
        provided: list[Selection] | None = None,
    ) -> int:
        """How many selected fields neither `graph` nor an entity jump from it can reach."""
        return self._cost(graph, type_name, selections, provided)[0]

    def _cost(
        self,
        graph: str,
        type_name: str,
        selections: list[Selection],
        provided: list[Selection] | None,
    ) -> tuple[int, int]:
        """(unreachable fields, fields needing other fetches) when `graph` resolves a selection."""
        view = self.view
        if view.is_abstract(type_name) and not view.is_interface_object(graph, type_name):
            runtime_types = view.runtime_types(graph, type_name)
            if runtime_types:
                costs = [
                    self._cost(graph, t, self._collect(t, selections), provided)
                    for t in runtime_types
                ]
                return sum(c[0] for c in costs), sum(c[1] for c in costs)
        unreachable = missing = 0
        for selection in selections:
            if isinstance(selection, InlineFragment):
                inner = self._cost(
                    graph, selection.type_condition or type_name, selection.selections, provided
                )
            elif selection.name == "__typename":
                continue
            else:
                inner = self._field_cost(graph, type_name, selection, provided)
            unreachable += inner[0]
            missing += inner[1]
        return unreachable, missing

    def _field_cost(
        self, graph: str, type_name: str, selection: Field, provided: list[Selection] | None
    ) -> tuple[int, int]:
        view = self.view
        here, child = self._here(graph, type_name, selection.name, provided)
        if here:
            field_info = view.field(type_name, selection.name)
            if selection.selections and field_info is not None:
                return self._cost(graph, field_info.type_name, selection.selections, child)
            return 0, 0
        missing = 1 + selection_size(selection.selections)
        reachable = self._candidates(graph, type_name, selection, provided=provided) or (
            view.is_abstract(type_name)
            and any(
                view.resolvable(graph, t, selection.name)
                for t in view.runtime_types(graph, type_name)
            )
        )
        return (0 if reachable else 1), missing

    # ------------------------------------------------------------------ planning
    def plan_into(
        self,
        group: FetchGroup,
        parent_type: str,
        selections: list[Selection],
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
    ) -> None:
        self._depth += 1
        self.budget.check_depth(self._depth)
        try:
            self._plan_into(group, parent_type, selections, path, out, provided)
        finally:
            self._depth -= 1

    def _plan_into(
        self,
        group: FetchGroup,
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
        if interface_object:
            merge_into(out, Field("__typename"))
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
            is_provided, child_provided = provided_field(
                view, provided, parent_type, selection.name
            )
            requires, _ = view.join(graph, parent_type, selection.name)
            local = view.resolvable(graph, parent_type, selection.name) and not requires
            if local or (is_provided and view.external(graph, parent_type, selection.name)):
                self._field_here(
                    group, parent_type, selection, path, out, provided, child_provided, is_provided
                )
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
        group: FetchGroup,
        parent_type: str,
        selections: list[Selection],
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
    ) -> None:
        merge_into(out, Field("__typename"))
        runtime_types = self.view.runtime_types(group.graph, parent_type)
        alternatives = self._alternatives.get((group.id, path), frozenset())
        if self.view.type(parent_type).kind == "UNION" and len(alternatives) > 1:
            # a partial union below a shareable path: only members every candidate
            # subgraph shares are safe to select
            runtime_types = [
                t
                for t in runtime_types
                if all(t in self.view.runtime_types(g, parent_type) for g in alternatives)
            ]
        for selection in selections:
            if (
                isinstance(selection, Field)
                and selection.name != "__typename"
                and not runtime_types
                and not self.view.resolvable(group.graph, parent_type, selection.name)
                and not self._candidates(group.graph, parent_type, selection)
            ):
                raise PlanningError(
                    f"no subgraph can resolve {parent_type}.{selection.name} "
                    f"from subgraph {group.graph}"
                )
        for runtime_type in runtime_types:
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
        group: FetchGroup,
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
            child_type = re.sub(r"[\[\]!\s]", "", field_info.type_in(group.graph))
            if child_type not in self.view.sg.types:
                child_type = field_info.type_name
            self._alternatives[(group.id, child_path)] = self._child_alternatives(
                group, parent_type, selection.name, path
            )
            self.plan_into(
                group,
                child_type,
                selection.selections,
                child_path,
                new.selections,
                child_provided,
            )
        merge_into(out, new)

    def _child_alternatives(
        self, group: FetchGroup, parent_type: str, field_name: str, path: tuple[str, ...]
    ) -> frozenset[str]:
        """Subgraphs that could equally have resolved the path down to this field.

        An entity resets the set to the subgraphs holding one of its keys; every shareable
        field on the way keeps only the subgraphs that resolve it too.
        """
        view = self.view
        keyed = {g for g in view.sg.subgraphs if view.resolvable_keys(g, parent_type)}
        if keyed:
            base = keyed | {group.graph}
        else:
            base = set(self._alternatives.get((group.id, path), view.sg.subgraphs))
        return frozenset(g for g in base if view.resolvable(g, parent_type, field_name))

    def _field_here(
        self,
        group: FetchGroup,
        parent_type: str,
        selection: Field,
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
        child_provided: list[Selection] | None,
        is_provided: bool = False,
    ) -> None:
        """Resolve a field in this group, splitting off the parts its subgraph cannot reach."""
        if (
            not is_provided
            and selection.selections
            and self._unreachable(group.graph, parent_type, [selection], provided)
            and self._candidates(
                group.graph, parent_type, selection, exclude_source=True, provided=provided
            )
        ):
            self._split_field(group, parent_type, selection, path, out, provided)
        else:
            self._local_field(group, parent_type, selection, path, out, child_provided)

    def _split_field(
        self,
        group: FetchGroup,
        parent_type: str,
        selection: Field,
        path: tuple[str, ...],
        out: list[Selection],
        provided: list[Selection] | None,
    ) -> None:
        """Keep what this subgraph reaches; fetch the rest through the parent entity."""
        field_info = self.view.field(parent_type, selection.name)
        assert field_info is not None
        assert selection.selections is not None
        local: list[Selection] = []
        remote: list[Selection] = []
        _, child_provided = self._here(group.graph, parent_type, selection.name, provided)
        for child in selection.selections:
            unreachable = self._unreachable(
                group.graph, field_info.type_name, [child], child_provided
            )
            (remote if unreachable else local).append(child)
        if local:
            part = selection.copy_empty()
            part.selections = local
            self._local_field(group, parent_type, part, path, out, child_provided)
        for child in remote:
            part = selection.copy_empty()
            part.selections = [child]
            if self._candidates(
                group.graph, parent_type, part, exclude_source=True, provided=provided
            ):
                self._jump(group, parent_type, part, path, out, provided, exclude_source=True)
            else:
                self._local_field(group, parent_type, part, path, out, None)

    def _candidates(
        self,
        source: str,
        parent_type: str,
        selection: Selection,
        *,
        exclude_source: bool = False,
        provided: list[Selection] | None = None,
        indirect: bool = True,
    ) -> list[tuple[str, str, EntityKey]]:
        view = self.view
        found: list[tuple[str, str, EntityKey]] = []
        is_field = isinstance(selection, Field) and selection.name != "__typename"
        for graph in view.sg.subgraphs:
            if exclude_source and graph == source:
                continue
            if is_field:
                assert isinstance(selection, Field)
                if view.resolvable(graph, parent_type, selection.name):
                    found.extend(
                        (graph, parent_type, k) for k in view.resolvable_keys(graph, parent_type)
                    )
                for interface in view.type(parent_type).interfaces:
                    if view.is_interface_object(graph, interface) and view.resolvable(
                        graph, interface, selection.name
                    ):
                        found.extend(
                            (graph, interface, k) for k in view.resolvable_keys(graph, interface)
                        )
            elif graph != source and not view.is_interface_object(graph, parent_type):
                found.extend(
                    (graph, parent_type, k) for k in view.resolvable_keys(graph, parent_type)
                )
        return [
            candidate
            for candidate in found
            if self._can_provide(
                source, parent_type, parse_field_set(candidate[2].fields), provided, hop=indirect
            )
        ]

    def _can_provide(
        self,
        graph: str,
        type_name: str,
        selections: list[Selection],
        provided: list[Selection] | None,
        *,
        hop: bool = False,
    ) -> bool:
        """Whether `graph` can return a key selection for `type_name` (with `hop`: or one more
        entity fetch can fill in the key fields it lacks)."""
        for selection in selections:
            if isinstance(selection, InlineFragment) or selection.name == "__typename":
                continue
            here, child = self._here(graph, type_name, selection.name, provided)
            if not here and not self.view.resolvable(graph, type_name, selection.name):
                if hop and self._candidates(
                    graph, type_name, selection, provided=provided, indirect=False
                ):
                    continue
                return False
            if selection.selections:
                field_info = self.view.field(type_name, selection.name)
                if field_info is None or not self._can_provide(
                    graph, field_info.type_name, selection.selections, child, hop=hop
                ):
                    return False
        return True

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
            and len(selection.selections) > 1
            and self._unreachable(target, via, [selection])
        ):
            # no one subgraph reaches the whole field: fetch each part where it is reachable
            for child in selection.selections:
                part = selection.copy_empty()
                part.selections = [child]
                self._jump(
                    group, parent_type, part, path, out, provided, exclude_source=exclude_source
                )
            return
        keys = parse_field_set(key.fields)
        required: list[Selection] = []
        if isinstance(selection, Field) and selection.name != "__typename":
            requires, _ = view.join(target, via, selection.name)
            if requires:
                required = parse_field_set(requires)
                alias_arguments(required)
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
        self._add_requires(fetch_group, representation)
        fragment = InlineFragment(via, [])
        if isinstance(selection, Field) and selection.name != "__typename":
            self._field_here(fetch_group, via, selection, path, fragment.selections, None, None)
        else:
            self.plan_into(fetch_group, via, [selection], path, fragment.selections, None)
        merge_into(fetch_group.selections, fragment)

    @staticmethod
    def _add_requires(group: FetchGroup, fragment: RequiresFragment) -> None:
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

        def rank(graph: str) -> tuple[int, int, int]:
            cost = self._score(graph, root, [selection])
            return (
                self._unreachable(graph, root, [selection]),
                cost + (0 if graph in used else 1),
                view.order[graph],
            )

        return min(candidates, key=rank)

    def _split_root(self, root: str, selection: Field, used: list[str]) -> list[tuple[str, Field]]:
        """Pick the subgraph for a root field, splitting one no single subgraph fully reaches."""
        graph = self._root_graph(root, selection, used)
        if not selection.selections or not self._unreachable(graph, root, [selection]):
            return [(graph, selection)]
        parts: dict[str, Field] = {}
        for child in selection.selections:
            part = selection.copy_empty()
            part.selections = [child]
            child_graph = self._root_graph(root, part, [*used, *parts])
            existing = parts.get(child_graph)
            if existing is None:
                parts[child_graph] = part
            else:
                assert existing.selections is not None
                existing.selections.append(child)
        return list(parts.items())

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
            previous: FetchGroup | None = None
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
            roots: dict[str, FetchGroup] = {}
            for selection in fields:
                for graph, part in self._split_root(root, selection, list(roots)):
                    group = roots.get(graph)
                    if group is None:
                        group = self._new_group(graph, (), entity=False, parent=None)
                        roots[graph] = group
                    self._local_field(group, root, part, (), group.selections, None)
            if self.groups:
                chunks.append(list(range(len(self.groups))))
        assembler = PlanAssembler(self.view, self.operation, self.groups)
        nodes = [assembler.layered(chunk, kind) for chunk in chunks]
        if not nodes:
            return QueryPlan(None)
        return QueryPlan(nodes[0] if len(nodes) == 1 else SequenceNode(tuple(nodes)))
