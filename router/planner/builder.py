"""Build federated query plans from root fields (Apollo Federation v2 query planning)."""

from __future__ import annotations

from router.planner.assemble import PlanAssembler
from router.planner.errors import PlanningError
from router.planner.fields import FieldPlanner
from router.planner.groups import FetchGroup
from router.planner.nodes import QueryPlan, SequenceNode
from router.planner.operation import Field, Selection
from router.planner.selections import merge_into, single_field_parts

__all__ = ["PlanBuilder", "PlanningError"]

_INTROSPECTION = frozenset({"__schema", "__type"})


class PlanBuilder(FieldPlanner):
    """Plans one normalized operation; create a new builder per operation."""

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
        for child in single_field_parts(selection.selections):
            part = selection.copy_empty()
            part.selections = [child]
            child_graph = self._root_graph(root, part, [*used, *parts])
            existing = parts.get(child_graph)
            if existing is None:
                parts[child_graph] = part
            else:
                assert existing.selections is not None
                merge_into(existing.selections, child)
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
