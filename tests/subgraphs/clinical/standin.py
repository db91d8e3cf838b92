"""STAND-IN for the people/scheduling half of the clinical subgraph (branch ``clinical``).

Until that half is merged, the tests of records, prescriptions and live subscriptions need its
``patient``, ``doctor``, ``medical_staff``, ``appointment``, ``care_relationship`` and
``break_glass_grant`` tables and its ``subgraphs.clinical.access`` package (``policy``,
``audit``, ``principal``, ``care``, ``models``), whose names, signatures and rules (as committed
on branch ``clinical``) these minimal versions mirror. They are used ONLY when the real ones are
absent:

- :func:`clinical_database` returns ``service_database("clinical")`` once the real migration
  ``clinical_0001`` exists; before that it migrates the kernel (``common``), creates the
  stand-in tables and applies our own revision ``clinical_1001`` on top;
- :func:`install_standins` registers the stand-in tables' metadata and stand-in
  ``subgraphs.clinical.access.*`` modules unless the real package imports;
- :class:`People` creates synthetic people. At merge, point its methods at the real service
  functions (or real columns) and delete the stand-ins below.
"""

from __future__ import annotations

import importlib.util
import sys
import types
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Connection, MetaData, Table, Uuid, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import DomainError, Forbidden, NotFound
from subgraphs.common.outbox import record_event
from tests.conftest import ServiceDatabaseFactory

__all__ = [
    "REAL_CLINICAL_SHELL",
    "People",
    "Person",
    "clinical_database",
    "install_standins",
]

_ROOT = Path(__file__).resolve().parents[3]
_VERSIONS = _ROOT / "subgraphs" / "clinical" / "migrations" / "versions"
REAL_CLINICAL_SHELL = any(_VERSIONS.glob("clinical_0001*.py"))

_STANDIN_DDL = (
    """CREATE TABLE patient (
        id uuid PRIMARY KEY, user_id uuid UNIQUE, given_name text NOT NULL,
        family_name text NOT NULL, mrn text NOT NULL UNIQUE, date_of_birth date NOT NULL,
        archived_at timestamptz)""",
    """CREATE TABLE doctor (
        id uuid PRIMARY KEY, user_id uuid UNIQUE, given_name text NOT NULL,
        family_name text NOT NULL, licence_number text NOT NULL, archived_at timestamptz)""",
    """CREATE TABLE medical_staff (
        id uuid PRIMARY KEY, user_id uuid UNIQUE, staff_role text NOT NULL,
        archived_at timestamptz)""",
    """CREATE TABLE appointment (
        id uuid PRIMARY KEY, patient_id uuid NOT NULL REFERENCES patient,
        doctor_id uuid NOT NULL REFERENCES doctor, starts_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'BOOKED')""",
    """CREATE TABLE care_relationship (
        doctor_id uuid REFERENCES doctor, patient_id uuid REFERENCES patient, source text,
        created_by text NOT NULL, ended_at timestamptz,
        PRIMARY KEY (doctor_id, patient_id, source))""",
    """CREATE TABLE break_glass_grant (
        id uuid PRIMARY KEY, user_id uuid NOT NULL, patient_id uuid NOT NULL REFERENCES patient,
        reason text NOT NULL, expires_at timestamptz NOT NULL)""",
)

_CLINICAL_STAFF = {"NURSE", "LAB_TECHNICIAN", "PHARMACIST", "RADIOGRAPHER"}


def _register_standin_metadata() -> None:
    """Let our models' foreign keys resolve against SQLModel's metadata (ids only)."""
    metadata: MetaData = SQLModel.metadata
    for name in ("patient", "doctor", "appointment"):  # the tables our foreign keys name
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


class _AccessPurpose(StrEnum):
    DEMOGRAPHICS = "DEMOGRAPHICS"
    APPOINTMENTS = "APPOINTMENTS"
    CLINICAL_READ = "CLINICAL_READ"
    CLINICAL_WRITE = "CLINICAL_WRITE"
    PRESCRIBE = "PRESCRIBE"


class _CareSource(StrEnum):
    APPOINTMENT = "APPOINTMENT"
    ENCOUNTER = "ENCOUNTER"
    ASSIGNMENT = "ASSIGNMENT"


