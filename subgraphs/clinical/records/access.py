"""The one seam between records, prescriptions and live subscriptions and the rest of clinical.

Everything these domains need from the people/scheduling/access half of the clinical subgraph
goes through this module:

- the row-level rule ``subgraphs.clinical.access.policy.authorize_patient(s)_access`` with its
  ``AccessPurpose`` (CLINICAL_READ, CLINICAL_WRITE, PRESCRIBE, APPOINTMENTS), which raises or
  returns NOT_FOUND/FORBIDDEN and grants break-glass access through an unexpired grant;
- the audit trail of reads ``subgraphs.clinical.access.audit.record_access``;
- the caller's doctor profile ``subgraphs.clinical.access.principal.resolve_principal``;
- the care team ``subgraphs.clinical.access.care.link_doctor_to_patient`` (an encounter puts its
  doctor in the patient's care team);
- a few columns of ``patient``, ``doctor`` and ``appointment`` for documents and live events.

The access modules are imported by name, so this half builds and tests on its own (its tests
install stand-ins); at merge these become plain imports.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType
from typing import Any, cast

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.context import Caller
from subgraphs.common.errors import DomainError, Forbidden, NotFound

__all__ = [
    "AppointmentParties",
    "Grant",
    "PartyNames",
    "Purpose",
    "ReadRecord",
    "appointment_parties",
    "authorize_patient",
    "authorize_patients",
    "caller_doctor_id",
    "note_encounter",
    "party_names",
    "record_reads",
    "require_doctor",
]

# An access decision of the policy (``AccessDecision``): opaque here, handed back to the audit.
Grant = Any


class Purpose(StrEnum):
    """The policy's ``AccessPurpose`` values these domains use."""

    CLINICAL_READ = "CLINICAL_READ"  # records, their history, prescriptions and documents
    CLINICAL_WRITE = "CLINICAL_WRITE"  # create, change and archive records
    PRESCRIBE = "PRESCRIBE"  # issue and revoke prescriptions
    APPOINTMENTS = "APPOINTMENTS"  # watch appointment changes


def _access(module: str) -> ModuleType:
    return importlib.import_module(f"subgraphs.clinical.access.{module}")


async def authorize_patient(
    session: AsyncSession,
    caller: Caller,
    patient_id: uuid.UUID,
    *,
    purpose: Purpose,
    reason: str | None = None,
) -> Grant:
    """Allow ``caller`` to use ``patient_id``'s data for ``purpose``, or raise NOT_FOUND/FORBIDDEN."""
    caller.require_authenticated()
    policy = _access("policy")
    return await policy.authorize_patient_access(
        session, caller, patient_id, purpose=policy.AccessPurpose(purpose.value), reason=reason
    )


async def authorize_patients(
    session: AsyncSession,
    caller: Caller,
    patient_ids: Iterable[uuid.UUID],
    *,
    purpose: Purpose,
    reason: str | None = None,
) -> dict[uuid.UUID, Grant | DomainError]:
    """Each patient's grant, or the error to raise for it (one or two queries for all)."""
    caller.require_authenticated()
    policy = _access("policy")
    outcomes = await policy.authorize_patients_access(
        session,
        caller,
        list(patient_ids),
        purpose=policy.AccessPurpose(purpose.value),
        reason=reason,
    )
    return cast("dict[uuid.UUID, Grant | DomainError]", outcomes)


@dataclass(frozen=True, slots=True)
class ReadRecord:
    """One record handed to a caller, for the audit trail."""

    record_type: str  # "medical_record", "medical_record_version", "prescription"
    record_id: uuid.UUID
    patient_id: uuid.UUID


async def record_reads(
    session: AsyncSession, caller: Caller, grants: Iterable[Grant], records: Sequence[ReadRecord]
) -> None:
    """Write the ``audit.access`` event for ``records`` read under ``grants`` (none if no records)."""
    if not records:
        return
    audit = _access("audit")
    await audit.record_access(
        session,
        caller,
        list(grants),
        records=[
            audit.AccessedRecord(record.record_type, str(record.record_id), record.patient_id)
            for record in records
        ],
        action="read",
    )


async def caller_doctor_id(session: AsyncSession, caller: Caller) -> uuid.UUID | None:
    """The active doctor profile of the caller, if they have one."""
    principal = await _access("principal").resolve_principal(session, caller)
    return cast("uuid.UUID | None", principal.doctor_id)


async def require_doctor(session: AsyncSession, caller: Caller) -> uuid.UUID:
    """The caller's doctor id; FORBIDDEN when they have no active doctor profile."""
    doctor_id = await caller_doctor_id(session, caller)
    if doctor_id is None:
        raise Forbidden("Your account is not linked to an active doctor profile.")
    return doctor_id


async def note_encounter(
    session: AsyncSession, *, doctor_id: uuid.UUID, patient_id: uuid.UUID, actor: str
) -> None:
    """Put the doctor who recorded an encounter in the patient's care team (idempotent)."""
    care_source = _access("models").CareSource.ENCOUNTER
    await _access("care").link_doctor_to_patient(
        session, doctor_id=doctor_id, patient_id=patient_id, source=care_source, actor=actor
    )


@dataclass(frozen=True, slots=True)
class AppointmentParties:
    """Who an appointment is between."""

    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    doctor_id: uuid.UUID


async def appointment_parties(
    session: AsyncSession, appointment_ids: list[uuid.UUID]
) -> dict[uuid.UUID, AppointmentParties]:
    """The patient and doctor of each known appointment (unknown ids are left out)."""
    if not appointment_ids:
        return {}
    connection = await session.connection()
    rows = await connection.execute(
        text("SELECT id, patient_id, doctor_id FROM appointment WHERE id = ANY(:ids)"),
        {"ids": appointment_ids},
    )
    return {row.id: AppointmentParties(row.id, row.patient_id, row.doctor_id) for row in rows}


@dataclass(frozen=True, slots=True)
class PartyNames:
    """What a signed, printed prescription shows about its patient and prescriber."""

    patient_name: str
    patient_mrn: str | None
    patient_birth_date: str | None
    doctor_name: str
    doctor_licence: str | None


async def party_names(
    session: AsyncSession, *, patient_id: uuid.UUID, doctor_id: uuid.UUID
) -> PartyNames:
    """Display names of a patient and a doctor; NOT_FOUND when either is unknown."""
    connection = await session.connection()
    patient = (
        await connection.execute(
            text("SELECT given_name, family_name, mrn, date_of_birth FROM patient WHERE id = :id"),
            {"id": patient_id},
        )
    ).one_or_none()
    doctor = (
        await connection.execute(
            text("SELECT given_name, family_name, licence_number FROM doctor WHERE id = :id"),
            {"id": doctor_id},
        )
    ).one_or_none()
    if patient is None or doctor is None:
        raise NotFound("The prescription's patient or doctor does not exist.")
    return PartyNames(
        patient_name=f"{patient.given_name} {patient.family_name}",
        patient_mrn=patient.mrn,
        patient_birth_date=patient.date_of_birth.isoformat() if patient.date_of_birth else None,
        doctor_name=f"{doctor.given_name} {doctor.family_name}",
        doctor_licence=doctor.licence_number,
    )
