"""TOTP (RFC 6238) enrolment, verification with a +/-1 step window and no reuse, recovery codes."""

from __future__ import annotations

import hmac
import secrets
import time
import uuid
from dataclasses import dataclass

import pyotp
import segno
from sqlmodel import col, delete, select

from subgraphs.auth.events import AuthEvent, emit
from subgraphs.auth.mfa.models import RecoveryCode, TotpCredential
from subgraphs.auth.mfa.qrcode import QrOutline, qr_outline
from subgraphs.auth.users.models import User, utcnow
from subgraphs.auth.vault import SecretBox
from subgraphs.common.database import AsyncSession
from subgraphs.common.errors import BadUserInput, Conflict

__all__ = [
    "RECOVERY_CODE_COUNT",
    "TotpEnrollment",
    "begin_enrollment",
    "confirm_enrollment",
    "current_code",
    "provision_totp",
    "regenerate_recovery_codes",
    "reset_mfa",
    "verify_second_factor",
]

ISSUER_NAME = "healthgraph"
RECOVERY_CODE_COUNT = 10
STEP_SECONDS = 30
_SEED = "totp-seed"
_RECOVERY = "recovery-code"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


@dataclass(frozen=True, slots=True)
class TotpEnrollment:
    secret: str
    otpauth_uri: str
    qr_code_data_uri: str
    qr_code: QrOutline


def _current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _matching_step(secret: str, code: str, *, after: int | None) -> int | None:
    """The time step (now, or one either side) whose code is ``code`` and which is newer than ``after``."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = _current_step()
    found = None
    for step in (current - 1, current, current + 1):
        # Compare every candidate so the time taken does not depend on which one matched.
        if hmac.compare_digest(totp.generate_otp(step), code) and (after is None or step > after):
            found = step
    return found


def _normalize_recovery(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


async def begin_enrollment(
    session: AsyncSession, *, vault: SecretBox, user: User
) -> TotpEnrollment:
    """A new (unconfirmed) TOTP secret for ``user``; replaces an unconfirmed one."""
    existing = await session.get(TotpCredential, user.id, with_for_update=True)
    if existing is not None and existing.confirmed_at is not None:
        raise Conflict("TOTP is already enrolled; an admin must reset it before enrolling again.")
    secret = pyotp.random_base32(length=32)
    encrypted = vault.encrypt(secret.encode(), purpose=_SEED)
    if existing is None:
        session.add(TotpCredential(user_id=user.id, secret_encrypted=encrypted))
    else:
        existing.secret_encrypted = encrypted
        existing.created_at = utcnow()
        existing.last_step = None
        session.add(existing)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER_NAME)
    qr = segno.make(uri, error="m").png_data_uri(scale=4)
    return TotpEnrollment(
        secret=secret, otpauth_uri=uri, qr_code_data_uri=qr, qr_code=qr_outline(uri)
    )


async def _new_recovery_codes(
    session: AsyncSession, *, vault: SecretBox, user_id: uuid.UUID
) -> list[str]:
    await session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        digest = vault.digest(_normalize_recovery(code), purpose=_RECOVERY)
        session.add(RecoveryCode(user_id=user_id, code_digest=digest))
    await session.flush()
    return codes


async def confirm_enrollment(
    session: AsyncSession, *, vault: SecretBox, user: User, code: str, actor: str
) -> list[str]:
    """Confirm the pending secret with a current code; MFA is on and 10 recovery codes are returned."""
    credential = await session.get(TotpCredential, user.id, with_for_update=True)
    if credential is None or credential.confirmed_at is not None:
        raise Conflict("There is no pending TOTP enrolment; call enrollTotp first.")
    secret = vault.decrypt(credential.secret_encrypted, purpose=_SEED).decode()
    step = _matching_step(secret, code, after=None)
    if step is None:
        raise BadUserInput("That code is not valid; check the time on your device.")
    credential.confirmed_at = utcnow()
    credential.last_step = step
    session.add(credential)
    user.mfa_enabled = True
    user.updated_at = utcnow()
    session.add(user)
    codes = await _new_recovery_codes(session, vault=vault, user_id=user.id)
    await emit(session, AuthEvent.MFA_ENROLLED, user_id=user.id, actor=actor, method="totp")
    return codes


async def verify_second_factor(
    session: AsyncSession, *, vault: SecretBox, user_id: uuid.UUID, code: str
) -> str | None:
    """``"totp"`` or ``"recovery_code"`` when ``code`` is accepted (and now spent); None otherwise."""
    credential = await session.get(TotpCredential, user_id, with_for_update=True)
    if credential is None or credential.confirmed_at is None:
        return None
    secret = vault.decrypt(credential.secret_encrypted, purpose=_SEED).decode()
    step = _matching_step(secret, code, after=credential.last_step)
    if step is not None:
        credential.last_step = step
        session.add(credential)
        return "totp"
    normalized = _normalize_recovery(code)
    if len(normalized) != 10:
        return None
    digest = vault.digest(normalized, purpose=_RECOVERY)
    recovery = (
        await session.exec(
            select(RecoveryCode)
            .where(
                RecoveryCode.user_id == user_id,
                RecoveryCode.code_digest == digest,
                col(RecoveryCode.used_at).is_(None),
            )
            .with_for_update()
        )
    ).first()
    if recovery is None:
        return None
    recovery.used_at = utcnow()
    session.add(recovery)
    return "recovery_code"


async def regenerate_recovery_codes(
    session: AsyncSession, *, vault: SecretBox, user: User, actor: str
) -> list[str]:
    if not user.mfa_enabled:
        raise Conflict("Enrol TOTP before asking for recovery codes.")
    codes = await _new_recovery_codes(session, vault=vault, user_id=user.id)
    await emit(session, AuthEvent.MFA_RECOVERY_CODES_REGENERATED, user_id=user.id, actor=actor)
    return codes


async def reset_mfa(session: AsyncSession, *, user: User, actor: str) -> None:
    """Remove the user's TOTP and recovery codes (an admin action; the user must enrol again)."""
    await session.exec(delete(TotpCredential).where(col(TotpCredential.user_id) == user.id))
    await session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    user.mfa_enabled = False
    user.updated_at = utcnow()
    session.add(user)
    await emit(session, AuthEvent.MFA_RESET, user_id=user.id, actor=actor)