@dataclass(frozen=True, slots=True)
class _Decision:
    patient_id: uuid.UUID
    purpose: _AccessPurpose
    basis: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class _Principal:
    role: Role
    patient_id: uuid.UUID | None = None
    doctor_id: uuid.UUID | None = None
    staff_role: str | None = None


@dataclass(frozen=True, slots=True)
class _AccessedRecord:
    record_type: str
    record_id: str
    patient_id: uuid.UUID


async def _resolve_principal(session: AsyncSession, caller: Caller) -> _Principal:
    user_id = caller.require_authenticated()
    assert caller.role is not None
    connection = await session.connection()
    tables = {Role.PATIENT: "patient", Role.DOCTOR: "doctor", Role.STAFF: "medical_staff"}
    if caller.role not in tables:
        return _Principal(caller.role)
    column = "staff_role" if caller.role is Role.STAFF else "id"
    found = (
        await connection.execute(
            text(
                f"SELECT {column} FROM {tables[caller.role]} "
                "WHERE user_id = :user AND archived_at IS NULL"
            ),
            {"user": user_id},
        )
    ).scalar_one_or_none()
    if caller.role is Role.PATIENT:
        return _Principal(caller.role, patient_id=found)
    if caller.role is Role.DOCTOR:
        return _Principal(caller.role, doctor_id=found)
    return _Principal(caller.role, staff_role=found)


def _reach(principal: _Principal, purpose: _AccessPurpose) -> str:
    reads = {_AccessPurpose.DEMOGRAPHICS, _AccessPurpose.APPOINTMENTS}
    if principal.role is Role.PATIENT:
        allowed = reads | {_AccessPurpose.CLINICAL_READ}
        return "self" if principal.patient_id and purpose in allowed else "none"
    if principal.role is Role.DOCTOR:
        return "care" if principal.doctor_id else "none"
    if principal.role is Role.STAFF:
        role = principal.staff_role
        allowed_staff = (
            purpose in reads
            or (purpose is _AccessPurpose.CLINICAL_READ and role in _CLINICAL_STAFF)
            or (purpose is _AccessPurpose.CLINICAL_WRITE and role == "NURSE")
        )
        return "all" if role and allowed_staff else "none"
    if purpose in reads:
        return "all"
    return "glass" if purpose is _AccessPurpose.CLINICAL_READ else "none"


async def _authorize_patients_access(
    session: AsyncSession,
    caller: Caller,
    patient_ids: Iterable[uuid.UUID],
    *,
    purpose: _AccessPurpose,
    reason: str | None = None,
) -> dict[uuid.UUID, _Decision | DomainError]:
    principal = await _resolve_principal(session, caller)
    reach = _reach(principal, purpose)
    connection = await session.connection()
    results: dict[uuid.UUID, _Decision | DomainError] = {}
    for patient_id in dict.fromkeys(patient_ids):
        known = (
            await connection.execute(
                text("SELECT 1 FROM patient WHERE id = :id"), {"id": patient_id}
            )
        ).first()
        cared = (
            await connection.execute(
                text(
                    "SELECT 1 FROM care_relationship WHERE patient_id = :p AND doctor_id = :d "
                    "AND ended_at IS NULL"
                ),
                {"p": patient_id, "d": principal.doctor_id},
            )
        ).first()
        grant = (
            await connection.execute(
                text(
                    "SELECT reason FROM break_glass_grant WHERE patient_id = :p AND user_id = :u "
                    "AND expires_at > now()"
                ),
                {"p": patient_id, "u": caller.user_id},
            )
        ).scalar_one_or_none()
        basis = None
        if known is None:
            results[patient_id] = NotFound("No such patient.")
            continue
        if reach == "all":
            basis = "STAFF_ROLE"
        elif reach == "self" and patient_id == principal.patient_id:
            basis = "SELF"
        elif reach == "care" and cared:
            basis = "CARE_RELATIONSHIP"
        elif reach in {"care", "glass"} and grant:
            basis = "BREAK_GLASS"
        if basis is not None:
            results[patient_id] = _Decision(patient_id, purpose, basis, reason)
        elif principal.role is Role.PATIENT:
            results[patient_id] = NotFound("No such patient.")
        else:
            results[patient_id] = Forbidden("You have no access to this patient's data.")
    return results


