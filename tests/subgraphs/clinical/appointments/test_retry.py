"""Booking under a real deadlock is re-run and succeeds; a busy database answers SERVICE_UNAVAILABLE."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, text
from sqlmodel import col

from subgraphs.clinical.app import create_app
from subgraphs.clinical.appointments import service
from subgraphs.clinical.appointments.models import Appointment, BookingKey
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import clinical_settings
from tests.subgraphs.clinical.factories import (
    at,
    count_rows,
    new_doctor,
    new_patient,
    next_monday,
    with_schedule,
)
from tests.support.callers import token_for
from tests.support.tokens import JWKS


async def _wait_until_blocked(database: Database, pid: int) -> None:
    """Until some backend waits for a lock held by ``pid``."""
    deadline = time.monotonic() + 10
    async with database.engine.connect() as watcher:
        while time.monotonic() < deadline:
            blocked = await watcher.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"
                ),
                {"pid": pid},
            )
            if blocked.scalar_one():
                return
            await asyncio.sleep(0.02)
    pytest.fail("the booking never waited for the other transaction")


async def test_a_booking_that_loses_a_deadlock_is_rerun_and_succeeds(
    database: Database, admin: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="subgraphs.common.database")
    doctor = await with_schedule(database, await new_doctor(database))
    other, patient = await new_patient(database), await new_patient(database)
    slot = at(next_monday(), 9)
    now = datetime.now(UTC)
    async with database.engine.connect() as rival:
        await rival.begin()
        # Only the booking detects the deadlock (after the default 1 s), so it is the victim.
        await rival.execute(text("SET LOCAL deadlock_timeout = '10s'"))
        rival_pid = (await rival.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        held = uuid.uuid4()
        # 1. The rival holds the slot, uncommitted.
        await rival.execute(
            insert(Appointment).values(
                id=held,
                patient_id=other.id,
                doctor_id=doctor.id,
                starts_at=slot,
                ends_at=at(next_monday(), 9, 30),
                status="BOOKED",
                created_at=now,
                created_by="rival",
                updated_at=now,
                updated_by="rival",
            )
        )
        # 2. The booking claims its idempotency key, then waits for the rival's slot.
        booking = asyncio.create_task(
            service.book_appointment(
                database,
                caller=admin,
                patient_id=patient.id,
                doctor_id=doctor.id,
                starts_at=slot,
                idempotency_key="deadlock-test",
            )
        )
        await _wait_until_blocked(database, rival_pid)
        # 3. The rival now waits for the booking's key: a cycle. PostgreSQL aborts the booking.
        await rival.execute(
            insert(BookingKey).values(
                actor=admin.actor,
                key="deadlock-test",
                request_digest="rival",
                appointment_id=held,
                created_at=now,
            )
        )
        # 4. The rival gives up; the booking's re-run finds the slot free.
        await rival.rollback()
    made = await asyncio.wait_for(booking, timeout=10)
    assert (made.starts_at, made.patient_id) == (slot, patient.id)
    reruns = [r.getMessage() for r in caplog.records if "re-run after" in r.getMessage()]
    assert reruns == ["transaction re-run after a deadlock (attempt 1 of 5)"]
    booked = await count_rows(database, Appointment, Appointment.doctor_id == doctor.id)
    events = await count_rows(database, OutboxEvent, col(OutboxEvent.aggregate_id) == str(made.id))
    assert (booked, events) == (1, 1)  # the aborted run wrote nothing that survived


async def test_an_exhausted_pool_fails_fast_with_a_retryable_code(
    database: Database, admin: Caller, tmp_path: Path
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    settings = clinical_settings(
        database.url,
        key_path=tmp_path / "rx.pem",
        database_pool_size=1,
        database_max_overflow=0,
        database_pool_timeout=0.5,
    )
    app = create_app(settings, jwks=JWKS)
    mutation = """
    mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }
    """
    variables = {
        "input": {
            "patientId": str(patient.id),
            "doctorId": str(doctor.id),
            "startsAt": at(next_monday(), 10).isoformat(),
        }
    }
    async with app.router.lifespan_context(app):
        pool = app.state.service.database
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://clinical") as http,
            pool.engine.connect() as held,
        ):
            await held.execute(text("SELECT 1"))  # the only connection, taken
            began = time.monotonic()
            response = await http.post(
                "/graphql",
                json={"query": mutation, "variables": variables},
                headers={"authorization": f"Bearer {token_for(admin)}"},
            )
            elapsed = time.monotonic() - began
    [error] = response.json()["errors"]
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "retryable": True,
        "retryAfter": 1.0,
    }
    assert "no database connection came free within 0.5 s" in error["message"]
    assert elapsed < 3
