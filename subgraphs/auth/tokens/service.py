"""Refresh-token families (rotation, reuse detection, logout) and sign-in challenges (``mfaToken``)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select, update

from subgraphs.auth.tokens.models import ChallengePurpose, RefreshToken, SignInChallenge
from subgraphs.auth.users.models import utcnow
from subgraphs.auth.vault import SecretBox
from subgraphs.common.database import AsyncSession

__all__ = [
    "RefreshOutcome",
    "consume_refresh_token",
    "find_challenge",
    "find_refresh_token",
    "issue_refresh_token",
    "open_challenge",
    "revoke_family",
    "revoke_user_tokens",
]

_REFRESH = "refresh-token"
_CHALLENGE = "sign-in-challenge"


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


async def issue_refresh_token(
    session: AsyncSession,
    *,
    vault: SecretBox,
    user_id: uuid.UUID,
    ttl: int,
    family_id: uuid.UUID | None = None,
) -> str:
    """A new opaque refresh token (only its digest is stored); a new family unless one is given."""
    token = _new_secret()
    now = utcnow()
    session.add(
        RefreshToken(
            family_id=family_id or uuid.uuid4(),
            user_id=user_id,
            token_digest=vault.digest(token, purpose=_REFRESH),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    await session.flush()
    return token


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    """What presenting a refresh token led to: a row to rotate, or a reason to refuse."""

    token: RefreshToken | None
    reused: bool = False


async def consume_refresh_token(
    session: AsyncSession, *, vault: SecretBox, token: str
) -> RefreshOutcome:
    """Mark ``token`` used (rotated). Presenting a rotated or revoked token revokes its family."""
    if not token or len(token) > 200:
        return RefreshOutcome(None)
    row = (
        await session.exec(
            select(RefreshToken)
            .where(RefreshToken.token_digest == vault.digest(token, purpose=_REFRESH))
            .with_for_update()
        )
    ).first()
    if row is None:
        return RefreshOutcome(None)
    now = utcnow()
    if row.rotated_at is not None or row.revoked_at is not None:
        await revoke_family(session, family_id=row.family_id)
        return RefreshOutcome(row, reused=True)
    if row.expires_at <= now:
        return RefreshOutcome(None)
    row.rotated_at = now
    session.add(row)
    return RefreshOutcome(row)


async def find_refresh_token(
    session: AsyncSession, *, vault: SecretBox, token: str
) -> RefreshToken | None:
    if not token or len(token) > 200:
        return None
    digest = vault.digest(token, purpose=_REFRESH)
    return (
        await session.exec(select(RefreshToken).where(RefreshToken.token_digest == digest))
    ).first()


async def revoke_family(session: AsyncSession, *, family_id: uuid.UUID) -> None:
    await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


async def revoke_user_tokens(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    """Revoke every refresh token of ``user_id`` (role change, disable, MFA reset)."""
    await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


async def open_challenge(
    session: AsyncSession,
    *,
    vault: SecretBox,
    user_id: uuid.UUID,
    purpose: ChallengePurpose,
    ttl: int,
) -> str:
    """A short-lived ``mfaToken`` that only completes this user's sign-in."""
    token = _new_secret()
    now = utcnow()
    session.add(
        SignInChallenge(
            token_digest=vault.digest(token, purpose=_CHALLENGE),
            user_id=user_id,
            purpose=purpose,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    await session.flush()
    return token


async def find_challenge(
    session: AsyncSession, *, vault: SecretBox, token: str, purpose: ChallengePurpose
) -> SignInChallenge | None:
    """The open (unconsumed, unexpired) challenge of ``token``, locked for update."""
    if not token or len(token) > 200:
        return None
    row = (
        await session.exec(
            select(SignInChallenge)
            .where(SignInChallenge.token_digest == vault.digest(token, purpose=_CHALLENGE))
            .with_for_update()
        )
    ).first()
    if row is None or row.purpose != purpose or row.consumed_at is not None:
        return None
    if row.expires_at <= utcnow():
        return None
    return row
