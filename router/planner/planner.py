"""The query planner facade: normalize, plan and cache (Apollo Federation query planning)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, OperationDefinitionNode

from router.planner.builder import PlanBuilder
from router.planner.cache import LRUCache
from router.planner.graph_view import GraphView
from router.planner.limits import PlanningBudget, PlanningLimitExceeded, PlanningLimits
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
    """Plans operations against one supergraph; plans are cached in a bounded LRU.

    `build` only reads shared state, so it may run in a worker thread; the cache is for the
    caller's thread (`plan` does both).
    """

    def __init__(
        self,
        supergraph: Supergraph,
        *,
        cache_size: int = 1024,
        limits: PlanningLimits | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.view = GraphView(supergraph)
        self.cache: LRUCache[PlannedOperation] = LRUCache(cache_size)
        self.limits = limits or PlanningLimits()

    @staticmethod
    def cache_key(
        document: DocumentNode,
        operation: OperationDefinitionNode,
        *,
        text: str,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> Hashable:
        """Plans differ by query text, operation and the values of @skip/@include variables."""
        conditions = tuple(
            (name, bool(variables.get(name))) for name in condition_variables(operation, document)
        )
        return (text, operation_name, conditions)

    def build(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> PlannedOperation:
        """Normalize and plan, within `limits` (raises `PlanningLimitExceeded` past them)."""
        budget = PlanningBudget(self.limits)
        try:
            normalized = normalize(document, operation, variables, budget=budget)
            return PlannedOperation(normalized, PlanBuilder(self.view, normalized, budget).build())
        except RecursionError:
            raise PlanningLimitExceeded(
                "The operation is nested too deeply to plan.",
                limit="max_plan_depth",
                maximum=self.limits.max_depth,
            ) from None

    def plan(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        *,
        text: str,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> PlannedOperation:
        key = self.cache_key(
            document, operation, text=text, operation_name=operation_name, variables=variables
        )
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        planned = self.build(document, operation, variables)
        self.cache.put(key, planned)
        return planned
