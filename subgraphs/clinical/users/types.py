"""``User`` (owned by auth) gains ``patient``, ``doctor`` and ``staffMember`` here (federation v2)."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.guard import guarded
from subgraphs.clinical.access.scopes import READ_PATIENTS
from subgraphs.clinical.ids import parse_id
from subgraphs.clinical.loaders import load_batched
from subgraphs.clinical.people import service
from subgraphs.clinical.people.types import (
    PATIENT_POLICY,
    DoctorType,
    Info,
    PatientType,
    StaffMemberType,
    load_doctor,
    load_patient,
    load_staff_member,
)
from subgraphs.common.context import Caller

__all__ = ["UserType"]


async def _linked(
    info: Info, kind: service.PersonKind[Any], user_id: uuid.UUID
) -> uuid.UUID | None:
    async def fetch(
        session: AsyncSession, _: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, uuid.UUID | None]:
        found = await service.people_for_users(session, kind, ids)
        return {user: found.get(user) for user in ids}

    return await load_batched(info.context, f"user-links.{kind.name}", fetch, user_id)


@strawberry.federation.type(name="User", keys=["id"], description="An account of the auth service.")
class UserType:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> UserType:  # noqa: A002 (federation passes the key field by name)
        return cls(id=id)

    @guarded(READ_PATIENTS, policy=PATIENT_POLICY, description="The patient this account is.")
    async def patient(self, info: Info) -> PatientType | None:
        patient_id = await _linked(info, service.PATIENTS, parse_id(self.id))
        return PatientType.of(await load_patient(info, patient_id)) if patient_id else None

    @guarded(description="The doctor this account is.")
    async def doctor(self, info: Info) -> DoctorType | None:
        doctor_id = await _linked(info, service.DOCTORS, parse_id(self.id))
        return DoctorType.of(await load_doctor(info, doctor_id)) if doctor_id else None

    @guarded(description="The staff member this account is.")
    async def staff_member(self, info: Info) -> StaffMemberType | None:
        staff_id = await _linked(info, service.STAFF, parse_id(self.id))
        return StaffMemberType.of(await load_staff_member(info, staff_id)) if staff_id else None
