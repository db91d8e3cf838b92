"""The sign-in flows shared by GraphQL, REST and OAuth; every attempt is counted before it is checked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from subgraphs.auth.events import AuthEvent, emit
from subgraphs.auth.mfa.service import (
    TotpEnrollment,
    begin_enrollment,
    confirm_enrollment,
    verify_second_factor,
)
from subgraphs.auth.passwords.policy import MAX_LENGTH
from subgraphs.auth.runtime import AuthRuntime
from subgraphs.auth.signin.devices import device_of, issue_device_token
from subgraphs.auth.tokens.access import issue_access_token
from subgraphs.auth.tokens.models import ChallengePurpose, SignInChallenge
from subgraphs.auth.tokens.service import (
    consume_refresh_token,
    find_challenge,
    find_refresh_token,
    issue_refresh_token,
    open_challenge,
    revoke_family,
)
from subgraphs.auth.users.models import User, UserStatus, utcnow
from subgraphs.auth.users.service import MFA_REQUIRED_ROLES, find_by_email
from subgraphs.common.database import AsyncSession
from subgraphs.common.errors import Unauthenticated

__all__ = [
    "SignIn",
    "after_first_factor",
    "complete_sign_in",
    "confirm_totp_with_challenge",
    "enroll_totp_with_challenge",
    "login",
    "logout",
    "refresh",
    "verify_mfa",
]

INVALID_CREDENTIALS = "Invalid email or password."
INVALID_MFA = "The code is not valid, or the MFA challenge has expired."
INVALID_REFRESH = "Invalid refresh token."


@dataclass(slots=True)
class SignIn:
    """The outcome of a sign-in step: full tokens, or a challenge asking for MFA (or enrolment)."""

    user: User
    access_token: str | None = None
    refresh_token: str | None = None
    expires_in: int | None = None
    mfa_required: bool = False
    mfa_enrollment_required: bool = False
    mfa_token: str | None = None
    device_token: str | None = None
    recovery_codes: list[str] = field(default_factory=list)

    @property
    def signed_in(self) -> bool:
        return self.access_token is not None

    def token_fields(self) -> dict[str, Any]:
        """The fields every sign-in answer (GraphQL or REST) carries, by their Python names."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
            "token_type": "Bearer" if self.signed_in else None,
            "mfa_required": self.mfa_required,
            "mfa_enrollment_required": self.mfa_enrollment_required,
            "mfa_token": self.mfa_token,
            "device_token": self.device_token,
        }


def _account_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


async def complete_sign_in(
    session: AsyncSession,
    runtime: AuthRuntime,
    *,
    user: User,
    method: str,
    ip: str,
) -> SignIn:
    """Issue an access token, a new refresh-token family and a device token; record the login."""
    access = await issue_access_token(keys=runtime.keys, settings=runtime.settings, user=user)
    refresh_token = await issue_refresh_token(
        session, vault=runtime.vault, user_id=user.id, ttl=runtime.settings.refresh_token_ttl
    )
    await emit(
        session,
        AuthEvent.LOGIN_SUCCEEDED,
        user_id=user.id,
        actor=str(user.id),
        method=method,
        ip=ip,
    )
    return SignIn(
        user=user,
        access_token=access.token,
        refresh_token=refresh_token,
        expires_in=access.expires_in,
        device_token=issue_device_token(runtime.vault, account=user.email_normalized),
    )


async def after_first_factor(
    session: AsyncSession, runtime: AuthRuntime, *, user: User, method: str, ip: str
) -> SignIn:
    """MFA challenge, forced enrolment, or tokens, depending on the user's role and MFA state."""
    ttl = runtime.settings.mfa_challenge_ttl
    if user.mfa_enabled:
        token = await open_challenge(
            session, vault=runtime.vault, user_id=user.id, purpose=ChallengePurpose.MFA, ttl=ttl
        )
        return SignIn(user=user, mfa_required=True, mfa_token=token)
    if user.role in MFA_REQUIRED_ROLES:
        token = await open_challenge(
            session, vault=runtime.vault, user_id=user.id, purpose=ChallengePurpose.ENROLL, ttl=ttl
        )
        return SignIn(user=user, mfa_required=True, mfa_enrollment_required=True, mfa_token=token)
    return await complete_sign_in(session, runtime, user=user, method=method, ip=ip)


