"""Query plan nodes (Apollo Federation query plans: Fetch, Flatten, Sequence, Parallel)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from router.planner.operation import Field, InlineFragment, Selection

__all__ = [
    "FetchNode",
    "FlattenNode",
    "ParallelNode",
    "PlanNode",
    "QueryPlan",
    "RequiresFragment",
    "SequenceNode",
    "selections_to_json",
]


@dataclass(frozen=True, slots=True)
class RequiresFragment:
    """Which objects feed an entity fetch and what each representation carries."""

    type_condition: str
    selections: tuple[Selection, ...]
    typename: str | None = None


@dataclass(frozen=True, slots=True)
class FetchNode:
    """One subgraph request; entity fetches carry `requires` and run under a FlattenNode."""

    service_name: str
    operation: str
    operation_kind: str
    variable_usages: tuple[str, ...]
    requires: tuple[RequiresFragment, ...] = ()
    output_aliases: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FlattenNode:
    """Run `node` for every object found at `path` (`@` steps into lists)."""

    path: tuple[str, ...]
    node: FetchNode


@dataclass(frozen=True, slots=True)
class SequenceNode:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class ParallelNode:
    nodes: tuple[PlanNode, ...]


PlanNode = FetchNode | FlattenNode | SequenceNode | ParallelNode


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """The plan for one operation (node is None when nothing needs a subgraph)."""

    node: PlanNode | None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> Any:
        return None if self.node is None else node_to_json(self.node)


def selections_to_json(selections: tuple[Selection, ...] | list[Selection]) -> str:
    """Compact GraphQL text of a selection list (for plan display)."""
    parts: list[str] = []
    for selection in selections:
        if isinstance(selection, Field):
            text = selection.name
            if selection.alias:
                text = f"{selection.alias}:{text}"
            if selection.selections is not None:
                text += "{" + selections_to_json(selection.selections) + "}"
            parts.append(text)
        elif isinstance(selection, InlineFragment):
            parts.append(
                f"...on {selection.type_condition}{{{selections_to_json(selection.selections)}}}"
            )
    return " ".join(parts)


def node_to_json(node: PlanNode) -> Any:
    """A stable JSON form of a plan (used by the data-driven planner tests)."""
    if isinstance(node, FetchNode):
        result: dict[str, Any] = {
            "kind": "Fetch",
            "serviceName": node.service_name,
            "operation": node.operation,
        }
        if node.variable_usages:
            result["variableUsages"] = list(node.variable_usages)
        if node.requires:
            result["requires"] = [
                {
                    "on": r.type_condition,
                    **({"as": r.typename} if r.typename else {}),
                    "selections": selections_to_json(r.selections),
                }
                for r in node.requires
            ]
        return result
    if isinstance(node, FlattenNode):
        return {"kind": "Flatten", "path": ".".join(node.path), "node": node_to_json(node.node)}
    kind = "Sequence" if isinstance(node, SequenceNode) else "Parallel"
    return {"kind": kind, "nodes": [node_to_json(n) for n in node.nodes]}
