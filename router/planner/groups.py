"""Fetch groups: the unit the planner fills before it emits plan nodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from router.planner.nodes import RequiresFragment
from router.planner.operation import Selection

__all__ = ["FetchGroup"]


@dataclass(slots=True)
class FetchGroup:
    """One future subgraph request: a root fetch, or an entity fetch at `path`."""

    id: int
    graph: str
    path: tuple[str, ...]
    entity: bool
    parent: int | None
    selections: list[Selection] = field(default_factory=list)
    requires: list[RequiresFragment] = field(default_factory=list)
    depends_on: set[int] = field(default_factory=set)
