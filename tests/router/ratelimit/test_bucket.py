"""Token buckets in memory (a given clock) and in Redis (the real embedded server, Lua)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from router.ratelimit import Decision, MemoryBuckets, Policy, RedisBuckets

POLICY = Policy("address", capacity=3, period=3.0)  # 3 requests, one token back per second


def test_memory_bucket_bursts_then_refills() -> None:
    buckets = MemoryBuckets()
    taken = [buckets.take_now(POLICY, "a", 100.0) for _ in range(4)]
    assert [d.allowed for d in taken] == [True, True, True, False]
    assert [d.remaining for d in taken] == [2, 1, 0, 0]
    refused = taken[-1]
    assert (refused.retry_after, refused.reset) == (1, 1)
    assert buckets.take_now(POLICY, "b", 100.0).allowed  # another key has its own bucket
    assert not buckets.take_now(POLICY, "a", 100.5).allowed
    later = buckets.take_now(POLICY, "a", 101.0)
    assert later.allowed
    assert later.reset == 3  # empty again: three seconds to full
    assert buckets.take_now(POLICY, "a", 1000.0).remaining == 2  # never above capacity


def test_memory_buckets_are_bounded() -> None:
    buckets = MemoryBuckets(max_keys=2)
    for key in ("a", "b", "c"):
        buckets.take_now(POLICY, key, 0.0)
    assert buckets.take_now(POLICY, "a", 0.0).remaining == 2  # "a" was dropped, starts full


def test_decision_headers_values() -> None:
    assert Decision(POLICY, allowed=False, tokens=0.25).retry_after == 1
    assert Decision(Policy("u", 60, 3600.0), allowed=False, tokens=0.0).retry_after == 60


async def test_redis_buckets_are_atomic_and_shared(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    policy = Policy("test-shared", capacity=5, period=3600.0)
    try:
        first = RedisBuckets(redis, MemoryBuckets())
        second = RedisBuckets(redis, MemoryBuckets())
        # ten concurrent requests from two routers: exactly five get through
        decisions = await asyncio.gather(
            *(bucket.take(policy, "10.0.0.1") for bucket in (first, second) * 5)
        )
        assert sum(d.allowed for d in decisions) == 5
        refused = next(d for d in decisions if not d.allowed)
        assert refused.retry_after == 720  # one token per 720 s
        assert 0 < await redis.pttl("router:ratelimit:test-shared:10.0.0.1") <= 3_601_000
        assert (await first.take(policy, "10.0.0.2")).remaining == 4
    finally:
        await redis.delete(
            "router:ratelimit:test-shared:10.0.0.1", "router:ratelimit:test-shared:10.0.0.2"
        )
        await redis.aclose()


async def test_unreachable_redis_falls_back_to_memory() -> None:
    redis = Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)
    try:
        buckets = RedisBuckets(redis, MemoryBuckets())
        decisions = [await buckets.take(POLICY, "a") for _ in range(4)]
        assert [d.allowed for d in decisions] == [True, True, True, False]
    finally:
        await redis.aclose()
