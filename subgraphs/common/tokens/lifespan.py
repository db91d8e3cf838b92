"""Installing the JWT verifier as ``app.state.service.verifier`` for the lifetime of a service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from redis.asyncio import Redis

from router.auth.jwks import JwksSource, RemoteJwks, StaticJwks
from router.auth.revocation import RedisRevocationList, RevocationList
from subgraphs.common.app import Lifespan, ServiceState
from subgraphs.common.settings import ServiceSettings
from subgraphs.common.tokens.verifier import JwtVerifier

__all__ = ["install_verifier", "jwt_verifier_lifespan"]


def install_verifier(
    settings: ServiceSettings, keys: JwksSource, revocations: RevocationList | None = None
) -> JwtVerifier:
    """A verifier for ``settings``' issuer and audience over ``keys``."""
    return JwtVerifier(
        keys,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        revocations=revocations,
    )


def jwt_verifier_lifespan(
    jwks: Mapping[str, Any] | JwksSource | None = None, *, revocation: bool | None = None
) -> Lifespan:
    """A ``create_service_app(lifespans=...)`` hook that installs the JWT verifier.

    With no argument the keys come from ``settings.jwks_url`` (fetched, cached, refreshed on an
    unknown ``kid`` at most once per 30 s); a JWK Set document or a :class:`JwksSource` gives them
    statically (tests, air-gapped installs). ``revocation`` (default: on with remote keys) also
    checks the Redis revocation list at ``settings.redis_url``.
    """
    check_revocations = jwks is None if revocation is None else revocation

    @asynccontextmanager
    async def lifespan(_: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        remote: RemoteJwks | None = None
        redis: Redis | None = None
        keys: JwksSource
        if jwks is None:
            keys = remote = RemoteJwks(state.settings.jwks_url)
        elif isinstance(jwks, Mapping):
            keys = StaticJwks(jwks)
        else:
            keys = jwks
        revocations = None
        if check_revocations:
            redis = Redis.from_url(state.settings.redis_url)
            revocations = RedisRevocationList(redis)
        state.verifier = install_verifier(state.settings, keys, revocations)
        try:
            yield
        finally:
            state.verifier = None
            if remote is not None:
                await remote.aclose()
            if redis is not None:
                await redis.aclose()

    return lifespan
