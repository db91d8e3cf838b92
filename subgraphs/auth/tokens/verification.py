"""The auth service's own access-token check: the shared verifier, then "is this user still active?"."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from subgraphs.auth.users.models import User, UserStatus
from subgraphs.common.database import Database
from subgraphs.common.errors import Unauthenticated
from subgraphs.common.tokens import JwtVerifier

__all__ = ["ActiveUserVerifier"]


class ActiveUserVerifier:
    """Implements ``TokenVerifier``. Auth refuses a disabled user's token at once from the
    database; other subgraphs do so through the Redis revocation list."""

    def __init__(self, verifier: JwtVerifier, database: Database) -> None:
        self.verifier = verifier
        self.database = database

    async def verify(self, token: str) -> Mapping[str, Any]:
        claims = await self.verifier.verify(token)
        try:
            user_id = uuid.UUID(str(claims["sub"]))
        except ValueError as exc:
            raise Unauthenticated("Invalid access token.") from exc
        async with self.database.session() as session:
            user = await session.get(User, user_id)
        if user is None or user.status == UserStatus.DISABLED:
            raise Unauthenticated("Invalid access token.")
        return claims
