"""STAND-IN for the people/scheduling half of the clinical subgraph (branch ``clinical``).

Until that half is merged, the tests of records, prescriptions and live subscriptions need its
``patient``, ``doctor``, ``medical_staff`` and ``appointment`` tables and its access rule
``subgraphs.clinical.access.authorize_patient_access``. This module provides minimal versions
of both, used ONLY when the real ones are absent:

- :func:`clinical_database` returns ``service_database("clinical")`` once the real migration
  ``clinical_0001`` exists; before that it migrates the kernel (``common``), creates the
  stand-in tables and applies our own revision ``clinical_1001`` on top;
- :func:`install_access_standin` registers a stand-in ``subgraphs.clinical.access`` module
  unless the real one imports;
- :class:`People` creates synthetic people. At merge, point its methods at the real service
  functions (or real columns) and delete the stand-ins below.
"""

from __future__ import annotations

import importlib.util
import sys
import types
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Connection, MetaData, Table, Uuid, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import Forbidden, NotFound
from subgraphs.common.outbox import record_event
from tests.conftest import ServiceDatabaseFactory

__all__ = [
    "REAL_CLINICAL_SHELL",
    "People",
    "Person",
    "clinical_database",
    "install_access_standin",
]

_ROOT = Path(__file__).resolve().parents[3]
_VERSIONS = _ROOT / "subgraphs" / "clinical" / "migrations" / "versions"
REAL_CLINICAL_SHELL = any(_VERSIONS.glob("clinical_0001*.py"))

_STANDIN_DDL = (
    """CREATE TABLE patient (
        id uuid PRIMARY KEY, user_id uuid UNIQUE, given_name text NOT NULL,
        family_name text NOT NULL, mrn text NOT NULL UNIQUE, birth_date date)""",
    """CREATE TABLE doctor (
        id uuid PRIMARY KEY, user_id uuid UNIQUE, given_name text NOT NULL,
        family_name text NOT NULL, licence_number text)""",
    """CREATE TABLE medical_staff (
        id uuid PRIMARY KEY, user_id uuid UNIQUE, staff_role text NOT NULL)""",
    """CREATE TABLE appointment (
        id uuid PRIMARY KEY, patient_id uuid NOT NULL REFERENCES patient,
        doctor_id uuid NOT NULL REFERENCES doctor, starts_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'BOOKED')""",
)

# Staff roles that may read and write clinical notes in the stand-in rule.
_CLINICAL_STAFF = {"NURSE"}


def _register_standin_metadata() -> None:
    """Let our models' foreign keys resolve against SQLModel's metadata (ids only)."""
    metadata: MetaData = SQLModel.metadata
    for name in ("patient", "doctor", "appointment"):
        if name not in metadata.tables:
            Table(name, metadata, Column("id", Uuid, primary_key=True))


