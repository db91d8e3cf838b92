"""What each subgraph can resolve, read from the join metadata (Apollo join spec v0.5)."""

from __future__ import annotations

from router.planner.fieldset import parse_field_set
from router.planner.operation import Field, InlineFragment, Selection
from router.supergraph.model import EntityKey, FieldInfo, Supergraph, TypeInfo

__all__ = ["GraphView"]


class GraphView:
    """Questions the planner asks about the supergraph, answered from the immutable model."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.sg = supergraph
        self.order = {name: index for index, name in enumerate(supergraph.subgraphs)}

    def type(self, name: str) -> TypeInfo:
        return self.sg.types[name]

    def is_abstract(self, name: str) -> bool:
        info = self.sg.types.get(name)
        return info is not None and info.kind in ("INTERFACE", "UNION")

    def is_interface_object(self, graph: str, type_name: str) -> bool:
        info = self.sg.types.get(type_name)
        if info is None:
            return False
        type_graph = info.in_graph(graph)
        return type_graph is not None and type_graph.is_interface_object

    def field(self, type_name: str, field_name: str) -> FieldInfo | None:
        info = self.sg.types.get(type_name)
        return None if info is None else info.fields.get(field_name)

    def matches(self, type_name: str, condition: str | None) -> bool:
        """Whether an object of runtime type `type_name` matches a type condition."""
        if condition is None or condition == type_name:
            return True
        return type_name in self.sg.possible_types.get(condition, frozenset())

    def runtime_types(self, graph: str, abstract: str) -> list[str]:
        """Object types a subgraph can return where it returns `abstract`."""
        info = self.sg.types[abstract]
        names: list[str] = []
        if info.kind == "UNION":
            names = list(info.union_members_by_graph.get(graph, ()))
            if not info.union_members_by_graph and info.in_graph(graph) is not None:
                names = sorted(self.sg.possible_types.get(abstract, ()))
        else:
            for candidate in sorted(self.sg.possible_types.get(abstract, ())):
                candidate_info = self.sg.types[candidate]
                if candidate_info.in_graph(graph) is None:
                    continue
                implements = candidate_info.implements_by_graph.get(graph)
                if implements is None and not candidate_info.implements_by_graph:
                    implements = candidate_info.interfaces
                if implements and self._implements(implements, abstract):
                    names.append(candidate)
        return [n for n in names if self.sg.types.get(n) is not None]

    def _implements(self, interfaces: tuple[str, ...], abstract: str) -> bool:
        if abstract in interfaces:
            return True
        return any(
            abstract in self.sg.types[i].interfaces for i in interfaces if i in self.sg.types
        )

    def key_field_names(self, graph: str, type_name: str) -> set[str]:
        info = self.sg.types.get(type_name)
        type_graph = None if info is None else info.in_graph(graph)
        names: set[str] = set()
        if type_graph is None:
            return names
        for key in type_graph.keys:
            names.update(s.name for s in parse_field_set(key.fields) if isinstance(s, Field))
        return names

    def resolvable(self, graph: str, type_name: str, field_name: str) -> bool:
        """Whether `graph` resolves the field itself (ignoring @provides)."""
        info = self.sg.types.get(type_name)
        if info is None or info.in_graph(graph) is None:
            return False
        field_info = info.fields.get(field_name)
        if field_info is None:
            return False
        if not field_info.joins:
            return True
        for join in field_info.joins:
            if join.graph != graph:
                continue
            if join.used_overridden:
                return False
            return not join.external
        return False

    def external(self, graph: str, type_name: str, field_name: str) -> bool:
        field_info = self.field(type_name, field_name)
        if field_info is None:
            return False
        return any(j.graph == graph and j.external for j in field_info.joins)

    def join(self, graph: str, type_name: str, field_name: str) -> tuple[str | None, str | None]:
        """(requires, provides) of a field in one subgraph."""
        field_info = self.field(type_name, field_name)
        if field_info is None:
            return None, None
        for join in field_info.joins:
            if join.graph == graph:
                return join.requires, join.provides
        return None, None

    def resolvable_keys(self, graph: str, type_name: str) -> list[EntityKey]:
        info = self.sg.types.get(type_name)
        type_graph = None if info is None else info.in_graph(graph)
        if type_graph is None:
            return []
        return [k for k in type_graph.keys if k.resolvable]

    def can_provide(self, graph: str, type_name: str, selections: list[Selection]) -> bool:
        """Whether `graph` can itself return a key selection for objects of `type_name`."""
        for selection in selections:
            if isinstance(selection, InlineFragment):
                continue
            if selection.name == "__typename":
                continue
            if not self.resolvable(graph, type_name, selection.name):
                return False
            if selection.selections:
                field_info = self.field(type_name, selection.name)
                if field_info is None or not self.can_provide(
                    graph, field_info.type_name, selection.selections
                ):
                    return False
        return True
