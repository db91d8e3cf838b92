"""Clinical benchmarks: bookings per second under contention, ``_entities`` latency for 100 keys.

Run: ``python -m tests.benchmarks.bench_clinical`` (starts its own embedded PostgreSQL).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from subgraphs.clinical.app import create_app
from subgraphs.clinical.appointments import service as appointments
from subgraphs.clinical.availability import service as availability
from subgraphs.clinical.availability.models import Weekday
from subgraphs.clinical.people import service as people
from subgraphs.clinical.people.models import Doctor, Patient
from subgraphs.common.context import Role
from subgraphs.common.database import Database
from subgraphs.common.errors import Conflict
from subgraphs.common.migrations import upgrade_database
from subgraphs.stack.databases import create_database
from subgraphs.stack.postgres import EmbeddedPostgres, asyncpg_url, database_url
from tests.benchmarks.entities import entities_latency, report
from tests.subgraphs.clinical.conftest import clinical_settings, make_caller
from tests.support.callers import token_for
from tests.support.tokens import JWKS

SLOTS = 20  # contended slots
CONTENDERS_PER_SLOT = 10  # simultaneous bookings racing for each slot
CONCURRENCY = 50  # connections
ENTITY_KEYS = 100
ENTITY_RUNS = 30
ADMIN = make_caller(Role.ADMIN)
DAY_START, DAY_END = dtime(6), dtime(22)
SLOTS_PER_DAY = 64  # 15-minute slots from 06:00 to 22:00


def _slot(day: date, index: int) -> datetime:
    """The ``index``-th 15-minute slot from ``day`` on, in working hours."""
    days, slot = divmod(index, SLOTS_PER_DAY)
    start = datetime.combine(day + timedelta(days=days), DAY_START, tzinfo=UTC)
    return start + timedelta(minutes=15 * slot)


def _monday() -> date:
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 + (7 - today.weekday()) % 7)


async def _seed(db: Database, patients: int) -> tuple[Doctor, list[Patient]]:
    async with db.transaction() as session:
        doctor = await people.create_person(
            session,
            people.DOCTORS,
            caller=ADMIN,
            values={
                "given_name": "Bench",
                "family_name": "Doctor",
                "specialty": "General practice",
                "licence_number": f"BENCH-{time.monotonic_ns() % 10**8}",
            },
        )
        await availability.set_schedule(
            session,
            caller=ADMIN,
            doctor_id=doctor.id,
            time_zone="UTC",
            appointment_minutes=15,
            weekly_hours=[availability.WeeklyHours(day, DAY_START, DAY_END) for day in Weekday],
        )
    made: list[Patient] = []
    for n in range(patients):
        async with db.transaction() as session:
            made.append(
                await people.create_person(
                    session,
                    people.PATIENTS,
                    caller=ADMIN,
                    values={
                        "given_name": "Bench",
                        "family_name": "Patient"
                        + "abcdefghijklmnopqrstuvwxyz"[n % 26] * (1 + n // 26),
                        "date_of_birth": date(1980, 1, 1),
                        "sex": "UNKNOWN",
                    },
                )
            )
    return doctor, made


async def _book_all(
    db: Database, doctor: Doctor, patients: list[Patient], starts: list[datetime]
) -> tuple[int, int, float]:
    """Book ``patients[i]`` at ``starts[i]``, CONCURRENCY at a time; (won, conflicts, seconds)."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def attempt(patient: Patient, start: datetime) -> bool:
        async with gate:
            try:
                await appointments.book_appointment(
                    db,
                    caller=ADMIN,
                    patient_id=patient.id,
                    doctor_id=doctor.id,
                    starts_at=start,
                )
            except Conflict:
                return False
            return True

    began = time.perf_counter()
    results = await asyncio.gather(*(attempt(p, s) for p, s in zip(patients, starts, strict=True)))
    elapsed = time.perf_counter() - began
    won = sum(results)
    return won, len(results) - won, elapsed


async def _entities_latency(
    db_url: str, key_path: Path, typename: str, ids: list[str]
) -> list[float]:
    app = create_app(clinical_settings(db_url, key_path=key_path), jwks=JWKS)
    # A real access token, verified (EdDSA signature and claims) by the app on every request.
    headers = {"authorization": f"Bearer {token_for(ADMIN)}"}
    query = (
        "query ($r: [_Any!]!) { _entities(representations: $r) { "
        "... on Patient { id mrn familyName } "
        "... on Appointment { id status patient { familyName } doctor { familyName } } } }"
    )
    payload: dict[str, Any] = {
        "query": query,
        "variables": {"r": [{"__typename": typename, "id": i} for i in ids]},
    }
    return await entities_latency(app, headers=headers, payload=payload, runs=ENTITY_RUNS)


async def _run(server_url: str, key_path: Path) -> None:
    await create_database(server_url, "bench_clinical")
    db_url = asyncpg_url(database_url(server_url, "bench_clinical"))
    await upgrade_database("clinical", db_url)
    db = Database(db_url, pool_size=CONCURRENCY)
    attempts = SLOTS * CONTENDERS_PER_SLOT
    monday = _monday()
    try:
        doctor, patients = await _seed(db, attempts * 2)
        contended = [_slot(monday, i % SLOTS) for i in range(attempts)]
        won, lost, seconds = await _book_all(db, doctor, patients[:attempts], contended)
        assert (won, lost) == (SLOTS, attempts - SLOTS), (won, lost)
        free = [_slot(monday + timedelta(days=1), i) for i in range(attempts)]
        free_won, _, free_seconds = await _book_all(db, doctor, patients[attempts:], free)
        print("clinical bookings (PostgreSQL exclusion constraint, READ COMMITTED)")
        print(
            f"  contended: {attempts} attempts on {SLOTS} slots x {CONTENDERS_PER_SLOT} "
            f"-> {won} booked, {lost} CONFLICT in {seconds:.2f} s"
        )
        print(f"  contended attempts/second              {attempts / seconds:8.1f}")
        print(f"  uncontended bookings/second            {free_won / free_seconds:8.1f}")
        print(
            f"  ratio contended/uncontended throughput {(attempts / seconds) / (free_won / free_seconds):8.2f}"
        )
        async with db.session() as session:
            page = await appointments.list_appointments(session, caller=ADMIN, first=ENTITY_KEYS)
            patient_page = await people.list_patients(session, caller=ADMIN, first=ENTITY_KEYS)
        print(
            f"_entities latency for {ENTITY_KEYS} representations (in-process ASGI, {ENTITY_RUNS} runs)"
        )
        report(
            "Patient",
            await _entities_latency(
                db_url, key_path, "Patient", [str(p.id) for p in patient_page.items]
            ),
        )
        report(
            "Appointment + patient + doctor",
            await _entities_latency(
                db_url, key_path, "Appointment", [str(a.id) for a in page.items]
            ),
        )
    finally:
        await db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-clinical-") as tmp:
        server = EmbeddedPostgres(Path(tmp) / "pg", delete_on_stop=True)
        url = server.start()
        try:
            asyncio.run(_run(url, Path(tmp) / "prescriptions.pem"))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
