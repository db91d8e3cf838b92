"""The subgraphs' access-token verifier: the router's (RFC 8725, RFC 9068), answering ``Unauthenticated``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from router.auth.verifier import (
    ACCESS_TOKEN_TYPE,
    CLOCK_SKEW_SECONDS,
    MAX_TOKEN_LENGTH,
    InvalidToken,
)
from router.auth.verifier import JwtVerifier as TokenVerifier
from subgraphs.common.errors import Unauthenticated

__all__ = ["ACCESS_TOKEN_TYPE", "CLOCK_SKEW_SECONDS", "MAX_TOKEN_LENGTH", "JwtVerifier"]


class JwtVerifier(TokenVerifier):
    """The one verifier the router and every subgraph share; implements the kernel's
    ``TokenVerifier`` protocol by raising ``Unauthenticated`` with the same message."""

    async def verify(self, token: str) -> Mapping[str, Any]:
        """The verified claims of ``token``; ``Unauthenticated`` for anything else."""
        try:
            return await self.verify_token(token)
        except InvalidToken as exc:
            raise Unauthenticated(exc.message) from exc
