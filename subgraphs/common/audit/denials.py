"""``access.denied`` events: a refused access to someone's data, kept on the ``audit.access`` topic.

HIPAA 164.312(b): the audit controls record refused attempts as well as granted access.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.context import Caller
from subgraphs.common.events.topics import AUDIT_ACCESS
from subgraphs.common.outbox import record_event

__all__ = [
    "DENIED_EVENT",
    "AccessDenial",
    "DenialReason",
    "commit_denials",
    "record_access_event",
    "write_denials",
]

DENIED_EVENT = "access.denied"


class DenialReason(StrEnum):
    """Why access was refused (stable codes stored in the audit trail)."""

    MISSING_SCOPE = "MISSING_SCOPE"  # the token lacks the field's scope
    ROLE_NOT_PERMITTED = "ROLE_NOT_PERMITTED"  # the role never reaches this data
    NO_PROFILE = "NO_PROFILE"  # the account has no active patient/doctor/staff profile
    NOT_OWN_RECORD = "NOT_OWN_RECORD"  # a patient asked for another patient
    NO_CARE_RELATIONSHIP = "NO_CARE_RELATIONSHIP"  # not in the care team, no break-glass grant
    BREAK_GLASS_ONLY = "BREAK_GLASS_ONLY"  # the role needs a break-glass grant, and has none
    BREAK_GLASS_REFUSED = "BREAK_GLASS_REFUSED"  # emergency access was asked for and refused


@dataclass(frozen=True, slots=True)
class AccessDenial:
    """One refused access: whose data (if known), what was attempted, and why not."""

    caller: Caller
    reason: DenialReason
    message: str
    action: str = "read"  # read, write, break_glass
    purpose: str | None = None
    patient_ids: tuple[uuid.UUID, ...] = ()
    target: dict[str, str] = field(default_factory=dict)  # e.g. {"field": ..., "id": ...}


async def record_access_event(
    session: AsyncSession,
    caller: Caller,
    *,
    type: str,  # noqa: A002 (the envelope's field name)
    request_id: str | None,
    payload: Mapping[str, Any],
) -> None:
    """Add one ``audit.access`` event (``access.read``, ``access.denied``, …) by ``caller``.

    Every access event carries who (actor, role, token id) and the request id beside its own
    ``payload``, keyed by the actor so that one person's trail stays in order.
    """
    await record_event(
        session,
        topic=AUDIT_ACCESS.name,
        type=type,
        aggregate_type="access_log",
        aggregate_id=caller.actor,
        actor=caller.actor,
        payload={
            "role": caller.role.value if caller.role else None,
            "tokenId": caller.token_id,
            "requestId": request_id,
            **payload,
        },
    )


async def write_denials(
    session: AsyncSession, denials: Sequence[AccessDenial], *, request_id: str | None
) -> None:
    """Add one ``access.denied`` outbox event per denial to ``session``'s transaction."""
    for denial in denials:
        await record_access_event(
            session,
            denial.caller,
            type=DENIED_EVENT,
            request_id=request_id,
            payload={
                "action": denial.action,
                "purpose": denial.purpose,
                "reason": denial.reason.value,
                "message": denial.message,
                "patientIds": [str(patient_id) for patient_id in denial.patient_ids],
                "target": dict(denial.target),
            },
        )


async def commit_denials(
    engine: AsyncEngine, denials: Sequence[AccessDenial], *, request_id: str | None
) -> None:
    """Write ``denials`` in a short transaction of their own on ``engine``."""
    if not denials:
        return
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        await write_denials(session, denials, request_id=request_id)
