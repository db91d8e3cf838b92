"""Creating users, changing roles, disabling, listing: the rules, with events in the same transaction."""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func
from sqlmodel import col, or_, select

from subgraphs.auth.authz import require_scope
from subgraphs.auth.events import AuthEvent, emit
from subgraphs.auth.passwords.hashing import PasswordHashing
from subgraphs.auth.passwords.policy import check_password
from subgraphs.auth.tokens.service import revoke_user_tokens
from subgraphs.auth.users.models import User, UserStatus, utcnow
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import AsyncSession
from subgraphs.common.errors import BadUserInput, Conflict, NotFound
from subgraphs.common.tokens import Scope

__all__ = [
    "MFA_REQUIRED_ROLES",
    "UserPage",
    "change_role",
    "create_user",
    "disable_user",
    "find_by_email",
    "list_users",
    "load_users",
    "normalize_email",
    "register_user",
]

MFA_REQUIRED_ROLES = frozenset({Role.ADMIN, Role.DOCTOR, Role.STAFF})
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MAX_PAGE = 100


def normalize_email(email: str) -> str:
    """The lookup form of an address (trimmed, lower-cased); ``BadUserInput`` if it is not one."""
    normalized = email.strip().lower()
    if len(normalized) > 320 or not _EMAIL.match(normalized):
        raise BadUserInput("That is not a valid email address.")
    return normalized


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    normalized = email.strip().lower()
    return (await session.exec(select(User).where(User.email_normalized == normalized))).first()


async def load_users(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[User | None]:
    """Users by id in one query, in the order asked (None for unknown ids): a DataLoader batch."""
    rows = (await session.exec(select(User).where(col(User.id).in_(list(ids))))).all()
    by_id = {row.id: row for row in rows}
    return [by_id.get(user_id) for user_id in ids]


def _display_name(value: str) -> str:
    name = " ".join(value.split())
    if not 1 <= len(name) <= 200:
        raise BadUserInput("The display name must have 1 to 200 characters.")
    return name


async def register_user(
    session: AsyncSession,
    *,
    hashing: PasswordHashing | None,
    email: str,
    display_name: str,
    role: Role,
    password: str | None,
    actor: str,
    source: str,
) -> User:
    """Insert a user (no authorization check: callers are admins, the CLI, the seed, OAuth)."""
    normalized = normalize_email(email)
    name = _display_name(display_name)
    password_hash = None
    if password is not None:
        check_password(password, email=normalized, display_name=name)
        assert hashing is not None
        password_hash = await hashing.hash(password)
    if await find_by_email(session, normalized) is not None:
        raise Conflict("A user with this email address already exists.")
    user = User(
        email=email.strip(),
        email_normalized=normalized,
        display_name=name,
        role=role,
        password_hash=password_hash,
    )
    session.add(user)
    await session.flush()
    await emit(
        session,
        AuthEvent.USER_CREATED,
        user_id=user.id,
        actor=actor if actor != "self" else str(user.id),
        role=role.value,
        source=source,
    )
    return user


async def create_user(
    session: AsyncSession,
    *,
    caller: Caller,
    hashing: PasswordHashing,
    email: str,
    display_name: str,
    role: Role,
    password: str,
) -> User:
    """An admin creates a user with an initial password."""
    require_scope(caller, Scope.USERS_WRITE)
    return await register_user(
        session,
        hashing=hashing,
        email=email,
        display_name=display_name,
        role=role,
        password=password,
        actor=caller.actor,
        source="admin",
    )


async def _locked_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = (await session.exec(select(User).where(User.id == user_id).with_for_update())).first()
    if user is None:
        raise NotFound("No such user.")
    return user


async def _active_admins(session: AsyncSession) -> int:
    statement = select(func.count()).where(
        User.role == Role.ADMIN, User.status == UserStatus.ACTIVE
    )
    return int((await session.exec(statement)).one())


async def change_role(
    session: AsyncSession, *, caller: Caller, user_id: uuid.UUID, role: Role
) -> User:
    """Change a user's role; their refresh tokens are revoked so new scopes apply at once."""
    actor_id = require_scope(caller, Scope.USERS_WRITE)
    user = await _locked_user(session, user_id)
    previous = user.role
    if previous == role:
        return user
    if previous == Role.ADMIN and user.status == UserStatus.ACTIVE:
        if user.id == actor_id:
            raise Conflict("You cannot remove your own admin role.")
        if await _active_admins(session) <= 1:
            raise Conflict("The last active admin cannot lose the admin role.")
    user.role = role
    user.updated_at = utcnow()
    session.add(user)
    await revoke_user_tokens(session, user_id=user.id)
    await emit(
        session,
        AuthEvent.USER_ROLE_CHANGED,
        user_id=user.id,
        actor=caller.actor,
        previous_role=previous.value,
        role=role.value,
    )
    return user


async def disable_user(session: AsyncSession, *, caller: Caller, user_id: uuid.UUID) -> User:
    """Disable a user: no new sign-ins, refresh tokens revoked, access tokens refused by auth."""
    actor_id = require_scope(caller, Scope.USERS_WRITE)
    if user_id == actor_id:
        raise Conflict("You cannot disable your own account.")
    user = await _locked_user(session, user_id)
    if user.status == UserStatus.DISABLED:
        return user
    user.status = UserStatus.DISABLED
    user.updated_at = utcnow()
    session.add(user)
    await revoke_user_tokens(session, user_id=user.id)
    await emit(session, AuthEvent.USER_DISABLED, user_id=user.id, actor=caller.actor)
    return user


@dataclass(frozen=True, slots=True)
class UserPage:
    users: list[User]
    total: int
    has_next: bool
    end_cursor: str | None


def _cursor(user: User) -> str:
    return base64.urlsafe_b64encode(f"{user.email_normalized}\x00{user.id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, uuid.UUID]:
    try:
        email, _, raw_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("\x00")
        return email, uuid.UUID(raw_id)
    except ValueError as exc:
        raise BadUserInput("The cursor is not valid.") from exc


async def list_users(
    session: AsyncSession,
    *,
    caller: Caller,
    first: int = 20,
    after: str | None = None,
    role: Role | None = None,
    status: UserStatus | None = None,
    search: str | None = None,
) -> UserPage:
    """A page of users ordered by email, filtered by role, status and a name/email search."""
    require_scope(caller, Scope.USERS_READ)
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first must be between 1 and {MAX_PAGE}.")
    filters: list[ColumnElement[bool]] = []
    if role is not None:
        filters.append(col(User.role) == role)
    if status is not None:
        filters.append(col(User.status) == status)
    if search:
        pattern = (
            "%"
            + search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        filters.append(
            or_(
                col(User.email_normalized).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    total = int((await session.exec(select(func.count()).select_from(User).where(*filters))).one())
    statement = select(User).where(*filters)
    if after:
        email, last_id = _decode_cursor(after)
        statement = statement.where(
            or_(
                col(User.email_normalized) > email,
                (col(User.email_normalized) == email) & (col(User.id) > last_id),
            )
        )
    rows = list(
        (
            await session.exec(
                statement.order_by(col(User.email_normalized), col(User.id)).limit(first + 1)
            )
        ).all()
    )
    has_next = len(rows) > first
    rows = rows[:first]
    return UserPage(
        users=rows, total=total, has_next=has_next, end_cursor=_cursor(rows[-1]) if rows else None
    )
