"""Who is calling, and the per-request state every resolver shares (database, DataLoaders)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from subgraphs.common.database import Database
from subgraphs.common.errors import Forbidden, Unauthenticated
from subgraphs.common.limits import ServiceLimits

__all__ = [
    "MAX_BATCH_SIZE",
    "Caller",
    "LoaderRegistry",
    "RequestContext",
    "Role",
    "TokenVerifier",
]

K = TypeVar("K")
V = TypeVar("V")


class Role(StrEnum):
    """The four roles of healthgraph; the auth subgraph maps each to its scopes."""

    ADMIN = "ADMIN"
    DOCTOR = "DOCTOR"
    STAFF = "STAFF"
    PATIENT = "PATIENT"


@dataclass(frozen=True, slots=True)
class Caller:
    """The identity behind a request: a verified access token's claims, or anonymous."""

    user_id: uuid.UUID | None = None
    role: Role | None = None
    scopes: frozenset[str] = frozenset()
    token_id: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def anonymous(cls) -> Caller:
        return cls()

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Caller:
        """Build a caller from verified access-token claims (``sub``, ``role``, ``scope``, ``jti``)."""
        try:
            user_id = uuid.UUID(str(claims["sub"]))
            role = Role(str(claims["role"]))
        except (KeyError, ValueError) as exc:
            raise Unauthenticated("The access token does not name a valid user and role.") from exc
        scope = claims.get("scope", "")
        scopes = frozenset(scope.split()) if isinstance(scope, str) else frozenset()
        jti = claims.get("jti")
        return cls(
            user_id=user_id,
            role=role,
            scopes=scopes,
            token_id=str(jti) if jti is not None else None,
            claims=dict(claims),
        )

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def actor(self) -> str:
        """The id recorded on events and audit entries: the user id, or ``anonymous``."""
        return str(self.user_id) if self.user_id is not None else "anonymous"

    def require_authenticated(self) -> uuid.UUID:
        """The caller's user id; UNAUTHENTICATED when there is none."""
        if self.user_id is None:
            raise Unauthenticated("You must be signed in.")
        return self.user_id

    def require_role(self, *roles: Role) -> Role:
        """The caller's role when it is one of ``roles``; otherwise UNAUTHENTICATED or FORBIDDEN."""
        self.require_authenticated()
        if self.role not in roles:
            raise Forbidden("Your role may not do this.")
        assert self.role is not None
        return self.role

    def has_scopes(self, *scopes: str) -> bool:
        return all(scope in self.scopes for scope in scopes)


class TokenVerifier(Protocol):
    """Verifies an access token and returns its claims, raising ``Unauthenticated`` when invalid."""

    async def verify(self, token: str) -> Mapping[str, Any]: ...


# Keys per batch: one batch is one ``IN (...)`` list, and PostgreSQL takes at most 32,767 bind
# parameters per statement, so larger requests are answered in several batches.
MAX_BATCH_SIZE = 1_000


class LoaderRegistry:
    """One DataLoader per key and request, so N entity lookups cost one batched query."""

    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def get(
        self,
        key: Hashable,
        load_fn: Callable[[list[K]], Awaitable[Sequence[V | BaseException]]],
    ) -> DataLoader[K, V]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = DataLoader(load_fn=load_fn, max_batch_size=MAX_BATCH_SIZE)
            self._loaders[key] = loader
        return loader


class RequestContext(BaseContext):
    """The Strawberry context of one request or one subscription."""

    def __init__(self, *, caller: Caller, database: Database, request_id: str) -> None:
        super().__init__()
        self.caller = caller
        self.database = database
        self.request_id = request_id
        self.loaders = LoaderRegistry()
        # The service's operation limits (the app sets them from its settings).
        self.limits = ServiceLimits()
