"""Token buckets: `capacity` tokens, refilled at `capacity / period` per second (RFC 2697's bucket)."""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["Buckets", "Decision", "MemoryBuckets", "Policy", "RedisBuckets"]

logger = logging.getLogger("router.ratelimit")

_WARN_EVERY = 60.0  # seconds between two warnings that Redis is unreachable


@dataclass(frozen=True, slots=True)
class Policy:
    """A named quota: `capacity` requests per `period` seconds, bursts up to `capacity`."""

    name: str
    capacity: int
    period: float

    @property
    def rate(self) -> float:
        """Tokens regained per second."""
        return self.capacity / self.period


@dataclass(frozen=True, slots=True)
class Decision:
    """One bucket's answer: whether the request may run and what is left."""

    policy: Policy
    allowed: bool
    tokens: float  # left after this request

    @property
    def remaining(self) -> int:
        return max(0, math.floor(self.tokens))

    @property
    def retry_after(self) -> int:
        """Whole seconds until a refused request could run (0 when allowed)."""
        if self.allowed:
            return 0
        return max(1, math.ceil((1 - self.tokens) / self.policy.rate))

    @property
    def reset(self) -> int:
        """Whole seconds until the bucket is full again (draft-ietf-httpapi-ratelimit-headers)."""
        if not self.allowed:
            return self.retry_after
        return max(0, math.ceil((self.policy.capacity - self.tokens) / self.policy.rate))


class Buckets(Protocol):
    async def take(self, policy: Policy, key: str) -> Decision: ...


class MemoryBuckets:
    """Buckets in this process (at most `max_keys`, the least recently used dropped first)."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._max_keys = max_keys
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()

    async def take(self, policy: Policy, key: str) -> Decision:
        return self.take_now(policy, key, time.monotonic())

    def take_now(self, policy: Policy, key: str, now: float) -> Decision:
        tokens, stamp = self._buckets.get((policy.name, key), (float(policy.capacity), now))
        tokens = min(float(policy.capacity), tokens + max(0.0, now - stamp) * policy.rate)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        self._buckets[policy.name, key] = (tokens, now)
        self._buckets.move_to_end((policy.name, key))
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return Decision(policy, allowed, tokens)


# One atomic step of a bucket kept as a hash {tokens, ts}, timed by the Redis server's clock.
_TAKE = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local stamp = tonumber(state[2])
if tokens == nil or stamp == nil then
  tokens = capacity
  stamp = now
end
tokens = math.min(capacity, tokens + math.max(0, now - stamp) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
"""


class RedisBuckets:
    """Buckets in Redis, shared by every router (one Lua script call per request); while Redis
    cannot be reached, the in-memory `fallback` decides."""

    def __init__(self, redis: Redis, fallback: MemoryBuckets) -> None:
        self._redis = redis
        self._fallback = fallback
        self._script = redis.register_script(_TAKE)
        self._warned = 0.0

    async def take(self, policy: Policy, key: str) -> Decision:
        try:
            allowed, tokens = await self._script(
                keys=[f"router:ratelimit:{policy.name}:{key}"],
                args=[policy.capacity, repr(policy.rate)],
            )
        except RedisError as error:
            now = time.monotonic()
            if now - self._warned > _WARN_EVERY:
                self._warned = now
                logger.warning("rate limits: Redis unreachable (%s), using memory", error)
            return await self._fallback.take(policy, key)
        return Decision(policy, bool(int(allowed)), float(tokens))
