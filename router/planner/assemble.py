"""Turn fetch groups into plan nodes (Apollo Federation query plans: Sequence, Parallel)."""

from __future__ import annotations

import re

from router.planner.graph_view import GraphView
from router.planner.groups import FetchGroup
from router.planner.nodes import FetchNode, FlattenNode, ParallelNode, PlanNode, SequenceNode
from router.planner.operation import InlineFragment, Operation, Selection
from router.planner.printer import print_subgraph_operation

__all__ = ["PlanAssembler"]


class PlanAssembler:
    """Orders fetch groups by dependency level and prints their subgraph operations."""

    def __init__(self, view: GraphView, operation: Operation, groups: list[FetchGroup]) -> None:
        self.view = view
        self.operation = operation
        self.groups = groups

    def layered(self, ids: list[int], kind: str) -> PlanNode:
        """A Sequence of dependency levels, each level a Parallel of its fetches."""
        levels: dict[int, int] = {}

        def level(group_id: int) -> int:
            if group_id not in levels:
                deps = [d for d in self.groups[group_id].depends_on if d in ids]
                levels[group_id] = 0 if not deps else 1 + max(level(d) for d in deps)
            return levels[group_id]

        by_level: dict[int, list[PlanNode]] = {}
        for group_id in ids:
            by_level.setdefault(level(group_id), []).append(self.fetch(self.groups[group_id], kind))
        steps: list[PlanNode] = []
        for index in sorted(by_level):
            nodes = by_level[index]
            steps.append(nodes[0] if len(nodes) == 1 else ParallelNode(tuple(nodes)))
        return steps[0] if len(steps) == 1 else SequenceNode(tuple(steps))

    def alias_conflicts(
        self,
        graph: str,
        type_name: str,
        selections: list[Selection],
        aliases: dict[str, str],
    ) -> None:
        """Alias same-named fields whose subgraph types differ across sibling fragments."""
        seen: dict[str, str] = {}

        def visit(owner: str, items: list[Selection]) -> None:
            for selection in items:
                if isinstance(selection, InlineFragment):
                    visit(selection.type_condition or owner, selection.selections)
                    continue
                field_info = self.view.field(owner, selection.name)
                if field_info is None:
                    continue
                type_string = field_info.type_in(graph)
                key = selection.response_key
                if key in seen and seen[key] != type_string:
                    alias = f"_hg{len(aliases)}_{key}"
                    aliases[alias] = key
                    selection.alias = alias
                else:
                    seen.setdefault(key, type_string)
                if selection.selections:
                    self.alias_conflicts(graph, field_info.type_name, selection.selections, aliases)

        visit(type_name, selections)

    def fetch(self, group: FetchGroup, kind: str) -> PlanNode:
        """The FetchNode of one group (under a FlattenNode for entity fetches)."""
        aliases: dict[str, str] = {}
        if group.entity:
            for fragment in group.selections:
                if isinstance(fragment, InlineFragment) and fragment.type_condition:
                    self.alias_conflicts(
                        group.graph, fragment.type_condition, fragment.selections, aliases
                    )
        else:
            root = self.view.sg.root_types[kind]
            self.alias_conflicts(group.graph, root, group.selections, aliases)
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
            output_aliases=tuple(sorted(aliases.items())),
        )
        return FlattenNode(group.path, fetch) if group.entity else fetch
