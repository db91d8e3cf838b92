"""Bootstrapping a fresh install: the first admin, and the demo seed (one user of each role)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from subgraphs.auth.mfa.service import current_code, provision_totp
from subgraphs.auth.runtime import AuthRuntime
from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.users.models import User
from subgraphs.auth.users.service import (
    MFA_REQUIRED_ROLES,
    find_by_email,
    normalize_email,
    register_user,
)
from subgraphs.common.context import Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden, NotFound
from subgraphs.common.migrations import upgrade_database

__all__ = [
    "DEMO_DOMAIN",
    "SEED_USERS",
    "SeededUser",
    "create_admin",
    "demo_totp_code",
    "seed_users",
]

DEMO_DOMAIN = "demo.healthgraph.test"

SEED_USERS: dict[Role, tuple[str, str]] = {
    Role.ADMIN: ("admin@demo.healthgraph.test", "Ada Admin (synthetic)"),
    Role.DOCTOR: ("doctor@demo.healthgraph.test", "Dr Dana Doctor (synthetic)"),
    Role.STAFF: ("staff@demo.healthgraph.test", "Sam Staff (synthetic)"),
    Role.PATIENT: ("patient@demo.healthgraph.test", "Pat Patient (synthetic)"),
}


async def _runtime(settings: AuthSettings) -> tuple[AuthRuntime, Database]:
    await upgrade_database("auth", settings.database_url)
    database = Database(settings.database_url, pool_size=2)
    return AuthRuntime.build(settings, database), database


async def create_admin(
    settings: AuthSettings, *, email: str, password: str, display_name: str = "Administrator"
) -> User:
    """Create an ADMIN with ``password`` (policy-checked). MFA enrolment is forced at first login."""
    runtime, database = await _runtime(settings)
    try:
        async with database.transaction() as session:
            return await register_user(
                session,
                hashing=runtime.hashing,
                email=email,
                display_name=display_name,
                role=Role.ADMIN,
                password=password,
                actor="cli",
                source="cli",
            )
    finally:
        await runtime.aclose()
        await database.dispose()


@dataclass(frozen=True, slots=True)
class SeededUser:
    role: Role
    email: str
    user_id: uuid.UUID
    password: str | None  # None when the user existed already (their password is unknown here)
    totp_secret: str | None  # staff roles get TOTP enrolled so the demo can sign in
    created: bool


async def seed_users(
    settings: AuthSettings, accounts: Iterable[tuple[Role, str, str]] | None = None
) -> list[SeededUser]:
    """Synthetic users, ``(role, email, display name)`` (default: one per role), sharing a fresh
    demo password; ADMIN, DOCTOR and STAFF get TOTP enrolled.

    Idempotent: users that exist are left alone (and reported with no password).
    """
    if settings.production:
        raise Conflict("Refusing to seed demo users in production.")
    wanted = list(accounts) if accounts is not None else [
        (role, email, name) for role, (email, name) in SEED_USERS.items()
    ]  # fmt: skip
    password = f"demo-{secrets.token_urlsafe(12)}"
    runtime, database = await _runtime(settings)
    seeded: list[SeededUser] = []
    try:
        for role, email, name in wanted:
            async with database.transaction() as session:
                found = await find_by_email(session, email)
                if found is not None:
                    seeded.append(SeededUser(role, email, found.id, None, None, created=False))
                    continue
                user = await register_user(
                    session,
                    hashing=runtime.hashing,
                    email=email,
                    display_name=name,
                    role=role,
                    password=password,
                    actor="seed",
                    source="seed",
                )
                secret = None
                if role in MFA_REQUIRED_ROLES:
                    secret = await provision_totp(
                        session, vault=runtime.vault, user=user, actor="seed"
                    )
                seeded.append(SeededUser(role, email, user.id, password, secret, created=True))
    finally:
        await runtime.aclose()
        await database.dispose()
    return seeded


async def demo_totp_code(settings: AuthSettings, *, email: str) -> tuple[str, int]:
    """The TOTP code a demo user (``@demo.healthgraph.test``) can use now, and for how many
    seconds; development only, so that the MFA sign-in can be followed from a terminal."""
    if settings.production:
        raise Forbidden("Refusing to print TOTP codes in production.")
    normalized = normalize_email(email)
    if not normalized.endswith(f"@{DEMO_DOMAIN}"):
        raise Forbidden(f"Only demo users (…@{DEMO_DOMAIN}) get their TOTP code printed.")
    runtime, database = await _runtime(settings)
    try:
        async with database.session() as session:
            user = await find_by_email(session, normalized)
            if user is None:
                raise NotFound(f"No user {normalized}: seed the demo clinic with `make up`.")
            code = await current_code(session, vault=runtime.vault, user_id=user.id)
    finally:
        await runtime.aclose()
        await database.dispose()
    if code is None:
        raise BadUserInput(f"{normalized} has no TOTP enrolled.")
    return code
