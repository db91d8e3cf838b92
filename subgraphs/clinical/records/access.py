"""What records, prescriptions and live subscriptions need from the people and scheduling domains.

Access decisions and the audit trail come straight from :mod:`subgraphs.clinical.access`
(``authorize_patient_access``/``authorize_patients_access`` with an ``AccessPurpose``, then
``record_access``). This module adds the few facts these domains read about other rows:
the caller's doctor profile, the care-team link an encounter creates, who an appointment is
between, and the names printed on a prescription.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.care import link_doctor_to_patient
from subgraphs.clinical.access.models import CareSource
from subgraphs.clinical.access.principal import resolve_principal
from subgraphs.clinical.appointments.models import Appointment
from subgraphs.clinical.people.models import Doctor, Patient
from subgraphs.common.context import Caller
from subgraphs.common.errors import Forbidden, NotFound

__all__ = [
    "AppointmentParties",
    "PartyNames",
    "appointment_parties",
    "caller_doctor_id",
    "note_encounter",
    "party_names",
    "require_doctor",
]


async def caller_doctor_id(session: AsyncSession, caller: Caller) -> uuid.UUID | None:
    """The active doctor profile of the caller, if they have one."""
    return (await resolve_principal(session, caller)).doctor_id


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
    await link_doctor_to_patient(
        session,
        doctor_id=doctor_id,
        patient_id=patient_id,
        source=CareSource.ENCOUNTER,
        actor=actor,
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
    rows = await session.exec(
        select(Appointment.id, Appointment.patient_id, Appointment.doctor_id).where(
            col(Appointment.id).in_(appointment_ids)
        )
    )
    return {row[0]: AppointmentParties(*row) for row in rows.all()}


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
    patient = await session.get(Patient, patient_id)
    doctor = await session.get(Doctor, doctor_id)
    if patient is None or doctor is None:
        raise NotFound("The prescription's patient or doctor does not exist.")
    return PartyNames(
        patient_name=f"{patient.given_name} {patient.family_name}",
        patient_mrn=patient.mrn,
        patient_birth_date=patient.date_of_birth.isoformat(),
        doctor_name=f"{doctor.given_name} {doctor.family_name}",
        doctor_licence=doctor.licence_number,
    )
