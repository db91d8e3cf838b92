"""Access-token verification per RFC 8725 (JWT BCP) and RFC 9068 (JWT access tokens)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jwt
from jwt.exceptions import ExpiredSignatureError, InvalidTokenError

from router.auth.jwks import JwksSource
from router.auth.keys import VerificationKey
from router.auth.revocation import RevocationList

__all__ = [
    "ACCESS_TOKEN_TYPE",
    "CLOCK_SKEW_SECONDS",
    "MAX_TOKEN_LENGTH",
    "InvalidToken",
    "JwtVerifier",
]

ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 (a media type, not a secret)
CLOCK_SKEW_SECONDS = 60
MAX_TOKEN_LENGTH = 8192
REQUIRED_CLAIMS = ("iss", "aud", "sub", "exp", "iat", "nbf", "jti")


class InvalidToken(Exception):
    """A bearer token that does not verify; ``message`` is safe to show the client."""

    def __init__(self, message: str = "Invalid access token.") -> None:
        super().__init__(message)
        self.message = message


class JwtVerifier:
    """Verifies our access tokens against one issuer's keys.

    The header's ``alg`` must equal the algorithm its key is pinned to (EdDSA or RS256), so
    ``none`` and HMAC are refused outright; ``typ`` must be ``at+jwt``; ``iss``, ``aud``, ``exp``,
    ``nbf``, ``iat``, ``sub`` and ``jti`` are required and checked with at most 60 s of clock skew.
    ``jku``, ``x5u`` and embedded ``jwk`` headers are ignored: keys come from ``keys`` only.
    Raises :class:`InvalidToken`; the subgraphs' verifier turns it into their ``Unauthenticated``.
    """

    def __init__(
        self,
        keys: JwksSource,
        *,
        issuer: str,
        audience: str,
        leeway: int = CLOCK_SKEW_SECONDS,
        token_type: str = ACCESS_TOKEN_TYPE,
        revocations: RevocationList | None = None,
    ) -> None:
        if not 0 <= leeway <= CLOCK_SKEW_SECONDS:
            raise ValueError(f"clock skew must be between 0 and {CLOCK_SKEW_SECONDS} seconds")
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.token_type = token_type
        self.revocations = revocations

    def _type_matches(self, typ: object) -> bool:
        if not isinstance(typ, str):
            return False
        typ = typ.lower()
        return typ in {self.token_type, f"application/{self.token_type}"}

    async def verify_token(self, token: str) -> Mapping[str, Any]:
        """The verified claims of ``token``; :class:`InvalidToken` for anything else."""
        claims, _ = await self.verify_signed(token)
        await self.check_revocation(claims)
        return claims

    async def check_revocation(self, claims: Mapping[str, Any]) -> None:
        if self.revocations is not None and await self.revocations.revoked(claims):
            raise InvalidToken("The access token has been revoked.")

    async def verify_signed(self, token: str) -> tuple[Mapping[str, Any], VerificationKey]:
        """Everything but revocation: the claims of ``token`` and the key that verified it."""
        if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise InvalidToken
        try:
            header = jwt.get_unverified_header(token)
        except InvalidTokenError as exc:
            raise InvalidToken from exc
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or not self._type_matches(header.get("typ")):
            raise InvalidToken
        key = await self.keys.key(kid)
        if key is None or header.get("alg") != key.algorithm:
            raise InvalidToken
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=[key.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": list(REQUIRED_CLAIMS), "strict_aud": False},
            )
        except ExpiredSignatureError as exc:
            raise InvalidToken("The access token has expired.") from exc
        except InvalidTokenError as exc:
            raise InvalidToken from exc
        return claims, key
