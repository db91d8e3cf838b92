"""Where automatic persisted queries are kept: Redis when configured, else a bounded LRU in memory."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["MemoryQueryStore", "QueryStore", "RedisQueryStore"]

logger = logging.getLogger("router.persisted")

_WARN_EVERY = 60.0  # seconds between two warnings that Redis is unreachable


class QueryStore(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, query: str) -> None: ...


class MemoryQueryStore:
    """The `size` most recently used queries."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._queries: OrderedDict[str, str] = OrderedDict()

    async def get(self, key: str) -> str | None:
        query = self._queries.get(key)
        if query is not None:
            self._queries.move_to_end(key)
        return query

    async def put(self, key: str, query: str) -> None:
        self._queries[key] = query
        self._queries.move_to_end(key)
        while len(self._queries) > self._size:
            self._queries.popitem(last=False)


class RedisQueryStore:
    """Queries in Redis (shared by every router), each kept `ttl` seconds after its last
    registration; while Redis cannot be reached, the in-memory `fallback` serves."""

    def __init__(self, redis: Redis, fallback: MemoryQueryStore, ttl: float) -> None:
        self._redis = redis
        self._fallback = fallback
        self._ttl = max(1, int(ttl))
        self._warned = 0.0

    def _unreachable(self, error: RedisError) -> None:
        now = time.monotonic()
        if now - self._warned > _WARN_EVERY:
            self._warned = now
            logger.warning("persisted query cache: Redis unreachable (%s), using memory", error)

    async def get(self, key: str) -> str | None:
        try:
            value = await self._redis.get(f"router:apq:{key}")
        except RedisError as error:
            self._unreachable(error)
            return await self._fallback.get(key)
        if value is None:
            return await self._fallback.get(key)
        return value.decode() if isinstance(value, bytes) else str(value)

    async def put(self, key: str, query: str) -> None:
        try:
            await self._redis.set(f"router:apq:{key}", query, ex=self._ttl)
        except RedisError as error:
            self._unreachable(error)
            await self._fallback.put(key, query)
