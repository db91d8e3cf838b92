"""Telling outages (retry for as long as they last) from bad events (retry a few times, then DLQ)."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from subgraphs.common.events.failures import describe_error, is_outage


def _wrapped(cause: BaseException) -> RuntimeError:
    """What ``raise RuntimeError(...) from cause`` leaves behind."""
    error = RuntimeError("handler failed")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError("refused"),
        asyncpg.ConnectionDoesNotExistError("gone"),
        asyncpg.CannotConnectNowError("starting up"),
        DBAPIError("SELECT 1", {}, ConnectionResetError("reset"), connection_invalidated=True),
        DBAPIError("SELECT 1", {}, ConnectionResetError("reset")),
        _wrapped(ConnectionResetError("reset")),
    ],
)
def test_outages(exc: BaseException) -> None:
    assert is_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bad payload"),
        KeyError("seq"),
        IntegrityError("INSERT", {}, Exception("duplicate key")),
        _wrapped(ValueError("bad payload")),
    ],
)
def test_not_outages(exc: BaseException) -> None:
    assert not is_outage(exc)


def test_describe_error() -> None:
    assert describe_error(ValueError("bad payload")) == "ValueError: bad payload"
    assert describe_error(TimeoutError()) == "TimeoutError"
