"""The planner's error: an operation this supergraph cannot serve (Apollo Federation planning)."""

from __future__ import annotations

__all__ = ["PlanningError"]


class PlanningError(ValueError):
    """The operation cannot be planned against this supergraph."""
