"""Keyset (cursor) pagination over a SQL ordering, with opaque cursors, for one list or many at once."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import func, tuple_
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.common.errors import BadUserInput
from subgraphs.common.inputs import text_problem

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "Keyset", "Page", "paginate", "paginate_groups"]

T = TypeVar("T")
G = TypeVar("G")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of rows, each with the cursor that resumes after it."""

    items: list[T]
    cursors: list[str]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


@dataclass(frozen=True, slots=True)
class Keyset(Generic[T]):
    """A unique ordering: the columns, each cursor value's parser, and a row's key.

    Ascending by default; ``descending`` orders every column newest (largest) first.
    """

    columns: tuple[Any, ...]
    parsers: tuple[Callable[[str], Any], ...]
    key: Callable[[T], tuple[Any, ...]]
    descending: bool = False

    def encode(self, row: T) -> str:
        values = [str(value) for value in self.key(row)]
        return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, ...]:
        invalid = BadUserInput("after is not a valid cursor.", extensions={"field": "after"})
        try:
            values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        except (ValueError, binascii.Error):
            raise invalid from None
        if not isinstance(values, list) or len(values) != len(self.parsers):
            raise invalid
        if any(text_problem(str(value)) for value in values):  # e.g. a NUL the database refuses
            raise invalid
        try:
            return tuple(
                parse(str(value)) for parse, value in zip(self.parsers, values, strict=True)
            )
        except ValueError:
            raise invalid from None


def _page_size(first: int | None) -> int:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise BadUserInput(
            f"first must be between 1 and {MAX_PAGE_SIZE}.", extensions={"field": "first"}
        )
    return size


def _ordered(
    statement: SelectOfScalar[T], keyset: Keyset[T], after: str | None
) -> tuple[SelectOfScalar[T], list[Any]]:
    """``statement`` resumed after cursor ``after``, and the ``ORDER BY`` of ``keyset``."""
    columns = [col(column) for column in keyset.columns]
    if after is not None:
        position, resume = tuple_(*columns), tuple_(*keyset.decode(after))
        statement = statement.where(position < resume if keyset.descending else position > resume)
    return statement, [column.desc() for column in columns] if keyset.descending else columns


def _page(rows: list[T], keyset: Keyset[T], size: int) -> Page[T]:
    items = rows[:size]
    return Page(items, [keyset.encode(row) for row in items], has_next_page=len(rows) > size)


async def paginate(
    session: AsyncSession,
    statement: SelectOfScalar[T],
    keyset: Keyset[T],
    *,
    first: int | None,
    after: str | None,
) -> Page[T]:
    """Rows of ``statement`` in ``keyset`` order, ``first`` of them after ``after``, in one query."""
    size = _page_size(first)
    statement, order = _ordered(statement, keyset, after)
    rows = list((await session.exec(statement.order_by(*order).limit(size + 1))).all())
    return _page(rows, keyset, size)


async def paginate_groups(
    session: AsyncSession,
    statement: SelectOfScalar[T],
    keyset: Keyset[T],
    *,
    group: InstrumentedAttribute[G],
    groups: list[G],
    first: int | None,
    after: str | None,
) -> dict[G, Page[T]]:
    """One page per value of ``group`` in ``groups`` (e.g. each patient's records), in one query.

    The same page as :func:`paginate` of ``statement`` narrowed to that value gives: a window
    (``row_number() OVER (PARTITION BY group ...)``) keeps the first ``first + 1`` rows of each.
    """
    size = _page_size(first)
    if not groups:
        return {}
    statement, order = _ordered(statement, keyset, after)
    rank = func.row_number().over(partition_by=col(group), order_by=order).label("page_rank")
    ranked = statement.where(col(group).in_(groups)).add_columns(rank).subquery("ranked")
    model = statement.column_descriptions[0]["entity"]
    row = aliased(model, ranked)
    found = await session.exec(
        select(row).where(ranked.c.page_rank <= size + 1).order_by(ranked.c.page_rank)
    )
    rows: dict[G, list[T]] = {value: [] for value in groups}
    for item in found.all():
        rows[getattr(item, group.key)].append(item)
    return {value: _page(items, keyset, size) for value, items in rows.items()}
