"""Rate limits per user and per client address: token buckets, in Redis or in memory."""

from router.ratelimit.bucket import Buckets, Decision, MemoryBuckets, Policy, RedisBuckets
from router.ratelimit.limiter import RATE_LIMITED, RateLimiter, Subject

__all__ = [
    "RATE_LIMITED",
    "Buckets",
    "Decision",
    "MemoryBuckets",
    "Policy",
    "RateLimiter",
    "RedisBuckets",
    "Subject",
]
