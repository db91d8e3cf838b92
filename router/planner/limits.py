"""Bounds on planning one operation: nesting, fetch count and a CPU-time deadline."""

from __future__ import annotations

import time
from dataclasses import dataclass

from router.limits.errors import LimitExceeded, Violation

__all__ = ["PlanningBudget", "PlanningLimitExceeded", "PlanningLimits"]


@dataclass(frozen=True, slots=True)
class PlanningLimits:
    """What planning one operation may take; going over any of them refuses the operation."""

    # nested selection sets and entity jumps the planner follows from a root field
    max_depth: int = 64
    # fetch groups (subgraph requests) in one plan
    max_fetches: int = 256
    # seconds of planning, normalization included (checked in the planner's loops)
    timeout: float = 2.0


class PlanningLimitExceeded(LimitExceeded):
    """A valid operation the planner refuses because it goes over a `PlanningLimits` bound."""

    def __init__(self, message: str, *, limit: str, maximum: float) -> None:
        super().__init__(Violation(message, "QUERY_PLANNING_LIMIT_EXCEEDED", limit, maximum))


class PlanningBudget:
    """The limits of one planning run and its deadline, started when the budget is made."""

    __slots__ = ("_deadline", "limits")

    def __init__(self, limits: PlanningLimits | None = None) -> None:
        self.limits = limits or PlanningLimits()
        self._deadline = time.monotonic() + self.limits.timeout

    def check_time(self) -> None:
        if time.monotonic() > self._deadline:
            raise PlanningLimitExceeded(
                f"Planning the operation took longer than {self.limits.timeout} s "
                "(planning_timeout).",
                limit="planning_timeout",
                maximum=self.limits.timeout,
            )

    def check_depth(self, depth: int) -> None:
        """At each nested planning step: its depth, and the deadline."""
        if depth > self.limits.max_depth:
            raise PlanningLimitExceeded(
                f"The operation needs more than {self.limits.max_depth} nested planning steps "
                "(max_plan_depth).",
                limit="max_plan_depth",
                maximum=self.limits.max_depth,
            )
        self.check_time()

    def check_fetches(self, count: int) -> None:
        """Before adding a fetch to a plan that has `count`."""
        if count >= self.limits.max_fetches:
            raise PlanningLimitExceeded(
                f"The operation needs more than {self.limits.max_fetches} subgraph fetches "
                "(max_plan_fetches).",
                limit="max_plan_fetches",
                maximum=self.limits.max_fetches,
            )
