"""Signing keys (Ed25519, RFC 8037): created, rotated, published in the JWKS, encrypted at rest."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from sqlalchemy import text
from sqlmodel import col, or_, select

from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.tokens.models import SigningKey
from subgraphs.auth.users.models import utcnow
from subgraphs.auth.vault import SecretBox
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.tokens import CLOCK_SKEW_SECONDS, VerificationKey, parse_jwks

__all__ = ["ALGORITHM", "SigningKeyStore"]

ALGORITHM = "EdDSA"
_PURPOSE = "signing-key"
_ROTATION_LOCK = 0x68_67_61_75_74_68  # pg advisory lock id: one rotation at a time


class SigningKeyStore:
    """The keys of this issuer. Exactly one key signs; retired keys stay published until every
    token they signed has expired (access-token lifetime plus the verifiers' clock skew).

    Keys live in the database with the private half encrypted, so restarts and other instances
    keep signing with, and verifying, the same keys. Implements ``JwksSource`` for our own checks.
    """

    def __init__(
        self,
        database: Database,
        vault: SecretBox,
        settings: AuthSettings,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._database = database
        self._vault = vault
        self._settings = settings
        self._clock = clock
        self._signing: tuple[str, Ed25519PrivateKey] | None = None
        self._published: dict[str, VerificationKey] = {}
        self._loaded_at = float("-inf")

    @property
    def retention(self) -> timedelta:
        """How long a retired key stays in the JWKS."""
        return timedelta(seconds=self._settings.access_token_ttl + CLOCK_SKEW_SECONDS + 60)

    async def ensure_active(self) -> str:
        """Create the first key, or rotate one older than the rotation period; return the kid."""
        async with self._database.transaction() as session:
            await self._lock(session)
            active = await self._active(session)
            max_age = timedelta(days=self._settings.signing_key_rotation_days)
            if active is None or self._clock() - active.created_at >= max_age:
                kid = await self._rotate(session, active)
            else:
                kid = active.kid
        self._loaded_at = float("-inf")
        return kid

    async def rotate(self) -> str:
        """Make a new key the signing key now; the previous one stays published for a while."""
        async with self._database.transaction() as session:
            await self._lock(session)
            kid = await self._rotate(session, await self._active(session))
        self._loaded_at = float("-inf")
        return kid

    async def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        await self._load()
        if self._signing is None:
            await self.ensure_active()
            await self._load(force=True)
        assert self._signing is not None
        return self._signing

    async def jwks(self) -> dict[str, Any]:
        """The JWK Set document: the signing key and every retired key still within retention."""
        async with self._database.session() as session:
            rows = await self._published_rows(session)
        return {"keys": [row.public_jwk for row in rows]}

    async def key(self, kid: str) -> VerificationKey | None:
        await self._load()
        if kid not in self._published:
            await self._load(force=True)
        return self._published.get(kid)

    async def _load(self, *, force: bool = False) -> None:
        if (
            not force
            and time.monotonic() - self._loaded_at < self._settings.signing_key_cache_seconds
        ):
            return
        async with self._database.session() as session:
            rows = await self._published_rows(session)
        self._published = parse_jwks({"keys": [row.public_jwk for row in rows]})
        active = next((row for row in rows if row.retired_at is None), None)
        if active is None:
            self._signing = None
        elif self._signing is None or self._signing[0] != active.kid:
            raw = self._vault.decrypt(active.private_key_encrypted, purpose=_PURPOSE)
            private = serialization.load_der_private_key(raw, password=None)
            assert isinstance(private, Ed25519PrivateKey)
            self._signing = (active.kid, private)
        self._loaded_at = time.monotonic()

    async def _published_rows(self, session: AsyncSession) -> list[SigningKey]:
        cutoff = self._clock() - self.retention
        result = await session.exec(
            select(SigningKey)
            .where(or_(col(SigningKey.retired_at).is_(None), col(SigningKey.retired_at) > cutoff))
            .order_by(col(SigningKey.created_at).desc())
        )
        return list(result.all())

    @staticmethod
    async def _lock(session: AsyncSession) -> None:
        connection = await session.connection()
        await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ROTATION_LOCK})

    @staticmethod
    async def _active(session: AsyncSession) -> SigningKey | None:
        result = await session.exec(
            select(SigningKey)
            .where(col(SigningKey.retired_at).is_(None))
            .order_by(col(SigningKey.created_at).desc())
        )
        return result.first()

    async def _rotate(self, session: AsyncSession, previous: SigningKey | None) -> str:
        now = self._clock()
        if previous is not None:
            previous.retired_at = now
            session.add(previous)
        private = Ed25519PrivateKey.generate()
        kid = f"{now:%Y%m%d}-{secrets.token_hex(6)}"
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
        raw = private.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        session.add(
            SigningKey(
                kid=kid,
                algorithm=ALGORITHM,
                public_jwk={**jwk, "kid": kid, "alg": ALGORITHM, "use": "sig"},
                private_key_encrypted=self._vault.encrypt(raw, purpose=_PURPOSE),
                created_at=now,
            )
        )
        # Keys retired long ago sign nothing and verify nothing: drop them.
        connection = await session.connection()
        await connection.execute(
            text("DELETE FROM signing_key WHERE retired_at < :cutoff"),
            {"cutoff": now - self.retention - timedelta(days=1)},
        )
        return kid
