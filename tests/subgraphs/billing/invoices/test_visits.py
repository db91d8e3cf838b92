"""A completed appointment becomes one invoice line, however often its event is delivered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import col, func, select

from subgraphs.billing.invoices.models import Invoice, InvoiceLine
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.invoices.visits import bill_completed_appointment
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.consumer import IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope

SETTINGS = InvoiceSettings(consultation_price_minor=6500)


def completed(
    appointment_id: uuid.UUID, patient_id: uuid.UUID, *, kind: str = "appointment.completed"
) -> EventEnvelope:
    return EventEnvelope(
        type=kind,
        aggregate_type="appointment",
        aggregate_id=str(appointment_id),
        actor="doctor",
        payload={
            "appointmentId": str(appointment_id),
            "patientId": str(patient_id),
            "doctorId": str(uuid.uuid4()),
            "patientUserId": str(uuid.uuid4()),
            "doctorUserId": str(uuid.uuid4()),
            "startsAt": datetime(2026, 12, 1, 9, 30, tzinfo=UTC).isoformat(),
            "status": "COMPLETED",
        },
    )


def handler(database: Database) -> IdempotentHandler:
    async def bill(envelope: EventEnvelope, session: AsyncSession) -> None:
        await bill_completed_appointment(session, envelope, settings=SETTINGS, currency="GBP")

    return IdempotentHandler(database=database, consumer="billing-test", handler=bill)


async def _lines(database: Database) -> list[InvoiceLine]:
    async with database.session() as session:
        return list((await session.exec(select(InvoiceLine))).all())


async def test_the_same_event_twice_bills_once(database: Database) -> None:
    handle = handler(database)
    patient = uuid.uuid4()
    event = completed(uuid.uuid4(), patient)
    await handle(event)
    await handle(event)  # redelivered
    assert (handle.handled, handle.skipped) == (1, 1)
    lines = await _lines(database)
    assert len(lines) == 1
    assert (lines[0].unit_price_minor, lines[0].service_code) == (6500, "CONSULT")
    assert lines[0].description == "Consultation on 2026-12-01"


async def test_a_republished_event_and_other_events_add_nothing(database: Database) -> None:
    handle = handler(database)
    patient, appointment = uuid.uuid4(), uuid.uuid4()
    await handle(completed(appointment, patient))
    await handle(completed(appointment, patient))  # same appointment, a new event id
    await handle(completed(uuid.uuid4(), patient, kind="appointment.booked"))
    await handle(completed(uuid.uuid4(), patient))  # a second visit: the same open invoice
    lines = await _lines(database)
    assert len(lines) == 2
    assert len({line.invoice_id for line in lines}) == 1
    async with database.session() as session:
        invoice = (await session.exec(select(Invoice))).one()
    assert (invoice.status, invoice.total_minor) == ("DRAFT", 13000)


async def test_concurrent_deliveries_bill_once(database: Database) -> None:
    import asyncio

    patient = uuid.uuid4()
    events = [completed(uuid.uuid4(), patient) for _ in range(5)]
    handles = [handler(database) for _ in range(2)]
    await asyncio.gather(*(h(e) for e in events for h in handles))
    async with database.session() as session:
        count = (await session.exec(select(func.count()).select_from(InvoiceLine))).one()
        drafts = (
            await session.exec(select(func.count()).where(col(Invoice.status) == "DRAFT"))
        ).one()
    assert (count, drafts) == (5, 1)
