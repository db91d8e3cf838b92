"""Double booking is impossible under contention: PostgreSQL's exclusion constraint decides."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlmodel import col

from subgraphs.clinical.appointments import service
from subgraphs.clinical.appointments.models import Appointment
from subgraphs.clinical.people.models import Patient
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from subgraphs.common.errors import Conflict
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.factories import (
    at,
    count_rows,
    new_doctor,
    new_patient,
    next_monday,
    with_schedule,
)

CONTENDERS = 50


async def test_fifty_simultaneous_bookings_of_one_slot_one_wins(
    clinical_url: str, database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patients: list[Patient] = [await new_patient(database) for _ in range(CONTENDERS)]
    slot = at(next_monday(), 9)
    # One pooled connection per contender, all opened before anyone books.
    contenders = Database(clinical_url, pool_size=CONTENDERS)
    opened = asyncio.Barrier(CONTENDERS)
    barrier = asyncio.Barrier(CONTENDERS)
    backends: set[int] = set()

    async def open_connection() -> None:
        async with contenders.engine.connect() as connection:
            backends.add((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            await opened.wait()

    async def attempt(patient: Patient) -> Appointment | Conflict:
        await barrier.wait()
        try:
            return await service.book_appointment(
                contenders,
                caller=admin,
                patient_id=patient.id,
                doctor_id=doctor.id,
                starts_at=slot,
            )
        except Conflict as conflict:
            return conflict

    try:
        await asyncio.gather(*(open_connection() for _ in range(CONTENDERS)))
        outcomes = await asyncio.gather(*(attempt(p) for p in patients))
    finally:
        await contenders.dispose()

    assert len(backends) == CONTENDERS
    winners = [o for o in outcomes if isinstance(o, Appointment)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(winners), len(losers)) == (1, CONTENDERS - 1)
    for conflict in losers:
        assert conflict.extensions["conflicts"] == [
            {
                "appointmentId": str(winners[0].id),
                "startsAt": slot.isoformat(),
                "endsAt": winners[0].ends_at.isoformat(),
                "with": ["DOCTOR"],
            }
        ]
    booked = await count_rows(database, Appointment, Appointment.doctor_id == doctor.id)
    events = await count_rows(database, OutboxEvent, col(OutboxEvent.type) == "appointment.booked")
    assert (booked, events) == (1, 1)