async def _authorize_patient_access(
    session: AsyncSession,
    caller: Caller,
    patient_id: uuid.UUID,
    *,
    purpose: _AccessPurpose,
    reason: str | None = None,
) -> _Decision:
    outcome = (
        await _authorize_patients_access(
            session, caller, [patient_id], purpose=purpose, reason=reason
        )
    )[patient_id]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


async def _record_access(
    session: AsyncSession,
    caller: Caller,
    decisions: Iterable[_Decision],
    *,
    records: Sequence[_AccessedRecord],
    action: str = "read",
) -> None:
    if not records:
        return
    await record_event(
        session,
        topic="audit.access",
        type=f"access.{action}",
        aggregate_type="access_log",
        aggregate_id=caller.actor,
        actor=caller.actor,
        payload={
            "patients": [
                {"patientId": str(d.patient_id), "basis": d.basis, "reason": d.reason}
                for d in decisions
            ],
            "records": [{"type": r.record_type, "id": r.record_id} for r in records],
        },
    )


async def _link_doctor_to_patient(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    source: _CareSource,
    actor: str,
) -> None:
    await (await session.connection()).execute(
        text(
            "INSERT INTO care_relationship (doctor_id, patient_id, source, created_by) "
            "VALUES (:d, :p, :s, :a) ON CONFLICT DO NOTHING"
        ),
        {"d": doctor_id, "p": patient_id, "s": source.value, "a": actor},
    )


def install_standins() -> None:
    """Register the stand-in tables' metadata and ``subgraphs.clinical.access.*`` modules,
    unless the real ones exist (call it in every process that uses our domains)."""
    if not REAL_CLINICAL_SHELL:
        _register_standin_metadata()
    package = "subgraphs.clinical.access"
    if package in sys.modules or importlib.util.find_spec(package) is not None:
        return
    members: dict[str, dict[str, object]] = {
        "policy": {
            "AccessPurpose": _AccessPurpose,
            "authorize_patient_access": _authorize_patient_access,
            "authorize_patients_access": _authorize_patients_access,
        },
        "audit": {"AccessedRecord": _AccessedRecord, "record_access": _record_access},
        "principal": {"resolve_principal": _resolve_principal},
        "care": {"link_doctor_to_patient": _link_doctor_to_patient},
        "models": {"CareSource": _CareSource},
    }
    sys.modules[package] = types.ModuleType(package, "STAND-IN (tests only; see standin.py)")
    for name, attributes in members.items():
        module = types.ModuleType(f"{package}.{name}", "STAND-IN (tests only)")
        for attribute, value in attributes.items():
            setattr(module, attribute, value)
        sys.modules[f"{package}.{name}"] = module


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
            "INSERT INTO patient (id, user_id, given_name, family_name, mrn, date_of_birth) "
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
        """A past appointment; like booking, it puts the doctor in the patient's care team."""
        appointment_id = uuid.uuid4()
        await self._insert(
            "INSERT INTO appointment (id, patient_id, doctor_id, starts_at) "
            "VALUES (:id, :patient, :doctor, :at)",
            id=appointment_id,
            patient=patient.id,
            doctor=doctor.id,
            at=datetime.now(UTC) - timedelta(hours=1),
        )
        await self._insert(
            "INSERT INTO care_relationship (doctor_id, patient_id, source, created_by) "
            "VALUES (:doctor, :patient, 'APPOINTMENT', 'test') ON CONFLICT DO NOTHING",
            patient=patient.id,
            doctor=doctor.id,
        )
        return appointment_id

    async def break_glass(self, person: Person, patient: Person, reason: str) -> None:
        """An unexpired emergency grant (the real one: access.service.declare_break_glass)."""
        await self._insert(
            "INSERT INTO break_glass_grant (id, user_id, patient_id, reason, expires_at) "
            "VALUES (:id, :user, :patient, :reason, now() + interval '1 hour')",
            id=uuid.uuid4(),
            user=person.user_id,
            patient=patient.id,
            reason=reason,
        )
