"""Idempotency keys on bookings: a retried request gets the booking it made, never a second one."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import col

from subgraphs.clinical.appointments import service
from subgraphs.clinical.appointments.models import Appointment, BookingKey
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, IdempotencyKeyReused
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import ClinicalApi, make_caller
from tests.subgraphs.clinical.factories import (
    at,
    book,
    count_rows,
    new_doctor,
    new_patient,
    next_monday,
    with_schedule,
)


async def _counts(database: Database) -> tuple[int, int, int]:
    """(appointments, booked events, keys)."""
    return (
        await count_rows(database, Appointment),
        await count_rows(database, OutboxEvent, col(OutboxEvent.type) == "appointment.booked"),
        await count_rows(database, BookingKey),
    )


async def test_the_same_request_with_the_same_key_returns_the_same_booking(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    slot = at(next_monday(), 9)
    first = await book(database, patient, doctor, slot, caller=admin, idempotency_key="k-1")
    # The answer was lost; the client sends the same request again.
    again = await book(database, patient, doctor, slot, caller=admin, idempotency_key="k-1")
    assert again.id == first.id
    assert await _counts(database) == (1, 1, 1)


async def test_the_same_key_with_another_request_is_refused(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    day = next_monday()
    await book(database, patient, doctor, at(day, 9), caller=admin, idempotency_key="k-2")
    with pytest.raises(IdempotencyKeyReused) as raised:
        await book(database, patient, doctor, at(day, 11), caller=admin, idempotency_key="k-2")
    assert raised.value.as_extensions() == {
        "code": "IDEMPOTENCY_KEY_REUSED",
        "field": "idempotencyKey",
    }
    assert await _counts(database) == (1, 1, 1)


async def test_keys_belong_to_their_caller(database: Database, admin: Caller) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    slot = at(next_monday(), 9)
    await book(database, patient, doctor, slot, caller=admin, idempotency_key="shared")
    # Another caller's identical key and request is a new request: here, a CONFLICT.
    with pytest.raises(Conflict):
        await book(
            database,
            patient,
            doctor,
            slot,
            caller=make_caller(Role.ADMIN),
            idempotency_key="shared",
        )
    assert await _counts(database) == (1, 1, 1)


async def test_a_failed_booking_leaves_no_key_behind(database: Database, admin: Caller) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    slot = at(next_monday(), 9)
    taken = await book(database, await new_patient(database), doctor, slot)
    patient = await new_patient(database)
    with pytest.raises(Conflict):
        await book(database, patient, doctor, slot, caller=admin, idempotency_key="k-3")
    async with database.transaction() as session:
        await service.cancel_appointment(
            session, caller=admin, appointment_id=taken.id, reason="Freed"
        )
    made = await book(database, patient, doctor, slot, caller=admin, idempotency_key="k-3")
    assert made.status == "BOOKED"


async def test_concurrent_retries_with_one_key_make_one_booking(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    slot = at(next_monday(), 9)
    made = await asyncio.gather(
        *(
            book(database, patient, doctor, slot, caller=admin, idempotency_key="k-4")
            for _ in range(5)
        )
    )
    assert {m.id for m in made} == {made[0].id}
    assert await _counts(database) == (1, 1, 1)


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "ключ"])
async def test_malformed_keys_are_bad_input(database: Database, admin: Caller, key: str) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    with pytest.raises(BadUserInput, match="idempotencyKey"):
        await book(database, patient, doctor, at(next_monday(), 9), idempotency_key=key)


BOOK = """
mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id startsAt } }
"""


async def test_graphql_clients_send_the_key_in_the_input(
    clinical_api: ClinicalApi, admin: Caller
) -> None:
    database = clinical_api.database
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    day = next_monday()
    booking: dict[str, Any] = {
        "patientId": str(patient.id),
        "doctorId": str(doctor.id),
        "startsAt": at(day, 9).isoformat(),
        "idempotencyKey": "6f1c1b7e-0d7c-4a53-9a57-2b1df2b3c6b1",
    }
    first = await clinical_api.execute(BOOK, {"input": booking}, caller=admin)
    again = await clinical_api.execute(BOOK, {"input": booking}, caller=admin)
    assert again == first
    assert "errors" not in first
    moved = {**booking, "startsAt": at(day, 10).isoformat()}
    refused = await clinical_api.execute(BOOK, {"input": moved}, caller=admin)
    assert refused["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
