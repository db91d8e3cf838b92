"""GraphQL types of users: the ``User`` entity (``@key(fields: "id")``) and its page type."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import strawberry

from subgraphs.auth.authz import require_self_or_scope
from subgraphs.auth.users.models import User, UserStatus
from subgraphs.auth.users.service import load_users
from subgraphs.common.context import RequestContext, Role
from subgraphs.common.errors import BadUserInput
from subgraphs.common.tokens import Scope

__all__ = [
    "CreateUserInput",
    "RoleType",
    "UserConnection",
    "UserStatusType",
    "UserType",
    "parse_id",
]

RoleType = strawberry.enum(
    Role, name="Role", description="What a user may do; maps to token scopes."
)
UserStatusType = strawberry.enum(UserStatus, name="UserStatus")

_PRIVATE = [[Scope.USERS_READ.value], [Scope.PROFILE_READ.value]]
T = TypeVar("T")


def _private_field(read: Callable[[User], T]) -> Any:
    """A field of ``User`` that only the user and ``users:read`` holders may see."""

    def resolve(root: UserType, info: strawberry.Info[RequestContext, Any]) -> Any:
        return read(root.private_row(info))

    return strawberry.federation.field(resolver=resolve, requires_scopes=_PRIVATE)


def parse_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise BadUserInput("That is not a valid id.") from exc


@strawberry.federation.type(name="User", keys=["id"])
class UserType:
    """A person who can sign in. Name and role are visible to any signed-in user; the rest only to
    the user themself and to holders of ``users:read``."""

    id: strawberry.ID
    display_name: str
    role: Role
    row: strawberry.Private[User]
    # True in the payload of the user's own sign-in, before the request carries their token.
    signing_in: strawberry.Private[bool] = False

    @classmethod
    def from_row(cls, row: User, *, signing_in: bool = False) -> UserType:
        return cls(
            id=strawberry.ID(str(row.id)),
            display_name=row.display_name,
            role=row.role,
            row=row,
            signing_in=signing_in,
        )

    def private_row(self, info: strawberry.Info[RequestContext, Any]) -> User:
        """The row, for the user themself and holders of ``users:read`` only."""
        if not self.signing_in:
            require_self_or_scope(info.context.caller, self.row.id, Scope.USERS_READ)
        return self.row

    email: str = _private_field(lambda user: user.email)
    status: UserStatus = _private_field(lambda user: user.status)
    mfa_enabled: bool = _private_field(lambda user: user.mfa_enabled)
    created_at: datetime = _private_field(lambda user: user.created_at)
    updated_at: datetime = _private_field(lambda user: user.updated_at)

    @classmethod
    async def resolve_reference(
        cls,
        info: strawberry.Info[RequestContext, Any],
        id: strawberry.ID,  # noqa: A002 (federation's key field)
    ) -> UserType | None:
        """Entity lookup for other subgraphs: signed-in callers only; one query per request batch."""
        context = info.context
        context.caller.require_authenticated()

        async def batch(ids: list[uuid.UUID]) -> list[User | None]:
            async with context.database.session() as session:
                return await load_users(session, ids)

        try:
            user_id = uuid.UUID(str(id))
        except ValueError:
            return None
        row = await context.loaders.get("auth.user", batch).load(user_id)
        return cls.from_row(row) if row is not None else None


@strawberry.type
class UserConnection:
    nodes: list[UserType]
    total_count: int
    has_next_page: bool
    end_cursor: str | None


@strawberry.input
class CreateUserInput:
    email: str
    display_name: str
    role: Role
    password: str
