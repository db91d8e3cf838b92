"""The verified claims of a request's access token (RFC 9068 section 2.2), as the router uses them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Claims"]


@dataclass(frozen=True, slots=True)
class Claims:
    """Who a verified token names: authorization, header propagation and rate limiting read it.

    ``scopes`` is the space-separated OAuth ``scope`` claim (RFC 6749 section 3.3) as a set;
    ``raw`` keeps every claim as verified.
    """

    subject: str
    issuer: str
    role: str | None = None
    scopes: frozenset[str] = frozenset()
    token_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, claims: Mapping[str, Any]) -> Claims:
        scope = claims.get("scope", "")
        role = claims.get("role")
        jti = claims.get("jti")
        return cls(
            subject=str(claims.get("sub", "")),
            issuer=str(claims.get("iss", "")),
            role=role if isinstance(role, str) else None,
            scopes=frozenset(scope.split()) if isinstance(scope, str) else frozenset(),
            token_id=str(jti) if jti is not None else None,
            raw=dict(claims),
        )
