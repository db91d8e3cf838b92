"""Everything the auth service holds for its lifetime, built once at start-up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends, Request
from redis.asyncio import Redis

from subgraphs.auth.oauth.providers import ProviderRegistry
from subgraphs.auth.passwords.hashing import PasswordHashing
from subgraphs.auth.ratelimit.guard import BruteForceGuard
from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.tokens.keys import SigningKeyStore
from subgraphs.auth.vault import SecretBox, load_master_key
from subgraphs.common.database import Database
from subgraphs.common.tokens import CLOCK_SKEW_SECONDS, RedisRevocationList

__all__ = ["AuthRuntime", "RuntimeDep", "runtime_of"]


@dataclass(slots=True)
class AuthRuntime:
    settings: AuthSettings
    database: Database
    vault: SecretBox
    keys: SigningKeyStore
    hashing: PasswordHashing
    redis: Redis
    guard: BruteForceGuard
    http: httpx.AsyncClient  # outbound calls to OAuth providers
    oauth: ProviderRegistry
    revocations: RedisRevocationList

    @classmethod
    def build(cls, settings: AuthSettings, database: Database) -> AuthRuntime:
        vault = SecretBox(load_master_key(settings))
        redis = Redis.from_url(settings.redis_url)
        http = httpx.AsyncClient(timeout=10.0, follow_redirects=False)
        return cls(
            settings=settings,
            database=database,
            vault=vault,
            keys=SigningKeyStore(database, vault, settings),
            hashing=PasswordHashing(settings),
            redis=redis,
            guard=BruteForceGuard(redis, settings),
            http=http,
            oauth=ProviderRegistry(dict(settings.oauth), http),
            revocations=RedisRevocationList(redis),
        )

    async def revoke_access_tokens(self, user_id: uuid.UUID) -> None:
        """Make every verifier with the revocation list refuse the user's current access tokens."""
        ttl = self.settings.access_token_ttl + CLOCK_SKEW_SECONDS
        await self.revocations.revoke_user(str(user_id), ttl=ttl)

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.redis.aclose()


def runtime_of(request: Request) -> AuthRuntime:
    """The running service's runtime (FastAPI dependency)."""
    runtime: AuthRuntime | None = getattr(request.app.state, "auth", None)
    if runtime is None:
        raise RuntimeError("the auth service is not started")
    return runtime


RuntimeDep = Annotated[AuthRuntime, Depends(runtime_of)]
