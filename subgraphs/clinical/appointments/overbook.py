"""Writing an appointment's time: refused on an overlap (CONFLICT), or a deliberate overbook.

Writers of one doctor's (or patient's) time queue on a transaction-scoped advisory lock, taken
in one global order, before they write: concurrent overlapping inserts would otherwise deadlock
inside the exclusion constraints' checks (each waiting for the other's uncommitted row).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
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


async def _lock_time_of(
    session: AsyncSession, *, doctor_id: uuid.UUID, patient_id: uuid.UUID
) -> None:
    """Wait for (then hold until commit) the right to write this doctor's and patient's time.

    The queue is FIFO and deadlock-free, so its wait is bounded by ``statement_timeout`` only
    (``lock_timeout`` is lifted for the rest of this transaction).
    """
    first, second = sorted([f"appointment-doctor:{doctor_id}", f"appointment-patient:{patient_id}"])
    await (await session.connection()).execute(
        text(
            "SELECT set_config('lock_timeout', '0', true),"
            " pg_advisory_xact_lock(hashtextextended(:first, 0)),"
            " pg_advisory_xact_lock(hashtextextended(:second, 0))"
        ),
        {"first": first, "second": second},
    )


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

    async def conflicts() -> list[ConflictingAppointment]:
        return await find_conflicts(
            session,
            doctor_id=doctor_id,
            patient_id=patient_id,
            interval=interval,
            excluding=appointment_id,
        )

    def refused(found: list[ConflictingAppointment]) -> bool:
        # A patient can never be in two places; overbooking only lifts the doctor's limit.
        return bool(found) and (not overbook or any(c.patient for c in found))

    found = await conflicts()
    if refused(found):
        raise conflict_error(found, principal)  # already taken: no need to queue
    await _lock_time_of(session, doctor_id=doctor_id, patient_id=patient_id)
    found = await conflicts()  # now including every writer that went before in the queue
    if refused(found):
        raise conflict_error(found, principal)
    if not found and not await _overlaps(session, statement):
        return []
    # Over the doctor's appointments on purpose, or a writer outside the queue got there first.
    found = found or await conflicts()
    if not overbook or refused(found):
        raise conflict_error(found, principal)
    if await _overlaps(session, overbooked_statement):
        raise conflict_error(await conflicts(), principal)
    return found
