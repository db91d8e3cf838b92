"""The revocation list: a user's tokens issued before a cut-off are refused (real Redis)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from subgraphs.common.errors import Unauthenticated
from subgraphs.common.tokens import JwtVerifier, RedisRevocationList, StaticJwks
from tests.support.tokens import AUDIENCE, ISSUER, JWKS, mint


@pytest.fixture
async def revocations(redis_url: str) -> AsyncIterator[RedisRevocationList]:
    redis = Redis.from_url(redis_url)
    yield RedisRevocationList(redis, prefix=f"test:{uuid.uuid4().hex}")
    await redis.aclose()


def _verifier(revocations: RedisRevocationList) -> JwtVerifier:
    return JwtVerifier(StaticJwks(JWKS), issuer=ISSUER, audience=AUDIENCE, revocations=revocations)


async def test_tokens_issued_before_the_cutoff_are_refused(
    revocations: RedisRevocationList,
) -> None:
    user, other = uuid.uuid4(), uuid.uuid4()
    now = int(time.time())
    old = mint(user_id=user, iat=now - 5, nbf=now - 5)
    verifier = _verifier(revocations)
    await verifier.verify(old)
    await revocations.revoke_user(str(user), ttl=60)
    with pytest.raises(Unauthenticated, match="revoked"):
        await verifier.verify(old)
    await verifier.verify(mint(user_id=other))  # other users are untouched
    await verifier.verify(mint(user_id=user, iat=now + 2, nbf=now))  # newer tokens pass


async def test_unreachable_redis_falls_back_to_expiry() -> None:
    redis = Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)
    verifier = _verifier(RedisRevocationList(redis))
    assert (await verifier.verify(mint()))["aud"] == AUDIENCE
    await redis.aclose()
