"""Relay-style connections (edges, nodes, pageInfo) for the clinical list queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from subgraphs.clinical.pagination import Page

__all__ = ["Connection", "Edge", "PageInfo"]

N = TypeVar("N")
R = TypeVar("R")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    """A page of nodes; pass ``pageInfo.endCursor`` as ``after`` for the next one."""

    edges: list[Edge[N]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]

    @classmethod
    def of(cls, page: Page[R], convert: Callable[[R], N]) -> Connection[N]:
        return cls(
            edges=[
                Edge(cursor=cursor, node=convert(item))
                for item, cursor in zip(page.items, page.cursors, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )
