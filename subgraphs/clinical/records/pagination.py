"""Keyset (cursor) pagination over ``(timestamp, id)`` ordered lists, newest first (Relay connections)."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import strawberry

from subgraphs.common.errors import BadUserInput

__all__ = [
    "MAX_PAGE_SIZE",
    "Connection",
    "Cursor",
    "Edge",
    "Page",
    "PageInfo",
    "check_page_size",
    "decode_cursor",
    "encode_cursor",
    "page_of",
]

T = TypeVar("T")
N = TypeVar("N")

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Cursor:
    """The sort key of the last row of a page: resume strictly after it."""

    at: datetime
    id: uuid.UUID


def encode_cursor(at: datetime, id: uuid.UUID) -> str:  # noqa: A002 (the row's id)
    raw = f"{at.isoformat()}|{id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Cursor:
    """The position ``cursor`` names; BAD_USER_INPUT when it is not one we issued."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, id_ = raw.partition("|")
        parsed = Cursor(datetime.fromisoformat(at), uuid.UUID(id_))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadUserInput("The cursor is malformed.", extensions={"argument": "after"}) from exc
    if parsed.at.tzinfo is None:
        raise BadUserInput("The cursor is malformed.", extensions={"argument": "after"})
    return parsed


def check_page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInput(
            f"first must be between 1 and {MAX_PAGE_SIZE}.", extensions={"argument": "first"}
        )
    return first


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Rows of one page (fetched with ``first + 1`` to learn whether more follow)."""

    items: list[T]
    cursors: list[str]
    has_next_page: bool


def page_of(
    rows: Sequence[T], first: int, key: Callable[[T], tuple[datetime, uuid.UUID]]
) -> Page[T]:
    """Cut ``rows`` (queried with ``LIMIT first + 1``) into a page with one cursor per row."""
    items = list(rows[:first])
    return Page(
        items=items,
        cursors=[encode_cursor(*key(item)) for item in items],
        has_next_page=len(rows) > first,
    )


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
    edges: list[Edge[N]]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: Page[T], convert: Callable[[T], N]) -> Connection[N]:
        edges = [
            Edge(cursor=cursor, node=convert(item))
            for item, cursor in zip(page.items, page.cursors, strict=True)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
        )
