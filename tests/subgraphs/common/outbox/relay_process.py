"""A relay in its own process, for tests that kill it.

``python -m ... DATABASE_URL BOOTSTRAP BATCH [FREEZE_AFTER]``: with ``FREEZE_AFTER``, the relay
stops after that many publishing passes, once the broker acknowledged the pass and before the
rows are marked published, and prints ``frozen <acknowledged>`` so a test can kill it there.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import Any

from subgraphs.common.outbox.relay import OutboxRelay


class _FreezingRelay(OutboxRelay):
    """An ``OutboxRelay`` that hangs between a pass's acknowledgement and its mark."""

    def __init__(self, *, freeze_after: int, **options: Any) -> None:
        super().__init__(**options)
        self._freeze_after = freeze_after
        self._passes = 0

    async def _publish(self, rows: Sequence[Any]) -> Any:
        result = await super()._publish(rows)
        self._passes += 1
        if self._passes == self._freeze_after:
            print(f"frozen {len(result.acked)}", flush=True)
            await asyncio.Event().wait()
        return result


async def main(database_url: str, bootstrap_servers: str, batch_size: int, freeze: int) -> None:
    relay = _FreezingRelay(
        freeze_after=freeze,
        database_url=database_url,
        bootstrap_servers=bootstrap_servers,
        batch_size=batch_size,
        poll_interval=0.2,
        client_id="relay-process",
    )
    relay.start()
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    freeze_after = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), freeze_after))
