"""Minting access tokens: JWTs per RFC 9068 (``typ: at+jwt``) signed with the current key."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.tokens.keys import ALGORITHM, SigningKeyStore
from subgraphs.auth.users.models import User
from subgraphs.common.tokens import ACCESS_TOKEN_TYPE, scope_claim

__all__ = ["AccessToken", "issue_access_token"]


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    expires_in: int
    jti: str


async def issue_access_token(
    *, keys: SigningKeyStore, settings: AuthSettings, user: User
) -> AccessToken:
    """An access token for ``user``: ``scope`` from the role table, lifetime ``access_token_ttl``."""
    kid, private_key = await keys.signing_key()
    now = int(time.time())
    jti = str(uuid.uuid4())
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(user.id),
        "iat": now,
        "nbf": now,
        "exp": now + settings.access_token_ttl,
        "jti": jti,
        "role": user.role.value,
        "scope": scope_claim(user.role),
    }
    token = jwt.encode(
        claims, private_key, algorithm=ALGORITHM, headers={"kid": kid, "typ": ACCESS_TOKEN_TYPE}
    )
    return AccessToken(token=token, expires_in=settings.access_token_ttl, jti=jti)
