"""Per-IP budgets, then per-account lockouts that spare known devices (OWASP authentication and
credential stuffing cheat sheets), in Redis."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from redis.asyncio import Redis

from subgraphs.auth.settings import AuthSettings
from subgraphs.common.errors import RateLimited

__all__ = ["BruteForceGuard", "Budget", "rate_limit_headers"]

# INCR the counter, start its window on the first hit; answer the count and the window's rest.
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


def rate_limit_headers(retry_after: int) -> dict[str, str]:
    """``Retry-After`` (RFC 9110) and ``RateLimit`` (draft-ietf-httpapi-ratelimit-headers) for a
    refused attempt: no attempts left, ``retry_after`` seconds until there are."""
    return {"Retry-After": str(retry_after), "RateLimit": f'"sign-in";r=0;t={retry_after}'}


def _subject(value: str) -> str:
    """Keys carry a digest, never an email address or IP in clear."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Budget:
    """At most ``limit`` events per ``window`` seconds."""

    limit: int
    window: int


class BruteForceGuard:
    """Counts every attempt (aliases and retries included) before the credential is checked.

    ``action`` is ``login``, ``mfa``, ``refresh`` or ``oauth``. The per-IP budget comes first and
    is strict: an attempt over it is refused before it can count against any account. Login and
    MFA failures then lock the account for ``lockout_seconds`` after too many in a window, but a
    login attempt from a known device (``device``, see ``signin/devices.py``) is exempt from the
    account lock; it has its own failure count and lock instead, so strangers, however many
    addresses they use, cannot lock the owner out of their own devices. Accounts are keyed by what the
    caller typed (a normalised email, a user id), whether or not such an account exists, so
    lockouts reveal nothing about who has an account.
    """

    def __init__(self, redis: Redis, settings: AuthSettings) -> None:
        self._redis = redis
        self._hit = redis.register_script(_HIT)
        self._settings = settings
        self._prefix = f"{settings.redis_key_prefix}:rl"
        self._ip_budgets = {
            "login": Budget(settings.ip_attempts_per_window, settings.ip_window_seconds),
            "mfa": Budget(settings.ip_attempts_per_window, settings.ip_window_seconds),
            "refresh": Budget(settings.refresh_attempts_per_window, settings.ip_window_seconds),
            "oauth": Budget(settings.ip_attempts_per_window, settings.ip_window_seconds),
        }
        self._failure_limits = {
            "login": settings.login_failures_before_lockout,
            "mfa": settings.mfa_failures_before_lockout,
        }

    def _subject(self, account: str, device: str | None) -> str:
        """Whose failures and lock: the account's, or one known device's of that account."""
        return _subject(account if device is None else f"{account}\x00device\x00{device}")

    async def _count(self, key: str, window: int) -> tuple[int, int]:
        count, ttl = await self._hit(keys=[key], args=[window])
        return int(count), max(int(ttl), 1)

    async def attempt(
        self, action: str, *, ip: str, account: str | None = None, device: str | None = None
    ) -> None:
        """Count one attempt; raise ``RateLimited`` when the IP is over budget or the account
        (for a known ``device``: that device) is locked."""
        budget = self._ip_budgets[action]
        count, ttl = await self._count(f"{self._prefix}:{action}:ip:{_subject(ip)}", budget.window)
        if count > budget.limit:
            raise RateLimited(
                "Too many attempts from your address; try again later.", retry_after=ttl
            )
        if account is not None:
            subject = self._subject(account, device)
            ttl = int(await self._redis.ttl(f"{self._prefix}:{action}:lock:{subject}"))
            if ttl > 0:
                raise RateLimited("Too many failed attempts; try again later.", retry_after=ttl)

    async def failed(self, action: str, *, account: str, device: str | None = None) -> bool:
        """Record a failure; True when it locked the account (or the known device)."""
        subject = self._subject(account, device)
        count, _ = await self._count(
            f"{self._prefix}:{action}:fail:{subject}", self._settings.failure_window_seconds
        )
        if count < self._failure_limits[action]:
            return False
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(
                f"{self._prefix}:{action}:lock:{subject}", 1, ex=self._settings.lockout_seconds
            )
            pipe.delete(f"{self._prefix}:{action}:fail:{subject}")
            await pipe.execute()
        return True

    async def succeeded(self, action: str, *, account: str, device: str | None = None) -> None:
        """Forget the failures after a successful attempt (the device's, or the account's)."""
        subject = self._subject(account, device)
        await self._redis.delete(f"{self._prefix}:{action}:fail:{subject}")

    async def unlock(self, action: str, *, account: str) -> None:
        subject = _subject(account)
        await self._redis.delete(
            f"{self._prefix}:{action}:lock:{subject}", f"{self._prefix}:{action}:fail:{subject}"
        )
