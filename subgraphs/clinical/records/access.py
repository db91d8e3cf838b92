"""The one seam between records, prescriptions and live subscriptions and the clinical access rules.

Everything these domains need from the people/scheduling half of the clinical subgraph goes
through this module: the row-level access rule (``subgraphs.clinical.access``), the doctor
behind a user, an appointment's parties and the names printed on documents. Nothing else in
records, prescriptions or live reads the ``patient``, ``doctor`` or ``appointment`` tables.
"""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, cast

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.context import Caller
from subgraphs.common.errors import Forbidden, NotFound

__all__ = [
    "AppointmentParties",
    "PartyNames",
    "PatientAccessRule",
    "Purpose",
    "appointment_parties",
    "authorize_patient",
    "doctor_id_for_user",
    "party_names",
]


class Purpose(StrEnum):
    """Why clinical data is touched; the access rule and the audit trail record it."""

    RECORD_READ = "medical_record.read"
    RECORD_WRITE = "medical_record.write"
    PRESCRIPTION_READ = "prescription.read"
    PRESCRIPTION_WRITE = "prescription.write"
    APPOINTMENT_READ = "appointment.read"


class PatientAccessRule(Protocol):
    """``subgraphs.clinical.access.authorize_patient_access``: raises Forbidden or NotFound.

    It also records the access event (topic ``audit.access``) in ``session``'s transaction.
    """

    async def __call__(
        self,
        session: AsyncSession,
        caller: Caller,
        patient_id: uuid.UUID,
        *,
        purpose: str,
        reason: str | None,
    ) -> None: ...


def _rule() -> PatientAccessRule:
    # Imported by name because the access rules live in the other half of the clinical
    # subgraph; at merge this becomes a plain ``from subgraphs.clinical.access import ...``.
    module = importlib.import_module("subgraphs.clinical.access")
    return cast("PatientAccessRule", module.authorize_patient_access)


async def authorize_patient(
    session: AsyncSession,
    caller: Caller,
    patient_id: uuid.UUID,
    *,
    purpose: Purpose,
    reason: str | None = None,
) -> None:
    """Allow ``caller`` to touch ``patient_id``'s data for ``purpose``, or raise FORBIDDEN/NOT_FOUND."""
    caller.require_authenticated()
    await _rule()(session, caller, patient_id, purpose=purpose.value, reason=reason)


async def doctor_id_for_user(session: AsyncSession, user_id: uuid.UUID) -> uuid.UUID:
    """The ``doctor.id`` linked to auth user ``user_id``; FORBIDDEN when the user is no doctor."""
    connection = await session.connection()
    found = (
        await connection.execute(
            text("SELECT id FROM doctor WHERE user_id = :user_id"), {"user_id": user_id}
        )
    ).scalar_one_or_none()
    if found is None:
        raise Forbidden("Only a registered doctor may do this.")
    return cast("uuid.UUID", found)


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
    """What a printed prescription shows about its patient and prescriber."""

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
            text("SELECT given_name, family_name, mrn, birth_date FROM patient WHERE id = :id"),
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
        raise NotFound("The prescription's patient or doctor no longer exists.")
    return PartyNames(
        patient_name=f"{patient.given_name} {patient.family_name}",
        patient_mrn=patient.mrn,
        patient_birth_date=patient.birth_date.isoformat() if patient.birth_date else None,
        doctor_name=f"{doctor.given_name} {doctor.family_name}",
        doctor_licence=doctor.licence_number,
    )
