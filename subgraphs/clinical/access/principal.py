"""The caller as the clinical service knows them: role plus their patient, doctor or staff profile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.people.models import Doctor, MedicalStaff, Patient, StaffRole
from subgraphs.common.context import Caller, Role

__all__ = ["Principal", "resolve_principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller and the profile linked to their account, if any."""

    caller: Caller
    user_id: uuid.UUID
    role: Role
    patient_id: uuid.UUID | None = None
    doctor_id: uuid.UUID | None = None
    staff_role: StaffRole | None = None

    @property
    def actor(self) -> str:
        return self.caller.actor


async def resolve_principal(session: AsyncSession, caller: Caller) -> Principal:
    """Look up the caller's own profile (one query; none for ADMIN); UNAUTHENTICATED if anonymous.

    Archived profiles do not count: an archived doctor has no care team and no schedule to keep.
    """
    user_id = caller.require_authenticated()
    role = caller.role
    assert role is not None  # an authenticated caller always has a role (Caller.from_claims)
    if role is Role.PATIENT:
        patient_id = (
            await session.exec(
                select(Patient.id).where(
                    Patient.user_id == user_id, col(Patient.archived_at).is_(None)
                )
            )
        ).first()
        return Principal(caller, user_id, role, patient_id=patient_id)
    if role is Role.DOCTOR:
        doctor_id = (
            await session.exec(
                select(Doctor.id).where(
                    Doctor.user_id == user_id, col(Doctor.archived_at).is_(None)
                )
            )
        ).first()
        return Principal(caller, user_id, role, doctor_id=doctor_id)
    if role is Role.STAFF:
        staff_role = (
            await session.exec(
                select(MedicalStaff.staff_role).where(
                    MedicalStaff.user_id == user_id, col(MedicalStaff.archived_at).is_(None)
                )
            )
        ).first()
        return Principal(
            caller, user_id, role, staff_role=StaffRole(staff_role) if staff_role else None
        )
    return Principal(caller, user_id, role)
