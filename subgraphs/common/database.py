"""The async database of one service: an engine, sessions and transactions (SQLModel on asyncpg).

Every connection carries a ``statement_timeout`` and a ``lock_timeout`` and the pool waits a
bounded time, so a busy database answers SERVICE_UNAVAILABLE (retryable) fast instead of an
internal error late. :meth:`Database.transact` re-runs a transaction that lost a deadlock or a
serialization race (SQLSTATE class 40, PostgreSQL manual, appendix A).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.errors import ServiceUnavailable

if TYPE_CHECKING:
    from subgraphs.common.settings import ServiceSettings

__all__ = ["AsyncSession", "Database", "DatabaseLimits", "RetryPolicy", "sqlstate"]

logger = logging.getLogger(__name__)
T = TypeVar("T")

SERIALIZATION_FAILURE = "40001"
DEADLOCK_DETECTED = "40P01"
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout
QUERY_CANCELED = "57014"  # statement_timeout
# Re-running the whole transaction may succeed: it lost a race, or waited on one too long.
RETRYABLE = {
    SERIALIZATION_FAILURE: "a serialization failure",
    DEADLOCK_DETECTED: "a deadlock",
    LOCK_NOT_AVAILABLE: "a lock wait over lock_timeout",
}
_BUSY = {**RETRYABLE, QUERY_CANCELED: "a statement over statement_timeout"}


def sqlstate(error: DBAPIError) -> str | None:
    """The PostgreSQL SQLSTATE behind ``error`` (asyncpg keeps it on the adapted error's cause)."""
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(
        getattr(original, "__cause__", None), "sqlstate", None
    )
    return str(state) if state else None


@dataclass(frozen=True, slots=True)
class DatabaseLimits:
    """How long anything may wait or run (seconds) and how many connections there are."""

    pool_size: int = 10
    max_overflow: int = 10
    pool_timeout: float = 5.0
    statement_timeout: float = 5.0
    lock_timeout: float = 2.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``attempts`` runs within ``budget`` seconds, with "full jitter" backoff between."""

    attempts: int = 5
    budget: float = 8.0
    base_delay: float = 0.025
    max_delay: float = 0.5

    def delay(self, attempt: int) -> float:
        """A random pause before run ``attempt + 1``, growing exponentially up to ``max_delay``."""
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return random.uniform(0, ceiling)  # noqa: S311 (jitter, not cryptography)


def _milliseconds(seconds: float) -> str:
    return str(max(1, round(seconds * 1000)))


class Database:
    """One engine per process and service; sessions are short-lived and request-scoped."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        echo: bool = False,
        limits: DatabaseLimits | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.url = url
        self.limits = limits or DatabaseLimits(pool_size=pool_size, max_overflow=pool_size)
        self.retry = retry or RetryPolicy()
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=self.limits.pool_size,
            max_overflow=self.limits.max_overflow,
            pool_timeout=self.limits.pool_timeout,
            pool_pre_ping=True,
            echo=echo,
            connect_args={
                "server_settings": {
                    "statement_timeout": _milliseconds(self.limits.statement_timeout),
                    "lock_timeout": _milliseconds(self.limits.lock_timeout),
                }
            },
        )
        self.sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> Database:
        """The database a service's settings describe (its pool, timeouts and retries)."""
        return cls(
            settings.database_url,
            echo=settings.database_echo,
            limits=DatabaseLimits(
                pool_size=settings.database_pool_size,
                max_overflow=settings.database_max_overflow,
                pool_timeout=settings.database_pool_timeout,
                statement_timeout=settings.database_statement_timeout,
                lock_timeout=settings.database_lock_timeout,
            ),
            retry=RetryPolicy(
                attempts=settings.database_retry_attempts, budget=settings.database_retry_budget
            ),
        )

    def unavailable(self, error: Exception) -> ServiceUnavailable | None:
        """The retryable SERVICE_UNAVAILABLE for a busy database, or None for any other error."""
        if isinstance(error, PoolTimeout):
            return ServiceUnavailable(
                "The service is busy: no database connection came free within "
                f"{self.limits.pool_timeout:g} s. Nothing was changed; try again.",
            )
        if isinstance(error, DBAPIError) and (state := sqlstate(error)) in _BUSY:
            return ServiceUnavailable(
                f"The service is busy: the request ran into {_BUSY[state]}. "
                "Nothing was changed; try again."
            )
        return None

    @asynccontextmanager
    async def _busy_is_unavailable(self) -> AsyncIterator[None]:
        try:
            yield
        except (DBAPIError, PoolTimeout) as error:
            unavailable = self.unavailable(error)
            if unavailable is None:
                raise
            logger.warning("database busy: %s", unavailable.message)
            raise unavailable from error

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session with no transaction opened for you (reads, or several transactions)."""
        async with self._busy_is_unavailable(), self.sessions() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        async with self._busy_is_unavailable(), self.sessions() as session, session.begin():
            yield session

    async def transact(
        self, work: Callable[[AsyncSession], Awaitable[T]], *, retry: RetryPolicy | None = None
    ) -> T:
        """``work`` in one transaction, re-run whole after a deadlock or serialization failure.

        Everything ``work`` writes (outbox events included) is in that transaction, so a re-run
        never writes twice. When the attempts or the time budget run out, SERVICE_UNAVAILABLE.
        """
        policy = retry or self.retry
        started = time.monotonic()
        attempt = 1
        async with self._busy_is_unavailable():
            while True:
                pause = policy.delay(attempt)
                try:
                    async with self.sessions() as session, session.begin():
                        return await work(session)
                except DBAPIError as error:
                    state = sqlstate(error)
                    if (
                        state not in RETRYABLE
                        or attempt >= policy.attempts
                        or time.monotonic() - started + pause >= policy.budget
                    ):
                        raise
                    logger.info(
                        "transaction re-run after %s (attempt %d of %d)",
                        RETRYABLE[state],
                        attempt,
                        policy.attempts,
                    )
                await asyncio.sleep(pause)
                attempt += 1

    async def ping(self) -> None:
        """Raise unless the database answers ``SELECT 1``."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