def _apply_records_revision(connection: Connection) -> None:
    path = next(_VERSIONS.glob("clinical_1001_*.py"))
    spec = importlib.util.spec_from_file_location("clinical_1001_records", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Operations.context(MigrationContext.configure(connection)):
        module.upgrade()


async def clinical_database(service_database: ServiceDatabaseFactory) -> str:
    """An asyncpg URL of a fresh clinical database with our tables (and the stand-ins if needed)."""
    if REAL_CLINICAL_SHELL:
        return await service_database("clinical")
    _register_standin_metadata()
    url = await service_database("common")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in _STANDIN_DDL:
                await connection.execute(text(statement))
            await connection.run_sync(_apply_records_revision)
    finally:
        await engine.dispose()
    return url


async def _standin_authorize_patient_access(
    session: AsyncSession,
    caller: Caller,
    patient_id: uuid.UUID,
    *,
    purpose: str,
    reason: str | None,
) -> None:
    """The issue's rules, reduced: own data for patients, care relationship for doctors,
    NURSE staff for clinical data, any staff for appointments, break-glass with reason for
    admins (reads only); every decision recorded on ``audit.access``."""
    connection = await session.connection()
    owner = (
        await connection.execute(
            text("SELECT user_id FROM patient WHERE id = :id"), {"id": patient_id}
        )
    ).one_or_none()
    if owner is None:
        raise NotFound("No such patient.")
    writing = purpose.endswith(".write")
    clinical = not purpose.startswith("appointment.")
    allowed = False
    if caller.role is Role.PATIENT:
        allowed = owner.user_id == caller.user_id and not writing
    elif caller.role is Role.DOCTOR:
        allowed = (
            await connection.execute(
                text(
                    "SELECT 1 FROM appointment a JOIN doctor d ON d.id = a.doctor_id "
                    "WHERE a.patient_id = :patient AND d.user_id = :user LIMIT 1"
                ),
                {"patient": patient_id, "user": caller.user_id},
            )
        ).first() is not None
    elif caller.role is Role.STAFF:
        staff_role = (
            await connection.execute(
                text("SELECT staff_role FROM medical_staff WHERE user_id = :user"),
                {"user": caller.user_id},
            )
        ).scalar_one_or_none()
        allowed = staff_role in _CLINICAL_STAFF or (staff_role is not None and not clinical)
    elif caller.role is Role.ADMIN:
        allowed = not writing and (not clinical or bool(reason))
    await record_event(
        session,
        topic="audit.access",
        type="access.granted" if allowed else "access.denied",
        aggregate_type="Patient",
        aggregate_id=str(patient_id),
        actor=caller.actor,
        payload={"purpose": purpose, "reason": reason, "role": str(caller.role)},
    )
    if not allowed:
        raise Forbidden("You may not access this patient's data.")


def install_access_standin() -> None:
    """Register the stand-in ``subgraphs.clinical.access`` unless the real module exists."""
    name = "subgraphs.clinical.access"
    if name in sys.modules or importlib.util.find_spec(name) is not None:
        return
    module = types.ModuleType(name, "STAND-IN access rules (tests only; see standin.py).")
    module.authorize_patient_access = _standin_authorize_patient_access  # type: ignore[attr-defined]
    sys.modules[name] = module


@dataclass(frozen=True, slots=True)
class Person:
    """A synthetic user: their auth user id and role, and their clinical row id if any."""

    user_id: uuid.UUID
    role: Role
    entity_id: uuid.UUID | None = None

    @property
    def caller(self) -> Caller:
        return Caller(user_id=self.user_id, role=self.role, scopes=frozenset())

    @property
    def token(self) -> str:
        return f"test:{self.role.value}:{self.user_id}"

    @property
    def id(self) -> uuid.UUID:
        assert self.entity_id is not None
        return self.entity_id


class People:
    """Creates synthetic patients, doctors, staff and appointments in the stand-in tables."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._count = 0

    async def _insert(self, sql: str, **values: object) -> None:
        async with self.database.transaction() as session:
            await (await session.connection()).execute(text(sql), values)

    async def patient(self, given_name: str = "Test", family_name: str = "Patient") -> Person:
        self._count += 1
        person = Person(uuid.uuid4(), Role.PATIENT, uuid.uuid4())
        await self._insert(
            "INSERT INTO patient (id, user_id, given_name, family_name, mrn, birth_date) "
            "VALUES (:id, :user_id, :given, :family, :mrn, :birth)",
            id=person.entity_id,
            user_id=person.user_id,
            given=given_name,
            family=family_name,
            mrn=f"MRN-{uuid.uuid4().hex[:10].upper()}",
            birth=date(1980, 1, 1) + timedelta(days=self._count),
        )
        return person

    async def doctor(self, given_name: str = "Test", family_name: str = "Doctor") -> Person:
        person = Person(uuid.uuid4(), Role.DOCTOR, uuid.uuid4())
        await self._insert(
            "INSERT INTO doctor (id, user_id, given_name, family_name, licence_number) "
            "VALUES (:id, :user_id, :given, :family, :licence)",
            id=person.entity_id,
            user_id=person.user_id,
            given=given_name,
            family=family_name,
            licence=f"LIC-{uuid.uuid4().hex[:8].upper()}",
        )
        return person

    async def staff(self, staff_role: str) -> Person:
        person = Person(uuid.uuid4(), Role.STAFF, uuid.uuid4())
        await self._insert(
            "INSERT INTO medical_staff (id, user_id, staff_role) VALUES (:id, :user_id, :role)",
            id=person.entity_id,
            user_id=person.user_id,
            role=staff_role,
        )
        return person

    @staticmethod
    def admin() -> Person:
        return Person(uuid.uuid4(), Role.ADMIN)

    async def appointment(self, patient: Person, doctor: Person) -> uuid.UUID:
        appointment_id = uuid.uuid4()
        await self._insert(
            "INSERT INTO appointment (id, patient_id, doctor_id, starts_at) "
            "VALUES (:id, :patient, :doctor, :at)",
            id=appointment_id,
            patient=patient.id,
            doctor=doctor.id,
            at=datetime.now(UTC) - timedelta(hours=1),
        )
        return appointment_id
