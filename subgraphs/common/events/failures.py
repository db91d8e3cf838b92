"""Telling outages from bad events, and describing failures for logs, rows and headers."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError

__all__ = ["describe_error", "is_outage"]

_OUTAGES = (
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.TooManyConnectionsError,
)


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says a dependency is unreachable rather than that the event is bad."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _OUTAGES):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        orig = current.orig if isinstance(current, DBAPIError) else None
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False


def describe_error(exc: BaseException) -> str:
    """``Type: message`` (or just ``Type`` when the message is empty)."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
