"""A consumer in its own process, for tests that kill it mid-handling.

``python -m tests.subgraphs.common.events.consumer_process DATABASE_URL BOOTSTRAP TOPIC GROUP
HANG_AT``: handles events into the ``effect`` table; at ``seq == HANG_AT`` it prints ``stuck``
and hangs inside the handler's transaction until killed.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text

from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.consumer import EventConsumer, IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope


async def main(database_url: str, bootstrap: str, topic: str, group: str, hang_at: int) -> None:
    database = Database(database_url)

    async def handler(event: EventEnvelope, session: AsyncSession) -> None:
        connection = await session.connection()
        await connection.execute(
            text("INSERT INTO effect (event_id, aggregate, seq) VALUES (:id, :aggregate, :seq)"),
            {"id": event.id, "aggregate": event.aggregate_id, "seq": event.payload["seq"]},
        )
        if event.payload["seq"] == hang_at:
            print("stuck", flush=True)
            await asyncio.Event().wait()

    consumer = EventConsumer(
        bootstrap_servers=bootstrap,
        topics=[topic],
        group_id=group,
        handler=IdempotentHandler(database=database, consumer=group, handler=handler),
        consumer_options={"session_timeout_ms": 2000, "heartbeat_interval_ms": 300},
    )
    consumer.start()
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    url, servers, topic_name, group_id, hang = sys.argv[1:6]
    asyncio.run(main(url, servers, topic_name, group_id, int(hang)))
