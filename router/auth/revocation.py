"""Early revocation of access tokens (RFC 8725 leaves it to us): a per-user "issued before" cut-off.

Auth writes the cut-off when it disables a user or changes their role; every verifier with a
revocation list then refuses that user's tokens issued at or before it, instead of accepting them
until they expire. Entries live as long as an access token can, so the list stays small.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["REVOCATION_PREFIX", "RedisRevocationList", "RevocationList"]

logger = logging.getLogger(__name__)

REVOCATION_PREFIX = "healthgraph:tokens:revoked-before"


class RevocationList(Protocol):
    async def revoked(self, claims: Mapping[str, Any]) -> bool: ...


class RedisRevocationList:
    """The cut-offs in Redis, shared by auth (writer) and every subgraph and the router (readers).

    If Redis cannot be reached the check passes with a logged warning: revocation then falls back
    to token expiry (at most 15 minutes), and clinical access is not lost to a cache outage.
    """

    def __init__(self, redis: Redis, *, prefix: str = REVOCATION_PREFIX) -> None:
        self.redis = redis
        self.prefix = prefix

    def _key(self, user_id: str) -> str:
        return f"{self.prefix}:{user_id}"

    async def revoke_user(self, user_id: str, *, ttl: int) -> None:
        """Refuse every token of ``user_id`` issued up to now, for ``ttl`` seconds."""
        await self.redis.set(self._key(user_id), int(time.time()), ex=ttl)

    async def revoked(self, claims: Mapping[str, Any]) -> bool:
        try:
            cutoff = await self.redis.get(self._key(str(claims.get("sub"))))
        except RedisError as exc:
            logger.warning("token revocation list unavailable, relying on expiry: %s", exc)
            return False
        if cutoff is None:
            return False
        try:
            return int(claims.get("iat", 0)) <= int(cutoff)
        except (TypeError, ValueError):
            return True
