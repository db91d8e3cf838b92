"""Publishing a database's outbox with the kernel's real :class:`OutboxRelay`, until it is empty.

Tests (and the writer process) call :func:`publish_outbox` where a service replica's relay would
publish their changes: it runs a relay like any replica (standing by while another replica's
relay holds the lock) and returns once every committed event has been acknowledged by Kafka.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func
from sqlmodel import col, select

from subgraphs.common.database import Database
from subgraphs.common.outbox import OutboxEvent
from subgraphs.common.outbox.relay import OutboxRelay

__all__ = ["publish_outbox", "unpublished"]


async def unpublished(database: Database) -> int:
    """How many committed outbox events Kafka has not acknowledged yet."""
    async with database.session() as session:
        pending = await session.exec(
            select(func.count()).where(col(OutboxEvent.published_at).is_(None))
        )
        return int(pending.one())


async def publish_outbox(database_url: str, bootstrap_servers: str, *, limit: float = 30) -> None:
    """Run a real relay for ``database_url`` until its outbox is fully published."""
    database = Database(database_url, pool_size=1)
    relay = OutboxRelay(
        database_url=database_url, bootstrap_servers=bootstrap_servers, poll_interval=0.05
    )
    relay.start()
    try:
        async with asyncio.timeout(limit):
            while await unpublished(database):  # noqa: ASYNC110 (the state lives in PostgreSQL: poll it)
                await asyncio.sleep(0.05)
    finally:
        await relay.stop()
        await database.dispose()
