"""Thin GraphQL resolvers: parse arguments, open the transaction, call the service, shape the answer."""

from __future__ import annotations

from typing import Any

import strawberry

from subgraphs.auth.authz import require_scope
from subgraphs.auth.context import AuthContext
from subgraphs.auth.mfa import service as mfa
from subgraphs.auth.mfa.types import TotpEnrollmentType
from subgraphs.auth.oauth import service as oauth
from subgraphs.auth.oauth.types import SignInProviderType
from subgraphs.auth.signin import service as signin
from subgraphs.auth.tokens.service import revoke_user_tokens
from subgraphs.auth.tokens.types import AuthPayload
from subgraphs.auth.users import service as users
from subgraphs.auth.users.models import User, UserStatus
from subgraphs.auth.users.types import CreateUserInput, UserConnection, UserType, parse_id
from subgraphs.common.context import Role
from subgraphs.common.database import AsyncSession
from subgraphs.common.errors import NotFound, Unauthenticated
from subgraphs.common.tokens import Scope

__all__ = [
    "complete_oauth_sign_in",
    "confirm_totp",
    "create_user",
    "disable_user",
    "enroll_totp",
    "list_users",
    "login",
    "logout",
    "me",
    "refresh_token",
    "regenerate_recovery_codes",
    "reset_mfa",
    "sign_in_providers",
    "update_user_role",
    "verify_mfa",
]

Info = strawberry.Info[AuthContext, Any]


async def _signed_in_user(session: AsyncSession, info: Info, *, lock: bool = False) -> User:
    user_id = info.context.caller.require_authenticated()
    user = await session.get(User, user_id, with_for_update=lock)
    if user is None or user.status != UserStatus.ACTIVE:
        raise Unauthenticated("Invalid access token.")
    return user


async def me(info: Info) -> UserType:
    async with info.context.database.session() as session:
        return UserType.from_row(await _signed_in_user(session, info))


async def list_users(
    info: Info,
    first: int = 20,
    after: str | None = None,
    role: Role | None = None,
    status: UserStatus | None = None,
    search: str | None = None,
) -> UserConnection:
    async with info.context.database.session() as session:
        page = await users.list_users(
            session,
            caller=info.context.caller,
            first=first,
            after=after,
            role=role,
            status=status,
            search=search,
        )
    return UserConnection(
        nodes=[UserType.from_row(row) for row in page.users],
        total_count=page.total,
        has_next_page=page.has_next,
        end_cursor=page.end_cursor,
    )


def sign_in_providers(info: Info) -> list[SignInProviderType]:
    runtime = info.context.runtime
    base = runtime.settings.public_url.rstrip("/")
    return [
        SignInProviderType(
            name=name, label=runtime.oauth.label(name), start_url=f"{base}/oauth/{name}/authorize"
        )
        for name in runtime.oauth.names
    ]


async def complete_oauth_sign_in(info: Info, code: str) -> AuthPayload:
    context = info.context
    result = await oauth.redeem_handoff(context.runtime, code=code, ip=context.client_ip)
    return AuthPayload.from_sign_in(result)


async def login(
    info: Info, email: str, password: str, device_token: str | None = None
) -> AuthPayload:
    context = info.context
    result = await signin.login(
        context.runtime,
        email=email,
        password=password,
        ip=context.client_ip,
        device_token=device_token,
    )
    return AuthPayload.from_sign_in(result)


async def verify_mfa(info: Info, mfa_token: str, code: str) -> AuthPayload:
    context = info.context
    result = await signin.verify_mfa(
        context.runtime, mfa_token=mfa_token, code=code, ip=context.client_ip
    )
    return AuthPayload.from_sign_in(result)


async def refresh_token(info: Info, refresh_token: str) -> AuthPayload:
    context = info.context
    result = await signin.refresh(
        context.runtime, refresh_token=refresh_token, ip=context.client_ip
    )
    return AuthPayload.from_sign_in(result)


async def logout(info: Info, refresh_token: str) -> bool:
    context = info.context
    await signin.logout(context.runtime, refresh_token=refresh_token, actor=context.caller.actor)
    return True


async def enroll_totp(info: Info, mfa_token: str | None = None) -> TotpEnrollmentType:
    context = info.context
    if mfa_token is not None:
        enrollment = await signin.enroll_totp_with_challenge(
            context.runtime, mfa_token=mfa_token, ip=context.client_ip
        )
        return TotpEnrollmentType.from_enrollment(enrollment)
    async with context.database.transaction() as session:
        user = await _signed_in_user(session, info, lock=True)
        enrollment = await mfa.begin_enrollment(session, vault=context.runtime.vault, user=user)
    return TotpEnrollmentType.from_enrollment(enrollment)


async def confirm_totp(info: Info, code: str, mfa_token: str | None = None) -> AuthPayload:
    context = info.context
    if mfa_token is not None:
        result = await signin.confirm_totp_with_challenge(
            context.runtime, mfa_token=mfa_token, code=code, ip=context.client_ip
        )
        return AuthPayload.from_sign_in(result)
    user_id = context.caller.require_authenticated()
    await context.runtime.guard.attempt("mfa", ip=context.client_ip, account=str(user_id))
    async with context.database.transaction() as session:
        user = await _signed_in_user(session, info, lock=True)
        codes = await mfa.confirm_enrollment(
            session, vault=context.runtime.vault, user=user, code=code, actor=context.caller.actor
        )
    return AuthPayload.from_sign_in(signin.SignIn(user=user, recovery_codes=codes))


async def regenerate_recovery_codes(info: Info) -> list[str]:
    context = info.context
    require_scope(context.caller, Scope.PROFILE_WRITE)
    async with context.database.transaction() as session:
        user = await _signed_in_user(session, info, lock=True)
        return await mfa.regenerate_recovery_codes(
            session, vault=context.runtime.vault, user=user, actor=context.caller.actor
        )


async def create_user(info: Info, input: CreateUserInput) -> UserType:  # noqa: A002 (GraphQL's name)
    context = info.context
    async with context.database.transaction() as session:
        row = await users.create_user(
            session,
            caller=context.caller,
            hashing=context.runtime.hashing,
            email=input.email,
            display_name=input.display_name,
            role=input.role,
            password=input.password,
        )
    return UserType.from_row(row)


async def update_user_role(info: Info, user_id: strawberry.ID, role: Role) -> UserType:
    async with info.context.database.transaction() as session:
        row = await users.change_role(
            session, caller=info.context.caller, user_id=parse_id(user_id), role=role
        )
    await info.context.runtime.revoke_access_tokens(row.id)  # the old scopes die now
    return UserType.from_row(row)


async def disable_user(info: Info, user_id: strawberry.ID) -> UserType:
    async with info.context.database.transaction() as session:
        row = await users.disable_user(
            session, caller=info.context.caller, user_id=parse_id(user_id)
        )
    await info.context.runtime.revoke_access_tokens(row.id)
    return UserType.from_row(row)


async def reset_mfa(info: Info, user_id: strawberry.ID) -> UserType:
    context = info.context
    require_scope(context.caller, Scope.USERS_WRITE)
    async with context.database.transaction() as session:
        row = await session.get(User, parse_id(user_id), with_for_update=True)
        if row is None:
            raise NotFound("No such user.")
        await mfa.reset_mfa(session, user=row, actor=context.caller.actor)
        await revoke_user_tokens(session, user_id=row.id)
    return UserType.from_row(row)
