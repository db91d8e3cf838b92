"""Care relationships: which doctors are in a patient's care team, and why."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.models import CareRelationship, CareSource

__all__ = ["care_team", "end_care_relationship", "link_doctor_to_patient"]


async def link_doctor_to_patient(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    source: CareSource,
    actor: str,
    note: str | None = None,
    now: datetime | None = None,
) -> None:
    """Put ``doctor_id`` in ``patient_id``'s care team (idempotent; reopens an ended link).

    Booking an appointment calls this with ``APPOINTMENT``; recording an encounter should call it
    with ``ENCOUNTER``; an administrator's assignment uses ``ASSIGNMENT``.
    """
    when = now or datetime.now(UTC)
    statement = insert(CareRelationship).values(
        doctor_id=doctor_id,
        patient_id=patient_id,
        source=source.value,
        note=note,
        created_at=when,
        created_by=actor,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["doctor_id", "patient_id", "source"],
        set_={"ended_at": None, "ended_by": None, "note": statement.excluded.note},
        where=col(CareRelationship.ended_at).is_not(None),
    )
    await (await session.connection()).execute(statement)


async def end_care_relationship(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    source: CareSource,
    actor: str,
    now: datetime | None = None,
) -> bool:
    """End one open link; True when there was one to end."""
    row = (
        await session.exec(
            select(CareRelationship)
            .where(
                CareRelationship.doctor_id == doctor_id,
                CareRelationship.patient_id == patient_id,
                CareRelationship.source == source.value,
                col(CareRelationship.ended_at).is_(None),
            )
            .with_for_update()
        )
    ).first()
    if row is None:
        return False
    row.ended_at = now or datetime.now(UTC)
    row.ended_by = actor
    session.add(row)
    await session.flush()
    return True


async def care_team(session: AsyncSession, *, patient_id: uuid.UUID) -> list[CareRelationship]:
    """The open care relationships of one patient, oldest first."""
    rows = await session.exec(
        select(CareRelationship)
        .where(CareRelationship.patient_id == patient_id, col(CareRelationship.ended_at).is_(None))
        .order_by(col(CareRelationship.created_at), col(CareRelationship.doctor_id))
    )
    return list(rows.all())
