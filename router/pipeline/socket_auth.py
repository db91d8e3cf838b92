"""Who opened a subscription socket: the token of ``connection_init`` (graphql-transport-ws PROTOCOL.md).

The hook is :class:`SocketAuthenticator`. Today's :class:`ForwardingAuthenticator` reads the token
(the ``connection_init`` payload's ``authorization``/``token``, else the handshake's
``Authorization`` header), reads its claims without verifying them (only to know ``exp`` and
``sub``) and forwards the token to the subgraphs, which verify it as for HTTP. A verifying
authenticator (the router's JWT validation) replaces it through ``create_app(...,
socket_authenticator=...)``: it raises :class:`SocketAuthError` for a bad token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from router.auth import Authenticator, InvalidToken
from router.execution.transport_ws import CloseCode

__all__ = [
    "ForwardingAuthenticator",
    "SocketAuthError",
    "SocketAuthenticator",
    "SocketIdentity",
    "VerifyingAuthenticator",
    "token_from",
]

_TOKEN_KEYS = ("authorization", "Authorization", "token")


class SocketAuthError(Exception):
    """The socket is refused: closed with ``close_code`` (4401 unauthorized, 4403 forbidden)."""

    def __init__(self, message: str, close_code: int = CloseCode.UNAUTHORIZED) -> None:
        super().__init__(message)
        self.message = message
        self.close_code = close_code


@dataclass(frozen=True, slots=True)
class SocketIdentity:
    """The socket's caller: its token (forwarded to subgraphs) and what is known of its claims.

    A verifying authenticator sets ``verified``; the forwarding one only reads the claims.
    """

    token: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict)
    verified: bool = False  # the claims were checked (signature, issuer, ...), not just read

    @property
    def anonymous(self) -> bool:
        return self.token is None

    @property
    def limit_key(self) -> str | None:
        """Whose connections count together: the user (``sub``) when the token was verified,
        else the token itself (an unverified ``sub`` could name someone else)."""
        if self.token is None:
            return None
        if self.verified and self.subject is not None:
            return f"sub:{self.subject}"
        return "token:" + hashlib.sha256(self.token.encode()).hexdigest()

    @property
    def subject(self) -> str | None:
        subject = self.claims.get("sub")
        return subject if isinstance(subject, str) else None

    @property
    def expires_at(self) -> float | None:
        """When the token expires (epoch seconds), from its ``exp`` claim."""
        expires = self.claims.get("exp")
        return float(expires) if isinstance(expires, int | float) else None

    def authorization(self) -> str | None:
        return None if self.token is None else f"Bearer {self.token}"


def token_from(payload: Any, headers: Mapping[str, str]) -> str | None:
    """The bearer token of a ``connection_init`` payload, else of the handshake's headers."""
    values: list[Any] = []
    if isinstance(payload, dict):
        values.extend(payload.get(key) for key in _TOKEN_KEYS)
    values.append(headers.get("authorization"))
    for value in values:
        if isinstance(value, str) and value.strip():
            scheme, _, rest = value.strip().partition(" ")
            if rest and scheme.lower() == "bearer":
                return rest.strip()
            return value.strip()
    return None


def _unverified_claims(token: str) -> dict[str, Any]:
    """The JWT's payload (RFC 7519 section 7.2 steps 1-7), not verified."""
    parts = token.split(".")
    if len(parts) != 3:
        raise SocketAuthError("The access token is not a JWT.")
    segment = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(segment))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise SocketAuthError("The access token is not a JWT.") from None
    if not isinstance(claims, dict):
        raise SocketAuthError("The access token is not a JWT.")
    return claims


class SocketAuthenticator(Protocol):
    """Decides who a socket's caller is from its ``connection_init`` payload and handshake."""

    async def authenticate(self, payload: Any, headers: Mapping[str, str]) -> SocketIdentity:
        """The caller (anonymous without a token); raise :class:`SocketAuthError` to refuse."""
        ...

    async def recheck(self, identity: SocketIdentity) -> None:
        """Raise :class:`SocketAuthError` once ``identity``'s token no longer holds (revoked)."""
        ...


class ForwardingAuthenticator:
    """Forwards the token for the subgraphs to verify; refuses only what is plainly no token
    (not a JWT) or already expired."""

    async def authenticate(self, payload: Any, headers: Mapping[str, str]) -> SocketIdentity:
        token = token_from(payload, headers)
        if token is None:
            return SocketIdentity()
        identity = SocketIdentity(token, _unverified_claims(token))
        expires = identity.expires_at
        if expires is not None and expires <= time.time():
            raise SocketAuthError("Your access token expired: sign in again.")
        return identity

    async def recheck(self, identity: SocketIdentity) -> None:
        """Nothing to recheck: the subgraphs verify the forwarded token on every operation."""


class VerifyingAuthenticator:
    """The router's JWT validation (:class:`router.auth.Authenticator`) at subscribe time: a bad,
    expired or revoked token closes the socket with 4401; no token is anonymous."""

    def __init__(self, authenticator: Authenticator) -> None:
        self.authenticator = authenticator

    async def authenticate(self, payload: Any, headers: Mapping[str, str]) -> SocketIdentity:
        token = token_from(payload, headers)
        if token is None:
            return SocketIdentity()
        try:
            claims = await self.authenticator.verify(token)
        except InvalidToken as error:
            raise SocketAuthError(error.message) from None
        return SocketIdentity(token, claims.raw, verified=True)

    async def recheck(self, identity: SocketIdentity) -> None:
        """Verify the socket's token again: a token revoked since ``connection_init`` (auth's
        deny-list) is refused, with close code 4403."""
        if identity.token is None:
            return
        try:
            await self.authenticator.verify(identity.token)
        except InvalidToken as error:
            raise SocketAuthError(error.message, CloseCode.FORBIDDEN) from None
