"""Keyset (cursor) pagination over a SQL ordering, with opaque cursors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import tuple_
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.common.errors import BadUserInput
from subgraphs.common.inputs import text_problem

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "Keyset", "Page", "paginate"]

T = TypeVar("T")
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


async def paginate(
    session: AsyncSession,
    statement: SelectOfScalar[T],
    keyset: Keyset[T],
    *,
    first: int | None,
    after: str | None,
) -> Page[T]:
    """Rows of ``statement`` in ``keyset`` order, ``first`` of them after ``after``, in one query."""
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise BadUserInput(
            f"first must be between 1 and {MAX_PAGE_SIZE}.", extensions={"field": "first"}
        )
    columns = [col(column) for column in keyset.columns]
    if after is not None:
        position, resume = tuple_(*columns), tuple_(*keyset.decode(after))
        statement = statement.where(position < resume if keyset.descending else position > resume)
    order = [column.desc() for column in columns] if keyset.descending else columns
    rows = list((await session.exec(statement.order_by(*order).limit(size + 1))).all())
    items = rows[:size]
    return Page(items, [keyset.encode(row) for row in items], has_next_page=len(rows) > size)
