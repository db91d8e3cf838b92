"""Transactions re-run after serialization failures and deadlocks; busy answers SERVICE_UNAVAILABLE."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import Database, DatabaseLimits, RetryPolicy
from subgraphs.common.errors import ErrorCode, ServiceUnavailable
from subgraphs.common.settings import ServiceSettings

FORCED_DEADLOCK = text(
    "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'deadlock_detected'; END $$"
)


async def test_serialization_failures_rerun_the_whole_transaction(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE counter (id int PRIMARY KEY, value int)"))
        await connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    both_read = asyncio.Barrier(2)
    runs = {1: 0, 2: 0}

    async def increment(worker: int) -> int:
        async def work(session: AsyncSession) -> int:
            runs[worker] += 1
            connection = await session.connection()
            await connection.execute(text("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"))
            value = (await connection.execute(text("SELECT value FROM counter"))).scalar_one()
            if runs[worker] == 1:
                await both_read.wait()  # both read 0 before either writes
            await connection.execute(text("UPDATE counter SET value = :v"), {"v": value + 1})
            return int(value) + 1

        return await database.transact(work)

    results = await asyncio.gather(increment(1), increment(2))
    assert sorted(results) == [1, 2]
    assert sorted(runs.values()) == [1, 2]  # the loser ran twice
    async with database.engine.connect() as connection:
        value = (await connection.execute(text("SELECT value FROM counter"))).scalar_one()
    assert value == 2


async def test_retries_are_bounded_then_service_unavailable(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="subgraphs.common.database")
    runs = 0

    async def always_deadlocks(session: AsyncSession) -> None:
        nonlocal runs
        runs += 1
        await (await session.connection()).execute(FORCED_DEADLOCK)

    policy = RetryPolicy(attempts=3, budget=5.0, base_delay=0.01)
    with pytest.raises(ServiceUnavailable) as raised:
        await database.transact(always_deadlocks, retry=policy)
    assert runs == 3
    assert raised.value.as_extensions() == {
        "code": ErrorCode.SERVICE_UNAVAILABLE.value,
        "retryable": True,
        "retryAfter": 1.0,
    }
    assert "deadlock" in raised.value.message
    reruns = [r for r in caplog.records if "re-run after a deadlock" in r.getMessage()]
    assert len(reruns) == 2
    assert all(r.exc_info is None for r in caplog.records)  # one line each, no traceback


async def test_other_errors_are_not_retried(database: Database) -> None:
    runs = 0

    async def divides_by_zero(session: AsyncSession) -> None:
        nonlocal runs
        runs += 1
        await (await session.connection()).execute(text("SELECT 1 / 0"))

    with pytest.raises(DBAPIError):
        await database.transact(divides_by_zero)
    assert runs == 1


async def test_statement_timeout_answers_service_unavailable(database: Database) -> None:
    quick = Database(database.url, limits=DatabaseLimits(statement_timeout=0.2))
    began = time.monotonic()
    try:
        with pytest.raises(ServiceUnavailable, match="statement_timeout"):
            async with quick.transaction() as session:
                await (await session.connection()).execute(text("SELECT pg_sleep(5)"))
    finally:
        await quick.dispose()
    assert time.monotonic() - began < 2


async def test_an_exhausted_pool_answers_service_unavailable_fast(database: Database) -> None:
    tiny = Database(
        database.url, limits=DatabaseLimits(pool_size=1, max_overflow=0, pool_timeout=0.3)
    )
    try:
        async with tiny.engine.connect() as held:
            await held.execute(text("SELECT 1"))
            began = time.monotonic()
            with pytest.raises(ServiceUnavailable, match="no database connection came free"):
                async with tiny.transaction() as session:
                    await (await session.connection()).execute(text("SELECT 1"))
            assert time.monotonic() - began < 1.5
    finally:
        await tiny.dispose()


def test_settings_shape_every_service_database() -> None:
    settings = ServiceSettings(
        database_url="postgresql+asyncpg://postgres@127.0.0.1:1/x",
        database_pool_size=3,
        database_max_overflow=1,
        database_pool_timeout=2.5,
        database_statement_timeout=4,
        database_lock_timeout=1.5,
        database_retry_attempts=7,
        database_retry_budget=6,
    )
    database = Database.from_settings(settings)
    assert database.limits == DatabaseLimits(
        pool_size=3, max_overflow=1, pool_timeout=2.5, statement_timeout=4, lock_timeout=1.5
    )
    assert (database.retry.attempts, database.retry.budget) == (7, 6)