async def provision_totp(session: AsyncSession, *, vault: SecretBox, user: User, actor: str) -> str:
    """Enrol and confirm TOTP without a code (demo seed only); returns the secret."""
    secret = pyotp.random_base32(length=32)
    session.add(
        TotpCredential(
            user_id=user.id,
            secret_encrypted=vault.encrypt(secret.encode(), purpose=_SEED),
            confirmed_at=utcnow(),
        )
    )
    user.mfa_enabled = True
    session.add(user)
    await _new_recovery_codes(session, vault=vault, user_id=user.id)
    await emit(session, AuthEvent.MFA_ENROLLED, user_id=user.id, actor=actor, method="totp")
    return secret


async def current_code(
    session: AsyncSession, *, vault: SecretBox, user_id: uuid.UUID, now: float | None = None
) -> tuple[str, int] | None:
    """A TOTP code :func:`verify_second_factor` accepts now (the current step's, or the next one's
    when the current was spent) and the seconds it stays valid; None without confirmed TOTP."""
    credential = await session.get(TotpCredential, user_id)
    if credential is None or credential.confirmed_at is None:
        return None
    secret = vault.decrypt(credential.secret_encrypted, purpose=_SEED).decode()
    clock = time.time() if now is None else now
    step = _current_step(clock)
    if credential.last_step is not None and credential.last_step >= step:
        step = credential.last_step + 1
    # A code is accepted until its step is more than one step old.
    return pyotp.TOTP(secret).generate_otp(step), int((step + 2) * STEP_SECONDS - clock)
