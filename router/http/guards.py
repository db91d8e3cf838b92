"""The router's front guards built from its settings: persisted queries, rate limits, CORS."""

from __future__ import annotations

from redis.asyncio import Redis
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from router.persisted import (
    MemoryQueryStore,
    PersistedQueries,
    QueryStore,
    RedisQueryStore,
    load_manifest,
)
from router.ratelimit import MemoryBuckets, Policy, RateLimiter, RedisBuckets, Subject
from router.ratelimit.bucket import Buckets
from router.settings import RouterSettings

__all__ = ["build_persisted_queries", "build_rate_limiter", "cors_middleware"]


def build_persisted_queries(settings: RouterSettings, redis: Redis | None) -> PersistedQueries:
    """APQ (in Redis when configured) and the trusted-documents manifest, if any."""
    memory = MemoryQueryStore(settings.apq_cache_size)
    store: QueryStore = (
        RedisQueryStore(redis, memory, settings.apq_ttl) if redis is not None else memory
    )
    path = settings.persisted_queries_manifest
    return PersistedQueries(
        store,
        apq=settings.apq,
        manifest=load_manifest(path) if path is not None else None,
        safelist=settings.persisted_queries_safelist,
        require_id=settings.persisted_queries_require_id,
    )


def build_rate_limiter(
    settings: RouterSettings, redis: Redis | None, subject: Subject | None
) -> RateLimiter | None:
    """The rate-limit stage, or None when both limits are off."""
    period = settings.rate_limit_period
    per_address = (
        Policy("address", settings.rate_limit_per_address, period)
        if settings.rate_limit_per_address
        else None
    )
    per_user = (
        Policy("user", settings.rate_limit_per_user, period)
        if settings.rate_limit_per_user
        else None
    )
    if per_address is None and per_user is None:
        return None
    memory = MemoryBuckets()
    buckets: Buckets = RedisBuckets(redis, memory) if redis is not None else memory
    return RateLimiter(buckets, per_address=per_address, per_user=per_user, subject=subject)


def cors_middleware(settings: RouterSettings) -> list[Middleware]:
    """CORS for the configured origins (none: no CORS headers, browsers keep same-origin)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=settings.cors_allow_credentials,
            allow_methods=["GET", "POST"],
            allow_headers=settings.cors_allow_headers,
            expose_headers=["ratelimit", "ratelimit-policy", "retry-after"],
            max_age=settings.cors_max_age,
        )
    ]