async def login(
    runtime: AuthRuntime, *, email: str, password: str, ip: str, device_token: str | None = None
) -> SignIn:
    """Check an email and password. Unknown accounts cost the same argon2 work and get the same
    answer as wrong passwords; every attempt counts against the address, then against the
    account, or, with a ``device_token`` from an earlier sign-in of this account, against that
    device only (so that a stranger's failures never lock the owner out of a known device)."""
    account = email.strip().lower()[:320]
    device = device_of(
        runtime.vault,
        account=account,
        token=device_token,
        max_age=runtime.settings.device_token_ttl_days * 86400,
    )
    await runtime.guard.attempt("login", ip=ip, account=account, device=device)
    async with runtime.database.session() as session:
        user = await find_by_email(session, account)
    too_long = len(password) > MAX_LENGTH * 4
    matched = await runtime.hashing.verify(
        None if user is None or too_long else user.password_hash, password[: MAX_LENGTH * 4]
    )
    if not matched or user is None or user.status == UserStatus.DISABLED:
        locked = await runtime.guard.failed("login", account=account, device=device)
        async with runtime.database.transaction() as session:
            await emit(
                session,
                AuthEvent.LOGIN_FAILED,
                user_id=user.id if user else None,
                actor=str(user.id) if user else "anonymous",
                reason="invalid_credentials",
                account=_account_digest(account),
                ip=ip,
            )
            if locked and user is not None:
                # Only sign-ins from unknown devices (or this one device) wait: the account
                # itself stays ACTIVE, so its owner's known devices and sessions go on working.
                await emit(
                    session,
                    AuthEvent.ACCOUNT_LOCKED,
                    user_id=user.id,
                    actor="system",
                    scope="device" if device else "unknown_devices",
                    seconds=runtime.settings.lockout_seconds,
                )
        raise Unauthenticated(INVALID_CREDENTIALS)
    await runtime.guard.succeeded("login", account=account, device=device)
    async with runtime.database.transaction() as session:
        row = await session.get(User, user.id, with_for_update=True)
        if row is None or row.status == UserStatus.DISABLED:
            raise Unauthenticated(INVALID_CREDENTIALS)
        if row.status == UserStatus.LOCKED:
            row.status, row.locked_until = UserStatus.ACTIVE, None
        if row.password_hash and runtime.hashing.needs_rehash(row.password_hash):
            row.password_hash = await runtime.hashing.hash(password)
        session.add(row)
        return await after_first_factor(session, runtime, user=row, method="password", ip=ip)


async def verify_mfa(runtime: AuthRuntime, *, mfa_token: str, code: str, ip: str) -> SignIn:
    """Complete a login with a TOTP or recovery code. Failures are counted per user and address;
    a challenge dies after ``mfa_failures_before_lockout`` wrong codes."""
    async with runtime.database.session() as session:
        challenge = await find_challenge(
            session, vault=runtime.vault, token=mfa_token, purpose=ChallengePurpose.MFA
        )
    await runtime.guard.attempt("mfa", ip=ip, account=str(challenge.user_id) if challenge else None)
    if challenge is None:
        raise Unauthenticated(INVALID_MFA)
    account = str(challenge.user_id)
    async with runtime.database.transaction() as session:
        challenge = await find_challenge(
            session, vault=runtime.vault, token=mfa_token, purpose=ChallengePurpose.MFA
        )
        user = await session.get(User, challenge.user_id) if challenge else None
        if challenge is None or user is None or user.status != UserStatus.ACTIVE:
            raise Unauthenticated(INVALID_MFA)
        method = await verify_second_factor(
            session, vault=runtime.vault, user_id=user.id, code=code
        )
        if method is not None:
            challenge.consumed_at = utcnow()
            session.add(challenge)
            await emit(
                session, AuthEvent.MFA_VERIFIED, user_id=user.id, actor=str(user.id), method=method
            )
            if method == "recovery_code":
                await emit(
                    session, AuthEvent.MFA_RECOVERY_CODE_USED, user_id=user.id, actor=str(user.id)
                )
            result = await complete_sign_in(session, runtime, user=user, method="mfa", ip=ip)
        else:
            challenge.failures += 1
            if challenge.failures >= runtime.settings.mfa_failures_before_lockout:
                challenge.consumed_at = utcnow()
            session.add(challenge)
            await emit(session, AuthEvent.MFA_FAILED, user_id=user.id, actor=str(user.id), ip=ip)
    if method is None:
        await runtime.guard.failed("mfa", account=account)
        raise Unauthenticated(INVALID_MFA)
    await runtime.guard.succeeded("mfa", account=account)
    return result


