"""Counting the SQL statements a subgraph app sends (to prove lookups are batched)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.support.callers import ServiceApi

__all__ = ["counting"]


@contextmanager
def counting(api: ServiceApi) -> Iterator[list[str]]:
    """The statements ``api``'s database runs inside the ``with`` block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = api.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
