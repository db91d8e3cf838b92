"""Reachability and cost: what a subgraph resolves in place or through an entity key."""

from __future__ import annotations

from router.planner.fieldset import parse_field_set
from router.planner.graph_view import GraphView
from router.planner.operation import Field, InlineFragment, Selection
from router.planner.selections import provided_field, selection_size
from router.supergraph.model import EntityKey

__all__ = ["Reachability"]


class Reachability:
    """Scores how well each subgraph serves a selection and which entity keys lead where."""

    def __init__(self, view: GraphView) -> None:
        self.view = view

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

    def _collect(self, runtime_type: str, selections: list[Selection]) -> list[Selection]:
        result: list[Selection] = []
        for selection in selections:
            if isinstance(selection, Field):
                result.append(selection)
            elif self.view.matches(runtime_type, selection.type_condition):
                result.extend(self._collect(runtime_type, selection.selections))
        return result

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
