"""The query planner facade: normalize, plan and cache (Apollo Federation query planning)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, OperationDefinitionNode

from router.planner.builder import PlanBuilder
from router.planner.cache import LRUCache
from router.planner.graph_view import GraphView
from router.planner.nodes import QueryPlan
from router.planner.operation import Operation, condition_variables, normalize
from router.supergraph.model import Supergraph

__all__ = ["PlannedOperation", "QueryPlanner"]


@dataclass(frozen=True, slots=True)
class PlannedOperation:
    """A normalized operation and its plan."""

    operation: Operation
    plan: QueryPlan


class QueryPlanner:
    """Plans operations against one supergraph; plans are cached in a bounded LRU."""

    def __init__(self, supergraph: Supergraph, *, cache_size: int = 1024) -> None:
        self.supergraph = supergraph
        self.view = GraphView(supergraph)
        self.cache: LRUCache[PlannedOperation] = LRUCache(cache_size)

    def plan(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        *,
        text: str,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> PlannedOperation:
        conditions = tuple(
            (name, bool(variables.get(name))) for name in condition_variables(operation, document)
        )
        key = (text, operation_name, conditions)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        normalized = normalize(document, operation, variables)
        planned = PlannedOperation(normalized, PlanBuilder(self.view, normalized).build())
        self.cache.put(key, planned)
        return planned
