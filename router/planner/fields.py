"""Field placement: resolve each field in its fetch group, split it or jump to an entity."""

from __future__ import annotations

import re

from router.planner.errors import PlanningError
from router.planner.fieldset import parse_field_set
from router.planner.groups import FetchGroup
from router.planner.jumps import EntityJumps
from router.planner.operation import Field, InlineFragment, Selection
from router.planner.selections import merge_into, provided_field, single_field_parts

__all__ = ["FieldPlanner"]


class FieldPlanner(EntityJumps):
    """Plans a selection set inside a fetch group, recursing through fields and fragments."""

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
        unshared: list[str] = []
        if self.view.type(parent_type).kind == "UNION" and len(alternatives) > 1:
            # a partial union below a shareable path: only members every candidate
            # subgraph shares are safe to select
            shared = [
                t
                for t in runtime_types
                if all(t in self.view.runtime_types(g, parent_type) for g in alternatives)
            ]
            unshared = [t for t in runtime_types if t not in shared]
            runtime_types = shared
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
        for runtime_type in [*runtime_types, *unshared]:
            if runtime_type in runtime_types:
                applicable = self._collect(runtime_type, selections)
            else:
                # the subgraph may still return an unshared member: what an interface
                # fragment selects applies to it as to any other object of the interface
                applicable = [
                    s
                    for fragment in selections
                    if isinstance(fragment, InlineFragment)
                    and fragment.type_condition not in (None, parent_type)
                    and self.view.is_abstract(fragment.type_condition)
                    and self.view.matches(runtime_type, fragment.type_condition)
                    for s in self._collect(runtime_type, fragment.selections)
                ]
            if not applicable:
                continue
            fragment = InlineFragment(runtime_type, [])
            self.plan_into(group, runtime_type, applicable, path, fragment.selections, provided)
            if fragment.selections:
                merge_into(out, fragment)

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
            if not new.selections:
                # @skip/@include left nothing to select; a selection set may not be empty
                # (GraphQL spec 2.4), and the client's answer is shaped from its own operation
                new.selections.append(Field("__typename"))
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
        for child in single_field_parts(selection.selections):
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
