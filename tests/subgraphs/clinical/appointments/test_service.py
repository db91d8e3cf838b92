"""Appointments: booking rules, conflicts, overbooking, status changes, history and events."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from subgraphs.clinical.access.models import CareRelationship
from subgraphs.clinical.appointments import service
from subgraphs.clinical.appointments.models import Appointment, AppointmentStatusChange
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden, NotFound
from subgraphs.common.outbox import OutboxEvent
from subgraphs.common.tokens import SCOPES_BY_ROLE, Scope
from tests.subgraphs.clinical.conftest import make_caller
from tests.subgraphs.clinical.factories import (
    at,
    book,
    caller_of,
    new_doctor,
    new_patient,
    new_staff,
    next_monday,
    with_schedule,
)


async def appointment_events(db: Database) -> list[OutboxEvent]:
    async with db.session() as session:
        rows = await session.exec(
            select(OutboxEvent)
            .where(OutboxEvent.topic == "clinical.appointments")
            .order_by(col(OutboxEvent.position))
        )
        return list(rows.all())


async def count(db: Database, model: type[Appointment] | type[AppointmentStatusChange]) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_booking_records_history_event_and_care_link(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database), minutes=20)
    patient = await new_patient(database)
    day = next_monday()
    appointment = await book(database, patient, doctor, at(day, 9), caller=admin, reason="Cough")
    assert (appointment.starts_at, appointment.ends_at) == (at(day, 9), at(day, 9, 20))
    assert appointment.status == "BOOKED"
    [event] = await appointment_events(database)
    assert (event.type, event.actor, event.aggregate_id) == (
        "appointment.booked",
        admin.actor,
        str(appointment.id),
    )
    assert event.payload["patientId"] == str(patient.id)
    assert event.payload["overbooked"] is False
    async with database.session() as session:
        [change] = (await service.appointment_history(session, appointment_ids=[appointment.id]))[
            appointment.id
        ]
        assert (change.from_status, change.to_status, change.reason) == (None, "BOOKED", "Cough")
        link = await session.get(CareRelationship, (doctor.id, patient.id, "APPOINTMENT"))
        assert link is not None


async def test_bad_bookings_write_nothing(database: Database, admin: Caller) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    unscheduled = await new_doctor(database)
    patient = await new_patient(database)
    day = next_monday()
    cases = [
        ({"starts_at": at(day - timedelta(days=30), 9)}, BadUserInput, "past"),
        ({"starts_at": at(day, 7)}, BadUserInput, "working hours"),
        ({"starts_at": at(day, 17, 45)}, BadUserInput, "working hours"),
        ({"starts_at": at(day, 9), "ends_at": at(day, 8)}, BadUserInput, "after startsAt"),
        ({"starts_at": at(day, 9).replace(tzinfo=None)}, BadUserInput, "UTC offset"),
        ({"starts_at": at(day + timedelta(days=800), 9)}, BadUserInput, "730 days"),
        ({"starts_at": at(day, 9), "reason": "x" * 501}, BadUserInput, "500"),
        ({"starts_at": at(day, 9), "doctor_id": unscheduled.id}, BadUserInput, "no working hours"),
        ({"starts_at": at(day, 9), "doctor_id": uuid.uuid4()}, NotFound, "doctor"),
        ({"starts_at": at(day, 9), "patient_id": uuid.uuid4()}, NotFound, "patient"),
    ]
    for change, error, message in cases:
        arguments = {"patient_id": patient.id, "doctor_id": doctor.id, **change}
        with pytest.raises(error, match=message):
            await service.book_appointment(database, caller=admin, **arguments)
    assert await count(database, Appointment) == 0
    assert await count(database, AppointmentStatusChange) == 0
    assert await appointment_events(database) == []


async def test_conflict_names_every_overlapping_appointment(database: Database) -> None:
    doctor = await with_schedule(database, await new_doctor(database), minutes=30)
    elsewhere = await with_schedule(database, await new_doctor(database), minutes=30)
    patient = await new_patient(database)
    day = next_monday()
    await book(database, await new_patient(database), doctor, at(day, 9))
    await book(database, await new_patient(database), doctor, at(day, 9, 30))
    await book(database, patient, elsewhere, at(day, 9, 45))
    with pytest.raises(Conflict) as raised:
        await service.book_appointment(
            database,
            caller=make_caller(Role.ADMIN),
            patient_id=patient.id,
            doctor_id=doctor.id,
            starts_at=at(day, 9, 15),
            ends_at=at(day, 10),
        )
    conflicts = raised.value.extensions["conflicts"]
    assert [(c["startsAt"], c["with"]) for c in conflicts] == [
        (at(day, 9).isoformat(), ["DOCTOR"]),
        (at(day, 9, 30).isoformat(), ["DOCTOR"]),
        (at(day, 9, 45).isoformat(), ["PATIENT"]),
    ]
    assert "3 appointment(s)" in raised.value.message
    assert await count(database, Appointment) == 3


async def test_patient_sees_no_other_patients_appointment_ids(database: Database) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database, linked=True)
    day = next_monday()
    await book(database, await new_patient(database), doctor, at(day, 9))
    with pytest.raises(Conflict) as raised:
        await service.book_appointment(
            database,
            caller=caller_of(patient),
            patient_id=patient.id,
            doctor_id=doctor.id,
            starts_at=at(day, 9),
        )
    assert raised.value.extensions["conflicts"] == [
        {
            "startsAt": at(day, 9).isoformat(),
            "endsAt": at(day, 9, 30).isoformat(),
            "with": ["DOCTOR"],
        }
    ]


async def test_overbooking_is_deliberate_authorised_and_recorded(database: Database) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    day = next_monday()
    first = await book(database, await new_patient(database), doctor, at(day, 9))
    receptionist = caller_of(await new_staff(database))
    extra_patient = await new_patient(database)
    with pytest.raises(Forbidden, match="overbook"):
        await service.book_appointment(
            database,
            caller=receptionist,
            patient_id=extra_patient.id,
            doctor_id=doctor.id,
            starts_at=at(day, 9),
            overbook=True,
        )
    # Overbooking also needs the appointments:overbook scope of the role table.
    without_scope = make_caller(
        Role.ADMIN, scopes=SCOPES_BY_ROLE[Role.ADMIN] - {Scope.APPOINTMENTS_OVERBOOK}
    )
    with pytest.raises(Forbidden, match="overbook"):
        await book(database, extra_patient, doctor, at(day, 9), caller=without_scope, overbook=True)
    admin = make_caller(Role.ADMIN)
    extra = await book(database, extra_patient, doctor, at(day, 9), caller=admin, overbook=True)
    assert extra.overbooked
    types = [e.type for e in await appointment_events(database)]
    assert types == ["appointment.booked", "appointment.booked", "appointment.overbooked"]
    [*_, overbooked] = await appointment_events(database)
    assert overbooked.payload["overbookedOver"][0]["appointmentId"] == str(first.id)
    assert overbooked.actor == admin.actor
    # The doctor may overbook their own schedule, for a patient in their care.
    known = await new_patient(database)
    await book(database, known, doctor, at(day, 15))
    by_doctor = await book(
        database, known, doctor, at(day, 9), caller=caller_of(doctor), overbook=True
    )
    assert by_doctor.overbooked
    # An overbook flag that was not needed books normally.
    normal = await book(database, await new_patient(database), doctor, at(day, 11), overbook=True)
    assert not normal.overbooked
    # The patient limit is never lifted: a patient cannot be in two places.
    with pytest.raises(Conflict):
        await service.book_appointment(
            database,
            caller=make_caller(Role.ADMIN),
            patient_id=extra_patient.id,
            doctor_id=(await with_schedule(database, await new_doctor(database))).id,
            starts_at=at(day, 9),
            overbook=True,
        )


async def test_reschedule_keeps_length_checks_conflicts_and_keeps_history(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    day = next_monday()
    appointment = await book(database, patient, doctor, at(day, 9), ends_at=at(day, 9, 45))
    await book(database, await new_patient(database), doctor, at(day, 11))
    moved = await service.reschedule_appointment(
        database,
        caller=admin,
        appointment_id=appointment.id,
        starts_at=at(day, 10),
        reason="Late",
    )
    assert (moved.starts_at, moved.ends_at, moved.version) == (at(day, 10), at(day, 10, 45), 2)
    with pytest.raises(Conflict, match="1 appointment"):
        await service.reschedule_appointment(
            database, caller=admin, appointment_id=appointment.id, starts_at=at(day, 10, 30)
        )
    async with database.session() as session:
        history = (await service.appointment_history(session, appointment_ids=[appointment.id]))[
            appointment.id
        ]
    assert [(h.to_status, h.previous_starts_at) for h in history] == [
        ("BOOKED", None),
        ("BOOKED", at(day, 9)),
    ]
    [*_, event] = await appointment_events(database)
    assert event.type == "appointment.rescheduled"
    assert event.payload["previousStartsAt"] == at(day, 9).isoformat()


async def test_cancelling_frees_the_slot(database: Database, admin: Caller) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    day = next_monday()
    appointment = await book(database, await new_patient(database), doctor, at(day, 9))
    async with database.transaction() as session:
        with pytest.raises(BadUserInput, match="reason"):
            await service.cancel_appointment(
                session, caller=admin, appointment_id=appointment.id, reason="  "
            )
        cancelled = await service.cancel_appointment(
            session, caller=admin, appointment_id=appointment.id, reason="Patient unwell"
        )
    assert (cancelled.status, cancelled.cancellation_reason) == ("CANCELLED", "Patient unwell")
    again = await book(database, await new_patient(database), doctor, at(day, 9))
    assert again.status == "BOOKED"
    async with database.transaction() as session:
        with pytest.raises(Conflict, match="CANCELLED"):
            await service.cancel_appointment(
                session, caller=admin, appointment_id=appointment.id, reason="Twice"
            )
    with pytest.raises(Conflict, match="CANCELLED"):
        await service.reschedule_appointment(
            database, caller=admin, appointment_id=appointment.id, starts_at=at(day, 12)
        )


async def test_visit_status_changes_follow_the_clock(database: Database) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    desk = caller_of(await new_staff(database))
    day = next_monday()
    visit = await book(database, await new_patient(database), doctor, at(day, 9))
    missed = await book(database, await new_patient(database), doctor, at(day, 10))

    async def act(action, appointment: Appointment, now):  # type: ignore[no-untyped-def]
        async with database.transaction() as session:
            return await action(session, caller=desk, appointment_id=appointment.id, now=now)

    with pytest.raises(BadUserInput, match="two hours"):
        await act(service.check_in_appointment, visit, at(day, 6))
    with pytest.raises(BadUserInput, match="only after"):
        await act(service.mark_no_show, missed, at(day, 9))
    assert (await act(service.check_in_appointment, visit, at(day, 8, 50))).status == "CHECKED_IN"
    with pytest.raises(Conflict):
        await act(service.mark_no_show, visit, at(day, 9, 40))
    assert (await act(service.complete_appointment, visit, at(day, 9, 25))).status == "COMPLETED"
    assert (await act(service.mark_no_show, missed, at(day, 10, 20))).status == "NO_SHOW"
    types = [e.type for e in await appointment_events(database)]
    assert types[2:] == ["appointment.checked_in", "appointment.completed", "appointment.no_show"]
    patient_caller = make_caller(Role.PATIENT)
    async with database.transaction() as session:
        with pytest.raises(Forbidden):
            await service.complete_appointment(
                session, caller=patient_caller, appointment_id=visit.id
            )


async def test_who_may_book_for_whom(database: Database) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    other_doctor = await with_schedule(database, await new_doctor(database))
    me = await new_patient(database, linked=True)
    someone = await new_patient(database)
    day = next_monday()
    mine = await book(database, me, doctor, at(day, 9), caller=caller_of(me))
    assert mine.patient_id == me.id
    with pytest.raises(NotFound):
        await book(database, someone, doctor, at(day, 10), caller=caller_of(me))
    with pytest.raises(Forbidden, match="own schedule"):
        await book(database, me, other_doctor, at(day, 10), caller=caller_of(doctor))
    with pytest.raises(Forbidden, match="break-glass"):
        await book(database, someone, doctor, at(day, 10), caller=caller_of(doctor))
    follow_up = await book(database, me, doctor, at(day, 11), caller=caller_of(doctor))
    assert follow_up.doctor_id == doctor.id
    async with database.transaction() as session:
        with pytest.raises(NotFound):
            await service.cancel_appointment(
                session,
                caller=caller_of(await new_patient(database, linked=True)),
                appointment_id=mine.id,
                reason="Not mine",
            )
