"""The access audit store: idempotent appends, append-only rows, the hash chain, outbox catch-up."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from subgraphs.clinical.access import authorize_and_record
from subgraphs.clinical.access.policy import AccessPurpose
from subgraphs.clinical.audit.models import AccessAuditEntry
from subgraphs.clinical.audit.service import append_events, catch_up, verify_chain
from subgraphs.common.audit.denials import DENIED_EVENT
from subgraphs.common.database import Database
from subgraphs.common.errors import Forbidden
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.factories import caller_of, in_care, new_doctor, new_patient


def _event(patient_id: uuid.UUID, kind: str = "access.read") -> EventEnvelope:
    return EventEnvelope(
        type=kind,
        aggregate_type="access_log",
        aggregate_id="someone",
        actor=str(uuid.uuid4()),
        payload={
            "role": "DOCTOR",
            "requestId": "req-1",
            "patients": [{"patientId": str(patient_id), "basis": "CARE_RELATIONSHIP"}],
            "records": [{"type": "patient", "id": str(patient_id), "patientId": str(patient_id)}],
        },
    )


async def _entries(database: Database) -> list[AccessAuditEntry]:
    async with database.session() as session:
        rows = await session.exec(select(AccessAuditEntry).order_by(col(AccessAuditEntry.seq)))
        return list(rows.all())


async def _append(database: Database, *events: EventEnvelope) -> int:
    async with database.transaction() as session:
        return await append_events(session, events)


async def test_a_redelivered_event_is_stored_once(database: Database) -> None:
    event = _event(uuid.uuid4())
    assert await _append(database, event, event) == 1
    assert await _append(database, event) == 0
    [entry] = await _entries(database)
    assert (entry.seq, entry.event_id, entry.allowed, entry.request_id) == (
        1,
        event.id,
        True,
        "req-1",
    )


async def test_the_database_refuses_to_change_or_remove_entries(database: Database) -> None:
    await _append(database, _event(uuid.uuid4()))
    for statement in (
        "UPDATE access_audit_entry SET reason = 'edited'",
        "DELETE FROM access_audit_entry",
        "TRUNCATE access_audit_entry",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.transaction() as session:
                await session.exec(text(statement))  # type: ignore[call-overload]
    assert len(await _entries(database)) == 1


async def test_the_chain_verifies_and_reports_the_first_tampered_entry(database: Database) -> None:
    patient = uuid.uuid4()
    for _ in range(3):
        await _append(database, _event(patient))
    async with database.session() as session:
        intact = await verify_chain(session)
    entries = await _entries(database)
    assert (intact.intact, intact.entries, intact.head_hash) == (True, 3, entries[-1].hash)
    assert entries[1].prev_hash == entries[0].hash
    # Someone with the database owner's powers edits entry 2 behind the trigger's back.
    async with database.transaction() as session:
        for statement in (
            "ALTER TABLE access_audit_entry DISABLE TRIGGER access_audit_entry_append_only",
            "UPDATE access_audit_entry SET allowed = false WHERE seq = 2",
            "ALTER TABLE access_audit_entry ENABLE TRIGGER access_audit_entry_append_only",
        ):
            await session.exec(text(statement))  # type: ignore[call-overload]
    async with database.session() as session:
        broken = await verify_chain(session)
    assert broken.intact is False
    assert broken.broken is not None
    assert (broken.broken.seq, broken.broken.event_id, broken.entries) == (
        2,
        entries[1].event_id,
        1,
    )
    assert "hash" in broken.broken.problem


async def test_concurrent_appenders_keep_one_unbroken_chain(database: Database) -> None:
    patient = uuid.uuid4()
    added = await asyncio.gather(*(_append(database, _event(patient)) for _ in range(8)))
    assert sum(added) == 8
    assert [entry.seq for entry in await _entries(database)] == list(range(1, 9))
    async with database.session() as session:
        assert (await verify_chain(session)).intact


async def test_the_outbox_keeps_audit_events_until_the_store_holds_them(
    database: Database,
) -> None:
    """A broker that lost published events: the store catches up from the outbox."""
    doctor, stranger = await new_doctor(database), await new_doctor(database)
    patient = await new_patient(database)
    await in_care(database, patient, doctor)
    async with database.transaction() as session:
        await authorize_and_record(
            session, caller_of(doctor), patient.id, purpose=AccessPurpose.DEMOGRAPHICS
        )
    with pytest.raises(Forbidden):
        async with database.transaction() as session:
            await authorize_and_record(
                session, caller_of(stranger), patient.id, purpose=AccessPurpose.CLINICAL_READ
            )
    async with database.transaction() as session:
        # Published long ago, as far as the relay's pruning knows: it may not drop them yet.
        await session.exec(  # type: ignore[call-overload]
            text(
                "UPDATE outbox_event SET published_at = now() - interval '30 days' "
                "WHERE topic = 'audit.access'"
            )
        )
        deleted = await session.exec(  # type: ignore[call-overload]
            text("DELETE FROM outbox_event WHERE topic = 'audit.access'")
        )
        assert deleted.rowcount == 0
    async with database.transaction() as session:
        assert await catch_up(session, older_than=timedelta(0)) == 2
    async with database.transaction() as session:
        assert await catch_up(session, older_than=timedelta(0)) == 0
    entries = [e for e in await _entries(database) if patient.id in e.patient_ids]
    assert [(e.actor, e.action, e.allowed, e.reason) for e in entries] == [
        (str(doctor.user_id), "read", True, None),
        (str(stranger.user_id), "read", False, "NO_CARE_RELATIONSHIP"),
    ]
    assert entries[1].event_type == DENIED_EVENT
    async with database.transaction() as session:
        # Stored now: pruning may go ahead.
        deleted = await session.exec(  # type: ignore[call-overload]
            text("DELETE FROM outbox_event WHERE topic = 'audit.access'")
        )
        assert deleted.rowcount == 2
    async with database.session() as session:
        left = await session.exec(select(OutboxEvent).where(OutboxEvent.topic == "audit.access"))
        assert left.all() == []