async def _enrolment_challenge(
    session: AsyncSession, runtime: AuthRuntime, mfa_token: str
) -> tuple[User, SignInChallenge]:
    challenge = await find_challenge(
        session, vault=runtime.vault, token=mfa_token, purpose=ChallengePurpose.ENROLL
    )
    user = await session.get(User, challenge.user_id, with_for_update=True) if challenge else None
    if challenge is None or user is None or user.status != UserStatus.ACTIVE:
        raise Unauthenticated(INVALID_MFA)
    return user, challenge


async def enroll_totp_with_challenge(
    runtime: AuthRuntime, *, mfa_token: str, ip: str
) -> TotpEnrollment:
    """Forced enrolment: a user whose role requires MFA starts TOTP enrolment with the mfaToken."""
    await runtime.guard.attempt("mfa", ip=ip)
    async with runtime.database.transaction() as session:
        user, _ = await _enrolment_challenge(session, runtime, mfa_token)
        return await begin_enrollment(session, vault=runtime.vault, user=user)


async def confirm_totp_with_challenge(
    runtime: AuthRuntime, *, mfa_token: str, code: str, ip: str
) -> SignIn:
    """Forced enrolment, confirmed: MFA is on, recovery codes are shown once, tokens are issued."""
    await runtime.guard.attempt("mfa", ip=ip)
    async with runtime.database.transaction() as session:
        user, challenge = await _enrolment_challenge(session, runtime, mfa_token)
        codes = await confirm_enrollment(
            session, vault=runtime.vault, user=user, code=code, actor=str(user.id)
        )
        challenge.consumed_at = utcnow()
        session.add(challenge)
        result = await complete_sign_in(session, runtime, user=user, method="mfa_enrolment", ip=ip)
    result.recovery_codes = codes
    return result


async def refresh(runtime: AuthRuntime, *, refresh_token: str, ip: str) -> SignIn:
    """Rotate a refresh token: the old one is spent, a new one of the same family is returned.
    Presenting a spent token again revokes the whole family (RFC 6819 5.2.2.3)."""
    await runtime.guard.attempt("refresh", ip=ip)
    result: SignIn | None = None
    async with runtime.database.transaction() as session:
        outcome = await consume_refresh_token(session, vault=runtime.vault, token=refresh_token)
        row = outcome.token
        if row is not None and outcome.reused:
            await emit(
                session, AuthEvent.REFRESH_REUSED, user_id=row.user_id, actor="system", ip=ip
            )
        elif row is not None:
            user = await session.get(User, row.user_id)
            if user is None or user.status == UserStatus.DISABLED:
                await revoke_family(session, family_id=row.family_id)
            else:
                access = await issue_access_token(
                    keys=runtime.keys, settings=runtime.settings, user=user
                )
                new_token = await issue_refresh_token(
                    session,
                    vault=runtime.vault,
                    user_id=user.id,
                    ttl=runtime.settings.refresh_token_ttl,
                    family_id=row.family_id,
                )
                result = SignIn(
                    user=user,
                    access_token=access.token,
                    refresh_token=new_token,
                    expires_in=access.expires_in,
                )
    if result is None:
        raise Unauthenticated(INVALID_REFRESH)
    return result


async def logout(runtime: AuthRuntime, *, refresh_token: str, actor: str) -> None:
    """Revoke the refresh token's whole family (this device's session)."""
    async with runtime.database.transaction() as session:
        row = await find_refresh_token(session, vault=runtime.vault, token=refresh_token)
        if row is None:
            raise Unauthenticated(INVALID_REFRESH)
        await revoke_family(session, family_id=row.family_id)
        await emit(session, AuthEvent.LOGOUT, user_id=row.user_id, actor=actor)
