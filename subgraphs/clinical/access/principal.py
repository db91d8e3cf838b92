"""The caller as the clinical service knows them: role plus their patient, doctor or staff profile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.people.models import (
    Doctor,
    MedicalStaff,
    Patient,
    PersonColumns,
    StaffRole,
)
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


# The profile each role links to, and the column identifying it.
_PROFILES: dict[Role, tuple[type[PersonColumns], str]] = {
    Role.PATIENT: (Patient, "id"),
    Role.DOCTOR: (Doctor, "id"),
    Role.STAFF: (MedicalStaff, "staff_role"),
}


async def resolve_principal(session: AsyncSession, caller: Caller) -> Principal:
    """Look up the caller's own profile (one query; none for ADMIN); UNAUTHENTICATED if anonymous.

    Archived profiles do not count: an archived doctor has no care team and no schedule to keep.
    """
    user_id = caller.require_authenticated()
    role = caller.role
    assert role is not None  # an authenticated caller always has a role (Caller.from_claims)
    if role not in _PROFILES:
        return Principal(caller, user_id, role)
    model, column = _PROFILES[role]
    found: Any = (
        await session.exec(
            select(getattr(model, column)).where(
                col(model.user_id) == user_id, col(model.archived_at).is_(None)
            )
        )
    ).first()
    if role is Role.PATIENT:
        return Principal(caller, user_id, role, patient_id=found)
    if role is Role.DOCTOR:
        return Principal(caller, user_id, role, doctor_id=found)
    return Principal(caller, user_id, role, staff_role=StaffRole(found) if found else None)
