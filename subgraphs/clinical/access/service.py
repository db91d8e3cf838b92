"""Managing access: assigning patients to doctors, and declaring break-glass emergency access."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.care import care_team, end_care_relationship, link_doctor_to_patient
from subgraphs.clinical.access.gate import authorize_and_record
from subgraphs.clinical.access.models import BreakGlassGrant, CareRelationship, CareSource
from subgraphs.clinical.access.policy import AccessPurpose
from subgraphs.clinical.access.principal import resolve_principal
from subgraphs.clinical.people.service import DOCTORS, PATIENTS, active_person
from subgraphs.clinical.validation import FieldSpec, clean_fields, plain_text
from subgraphs.common.audit import (
    AccessDenial,
    DenialReason,
    current_request_id,
    deny,
    record_access_event,
)
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput, Forbidden, NotFound
from subgraphs.common.events.topics import CLINICAL_EVENTS
from subgraphs.common.outbox import record_event

__all__ = [
    "BREAK_GLASS_DEFAULT_MINUTES",
    "BREAK_GLASS_MAX_MINUTES",
    "CARE_EVENTS_TOPIC",
    "active_grants",
    "assign_patient",
    "declare_break_glass",
    "patient_care_team",
    "unassign_patient",
]

CARE_EVENTS_TOPIC = CLINICAL_EVENTS.name
BREAK_GLASS_DEFAULT_MINUTES = 30
BREAK_GLASS_MAX_MINUTES = 60
BREAK_GLASS_MIN_REASON = 10


async def _care_event(
    session: AsyncSession,
    event: str,
    caller: Caller,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
) -> None:
    await record_event(
        session,
        topic=CARE_EVENTS_TOPIC,
        type=event,
        aggregate_type="patient",
        aggregate_id=str(patient_id),
        actor=caller.actor,
        payload={"patientId": str(patient_id), "doctorId": str(doctor_id)},
    )


async def _break_glass_role(session: AsyncSession, caller: Caller) -> Role:
    """ADMIN, or DOCTOR with an active doctor profile; FORBIDDEN otherwise."""
    role = caller.require_role(Role.ADMIN, Role.DOCTOR)
    if role is Role.DOCTOR and (await resolve_principal(session, caller)).doctor_id is None:
        raise Forbidden("Your account is not linked to an active doctor profile.")
    return role


async def declare_break_glass(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    reason: str,
    minutes: int = BREAK_GLASS_DEFAULT_MINUTES,
    now: datetime | None = None,
) -> BreakGlassGrant:
    """Open time-limited emergency access to a patient's clinical data (ADMIN or DOCTOR).

    The reason is mandatory; the grant is recorded as an ``access.break_glass`` audit event, and
    every read made under it is recorded with the grant's id. A refusal (role, no doctor
    profile) is recorded as ``access.denied`` with ``BREAK_GLASS_REFUSED``.
    """
    try:
        role = await _break_glass_role(session, caller)
    except Forbidden as refused:
        await deny(
            session,
            AccessDenial(
                caller=caller,
                reason=DenialReason.BREAK_GLASS_REFUSED,
                message=refused.message,
                action="break_glass",
                patient_ids=(patient_id,),
            ),
        )
        raise
    stated = clean_fields(
        {"reason": FieldSpec(plain_text(500, multiline=True), required=True)},
        {"reason": reason},
        creating=True,
    )["reason"]
    if len(stated) < BREAK_GLASS_MIN_REASON:
        raise BadUserInput(
            f"State the emergency in at least {BREAK_GLASS_MIN_REASON} characters.",
            extensions={"field": "reason"},
        )
    if not 1 <= minutes <= BREAK_GLASS_MAX_MINUTES:
        raise BadUserInput(
            f"Break-glass access lasts between 1 and {BREAK_GLASS_MAX_MINUTES} minutes.",
            extensions={"field": "minutes"},
        )
    await active_person(session, PATIENTS, patient_id)
    user_id = caller.require_authenticated()
    granted_at = now or datetime.now(UTC)
    grant = BreakGlassGrant(
        user_id=user_id,
        role=role.value,
        patient_id=patient_id,
        reason=stated,
        granted_at=granted_at,
        expires_at=granted_at + timedelta(minutes=minutes),
    )
    session.add(grant)
    await session.flush()
    await record_access_event(  # role, token id and request id come with the caller
        session,
        caller,
        type="access.break_glass",
        request_id=current_request_id(),
        payload={
            "grantId": str(grant.id),
            "patientId": str(patient_id),
            "reason": stated,
            "grantedAt": grant.granted_at.isoformat(),
            "expiresAt": grant.expires_at.isoformat(),
        },
    )
    return grant


async def assign_patient(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
    note: str | None = None,
    now: datetime | None = None,
) -> None:
    """Put a patient in a doctor's care (ADMIN only); recorded as ``care.assigned``."""
    caller.require_role(Role.ADMIN)
    cleaned = clean_fields({"note": FieldSpec(plain_text(500))}, {"note": note}, creating=False)
    await active_person(session, PATIENTS, patient_id)
    await active_person(session, DOCTORS, doctor_id)
    await link_doctor_to_patient(
        session,
        doctor_id=doctor_id,
        patient_id=patient_id,
        source=CareSource.ASSIGNMENT,
        actor=caller.actor,
        note=cleaned.get("note"),
        now=now,
    )
    await _care_event(session, "care.assigned", caller, patient_id, doctor_id)


async def unassign_patient(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
    now: datetime | None = None,
) -> None:
    """End an assignment (ADMIN only). Appointment and encounter links are history and stay."""
    caller.require_role(Role.ADMIN)
    ended = await end_care_relationship(
        session,
        doctor_id=doctor_id,
        patient_id=patient_id,
        source=CareSource.ASSIGNMENT,
        actor=caller.actor,
        now=now,
    )
    if not ended:
        raise NotFound("This patient is not assigned to this doctor.")
    await _care_event(session, "care.unassigned", caller, patient_id, doctor_id)


async def patient_care_team(
    session: AsyncSession, *, caller: Caller, patient_id: uuid.UUID
) -> list[CareRelationship]:
    """Who is in a patient's care team and why (an audited read of the patient's data)."""
    await authorize_and_record(
        session, caller, patient_id, purpose=AccessPurpose.DEMOGRAPHICS, record_type="care_team"
    )
    return await care_team(session, patient_id=patient_id)


async def active_grants(
    session: AsyncSession, *, caller: Caller, now: datetime | None = None
) -> list[BreakGlassGrant]:
    """The caller's own unexpired break-glass grants."""
    user_id = caller.require_authenticated()
    rows = await session.exec(
        select(BreakGlassGrant)
        .where(
            BreakGlassGrant.user_id == user_id,
            col(BreakGlassGrant.expires_at) > (now or datetime.now(UTC)),
        )
        .order_by(col(BreakGlassGrant.expires_at))
    )
    return list(rows.all())
