"""Writing an appointment's time: refused on an overlap (CONFLICT), or a deliberate overbook."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.principal import Principal
from subgraphs.clinical.appointments.conflicts import (
    ConflictingAppointment,
    conflict_error,
    find_conflicts,
)
from subgraphs.clinical.availability.windows import Interval
from subgraphs.clinical.constraints import EXCLUSION_VIOLATION, violation

__all__ = ["write_without_overlap"]


async def _overlaps(session: AsyncSession, statement: Any) -> bool:
    """Run ``statement`` in a savepoint; True (and nothing written) if it would overlap."""
    try:
        async with session.begin_nested():
            await (await session.connection()).execute(statement)
    except IntegrityError as error:
        if violation(error).sqlstate != EXCLUSION_VIOLATION:
            raise
        return True
    return False


async def write_without_overlap(
    session: AsyncSession,
    statement: Any,
    *,
    principal: Principal,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    interval: Interval,
    appointment_id: uuid.UUID,
    overbook: bool,
    overbooked_statement: Any,
) -> list[ConflictingAppointment]:
    """Run ``statement``; on an overlap, overbook (when asked and allowed) or raise CONFLICT.

    PostgreSQL's exclusion constraints decide (migration clinical_0002), so this holds across
    processes. Returns the doctor's conflicts that were overbooked (empty for a normal booking).
    """
    if not await _overlaps(session, statement):
        return []

    async def conflicts() -> list[ConflictingAppointment]:
        return await find_conflicts(
            session,
            doctor_id=doctor_id,
            patient_id=patient_id,
            interval=interval,
            excluding=appointment_id,
        )

    found = await conflicts()
    if not overbook or any(c.patient for c in found):
        # A patient can never be in two places; overbooking only lifts the doctor's limit.
        raise conflict_error(found, principal)
    if await _overlaps(session, overbooked_statement):
        raise conflict_error(await conflicts(), principal)
    return found
