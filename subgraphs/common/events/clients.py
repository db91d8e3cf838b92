"""Starting and closing aiokafka clients without leaking them when the broker is away."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Protocol, TypeVar

__all__ = ["KafkaClient", "close_quietly", "started"]


class KafkaClient(Protocol):
    """What producers and consumers share: ``start()`` and ``stop()``."""

    async def start(self) -> Any: ...

    async def stop(self) -> Any: ...


ClientT = TypeVar("ClientT", bound=KafkaClient)


async def started(client: ClientT, *, within: float | None = None) -> ClientT:
    """``client`` once started (within ``within`` seconds); closed again when starting fails."""
    try:
        async with asyncio.timeout(within):
            await client.start()
    except BaseException:
        await close_quietly(client)
        raise
    return client


async def close_quietly(client: KafkaClient | None, *, within: float = 10.0) -> None:
    """Stop ``client`` (if any), ignoring errors: it is being thrown away."""
    if client is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.stop(), within)
