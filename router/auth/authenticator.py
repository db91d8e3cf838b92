"""Bearer-token authentication against one or more issuers' JWK Sets (RFC 6750, RFC 8725)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import jwt
from jwt.exceptions import InvalidTokenError
from redis.asyncio import Redis

from router.auth.claims import Claims
from router.auth.jwks import RemoteJwks
from router.auth.keys import VerificationKey
from router.auth.revocation import RedisRevocationList
from router.auth.verifier import CLOCK_SKEW_SECONDS, MAX_TOKEN_LENGTH, InvalidToken, JwtVerifier

__all__ = ["Authenticator", "IssuerConfig", "bearer_token"]

logger = logging.getLogger("router.auth")

_CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class _Verified:
    """A token verified earlier: valid again while its key is still published and it is unexpired."""

    claims: Claims
    verifier: JwtVerifier
    keys: RemoteJwks
    kid: str
    key: VerificationKey
    expires: float


@dataclass(frozen=True, slots=True)
class IssuerConfig:
    """One trusted issuer: its ``iss``, the audience its tokens must name and its JWK Set URL."""

    issuer: str
    jwks_url: str
    audience: str = "healthgraph"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header; None without one.

    A header that is present but is not a bearer token is an invalid credential, not anonymity.
    """
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise InvalidToken("The Authorization header must be 'Bearer <access token>'.")
    return token


class Authenticator:
    """Verifies a token against the issuer its (unverified) ``iss`` names, among those configured.

    Each issuer's keys are fetched from its fixed JWK Set URL, cached, refreshed on a schedule
    (``jwks_refresh_interval``) and on an unknown ``kid`` at most once per
    ``jwks_min_refresh_interval`` seconds; nothing in a token chooses where keys come from. With a
    ``redis_url``, auth's revocation list is checked too. :meth:`verify` is all a transport needs
    (the WebSocket ``connection_init`` uses it like the HTTP front).
    """

    def __init__(
        self,
        issuers: Sequence[IssuerConfig],
        *,
        leeway: int = 30,
        redis_url: str | None = None,
        jwks_refresh_interval: float = 300.0,
        jwks_min_refresh_interval: float = 30.0,
    ) -> None:
        if not issuers:
            raise ValueError("an authenticator needs at least one issuer")
        if not 0 <= leeway <= CLOCK_SKEW_SECONDS:
            raise ValueError(f"jwt_leeway must be between 0 and {CLOCK_SKEW_SECONDS} seconds")
        self._redis = Redis.from_url(redis_url) if redis_url else None
        revocations = RedisRevocationList(self._redis) if self._redis is not None else None
        self._jwks: list[RemoteJwks] = []
        self._verifiers: dict[str, tuple[JwtVerifier, RemoteJwks]] = {}
        self._leeway = leeway
        self._verified: dict[str, _Verified] = {}
        for config in issuers:
            keys = RemoteJwks(
                config.jwks_url,
                max_age=jwks_refresh_interval,
                min_refresh_interval=jwks_min_refresh_interval,
            )
            self._jwks.append(keys)
            verifier = JwtVerifier(
                keys,
                issuer=config.issuer,
                audience=config.audience,
                leeway=leeway,
                revocations=revocations,
            )
            self._verifiers[config.issuer] = (verifier, keys)
        self._tasks: list[asyncio.Task[None]] = []

    async def verify(self, token: str) -> Claims:
        """The verified claims of ``token``; :class:`InvalidToken` for anything else.

        A token seen before skips the signature check (the costly part) while it is unexpired
        and the key that verified it is still in its issuer's JWK Set; revocation is checked on
        every call.
        """
        seen = self._verified.get(token)
        if seen is not None:
            if seen.expires + self._leeway > time.time() and seen.keys.cached(seen.kid) is seen.key:
                await seen.verifier.check_revocation(seen.claims.raw)
                return seen.claims
            del self._verified[token]
        if len(token) > MAX_TOKEN_LENGTH:
            raise InvalidToken
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except InvalidTokenError as exc:
            raise InvalidToken from exc
        found = self._verifiers.get(str(unverified.get("iss")))
        if found is None:
            raise InvalidToken
        verifier, keys = found
        raw, key = await verifier.verify_signed(token)
        await verifier.check_revocation(raw)
        claims = Claims.from_mapping(raw)
        if len(self._verified) >= _CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = _Verified(claims, verifier, keys, key.kid, key, float(raw["exp"]))
        return claims

    async def authenticate(self, authorization: str | None) -> Claims | None:
        """None for a request without credentials, the claims of a valid bearer token, else
        :class:`InvalidToken`."""
        token = bearer_token(authorization)
        return None if token is None else await self.verify(token)

    def start(self) -> None:
        """Keep every JWK Set fresh in the background (call from the running event loop)."""
        self._tasks = [
            asyncio.create_task(keys.refresh_periodically(), name=f"jwks-refresh {keys.url}")
            for keys in self._jwks
        ]

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        for keys in self._jwks:
            await keys.aclose()
        if self._redis is not None:
            await self._redis.aclose()
