"""The events auth publishes through the outbox to the Kafka topic ``auth.events``."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from subgraphs.common.database import AsyncSession
from subgraphs.common.outbox import record_event

__all__ = ["TOPIC", "AuthEvent", "emit"]

TOPIC = "auth.events"


class AuthEvent(StrEnum):
    USER_CREATED = "user.created"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_DISABLED = "user.disabled"
    LOGIN_SUCCEEDED = "auth.login_succeeded"
    LOGIN_FAILED = "auth.login_failed"
    ACCOUNT_LOCKED = "auth.account_locked"
    LOGOUT = "auth.logout"
    REFRESH_REUSED = "auth.refresh_token_reused"
    MFA_ENROLLED = "auth.mfa_enrolled"
    MFA_VERIFIED = "auth.mfa_verified"
    MFA_FAILED = "auth.mfa_failed"
    MFA_RESET = "auth.mfa_reset"
    MFA_RECOVERY_CODE_USED = "auth.mfa_recovery_code_used"
    MFA_RECOVERY_CODES_REGENERATED = "auth.mfa_recovery_codes_regenerated"
    OAUTH_LINKED = "auth.oauth_linked"


async def emit(
    session: AsyncSession,
    event: AuthEvent,
    *,
    user_id: uuid.UUID | None,
    actor: str,
    **payload: Any,
) -> None:
    """Record ``event`` about a user (or an unknown account) in ``session``'s transaction."""
    await record_event(
        session,
        topic=TOPIC,
        type=event.value,
        aggregate_type="user",
        aggregate_id=str(user_id) if user_id is not None else "unknown",
        actor=actor,
        payload=payload,
    )
