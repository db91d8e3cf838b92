"""A relay in its own process, for tests that kill it: ``python -m ... DATABASE_URL BOOTSTRAP BATCH``."""

from __future__ import annotations

import asyncio
import sys

from subgraphs.common.outbox.relay import OutboxRelay


async def main(database_url: str, bootstrap_servers: str, batch_size: int) -> None:
    relay = OutboxRelay(
        database_url=database_url,
        bootstrap_servers=bootstrap_servers,
        batch_size=batch_size,
        poll_interval=0.2,
        client_id="relay-process",
    )
    relay.start()
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
