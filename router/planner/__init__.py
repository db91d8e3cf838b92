"""Query planner: operation -> FetchNode/SequenceNode/ParallelNode/FlattenNode plan."""

from router.planner.errors import PlanningError
from router.planner.limits import PlanningLimitExceeded, PlanningLimits
from router.planner.nodes import FetchNode, FlattenNode, ParallelNode, QueryPlan, SequenceNode
from router.planner.planner import PlannedOperation, QueryPlanner

__all__ = [
    "FetchNode",
    "FlattenNode",
    "ParallelNode",
    "PlannedOperation",
    "PlanningError",
    "PlanningLimitExceeded",
    "PlanningLimits",
    "QueryPlan",
    "QueryPlanner",
    "SequenceNode",
]
