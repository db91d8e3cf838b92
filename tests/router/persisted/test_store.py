"""APQ stores: a bounded LRU in memory; Redis (real, embedded) with the memory fallback."""

from __future__ import annotations

from redis.asyncio import Redis

from router.persisted import MemoryQueryStore, RedisQueryStore


async def test_memory_store_keeps_the_most_recently_used() -> None:
    store = MemoryQueryStore(2)
    await store.put("a", "{ a }")
    await store.put("b", "{ b }")
    assert await store.get("a") == "{ a }"  # a is now the most recent
    await store.put("c", "{ c }")
    assert await store.get("b") is None
    assert await store.get("a") == "{ a }"
    assert await store.get("c") == "{ c }"


async def test_redis_store_is_shared_and_expires(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        first = RedisQueryStore(redis, MemoryQueryStore(10), ttl=60)
        second = RedisQueryStore(redis, MemoryQueryStore(10), ttl=60)
        await first.put("h1", "{ shared }")
        assert await second.get("h1") == "{ shared }"  # another router sees it
        assert 0 < await redis.ttl("router:apq:h1") <= 60
        assert await second.get("h2") is None
    finally:
        await redis.delete("router:apq:h1")
        await redis.aclose()


async def test_unreachable_redis_falls_back_to_memory() -> None:
    redis = Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)
    try:
        store = RedisQueryStore(redis, MemoryQueryStore(10), ttl=60)
        await store.put("h", "{ kept }")
        assert await store.get("h") == "{ kept }"
    finally:
        await redis.aclose()
