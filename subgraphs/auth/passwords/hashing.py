"""argon2id password hashing (RFC 9106) with a dummy hash so unknown accounts cost the same time."""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from subgraphs.auth.settings import AuthSettings

__all__ = ["PasswordHashing"]


class PasswordHashing:
    """Hash and verify passwords off the event loop; verification is constant-time in argon2."""

    def __init__(self, settings: AuthSettings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.password_time_cost,
            memory_cost=settings.password_memory_kib,
            parallelism=settings.password_parallelism,
            type=Type.ID,
        )
        # Verified against when the account does not exist, so "no such user" takes as long
        # as "wrong password".
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(24))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; a None hash is checked against the dummy, then fails."""
        return await asyncio.to_thread(self._verify, stored_hash, password)

    def _verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            matched = self._hasher.verify(stored_hash or self._dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return matched and stored_hash is not None

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
