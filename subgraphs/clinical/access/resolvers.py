"""Queries and mutations of access: care teams, assignments and break-glass declarations."""

from __future__ import annotations

import strawberry

from subgraphs.clinical.access import service
from subgraphs.clinical.access.scopes import BREAK_GLASS, READ_PATIENTS, WRITE_CARE_TEAMS
from subgraphs.clinical.access.types import BreakGlassGrantType, CareRelationshipType
from subgraphs.clinical.people.types import PATIENT_POLICY, Info
from subgraphs.common.audit import serve
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["AccessMutation", "AccessQuery"]


@strawberry.type
class AccessQuery:
    @guarded(
        READ_PATIENTS,
        policy=PATIENT_POLICY,
        description="The doctors in a patient's care team, and why (audited read).",
    )
    async def care_team(
        self, info: Info, patient_id: strawberry.ID
    ) -> list[CareRelationshipType] | None:
        rows = await serve(
            info.context,
            service.patient_care_team,
            patient_id=parse_id(patient_id, what="patientId"),
        )
        return [CareRelationshipType.of(row) for row in rows]

    @guarded(BREAK_GLASS, description="Your own unexpired break-glass grants.")
    async def my_break_glass_grants(self, info: Info) -> list[BreakGlassGrantType] | None:
        rows = await serve(info.context, service.active_grants)
        return [BreakGlassGrantType.of(row) for row in rows]


@strawberry.type
class AccessMutation:
    @guarded(WRITE_CARE_TEAMS, description="Assign a patient to a doctor (ADMIN).")
    async def assign_patient_to_doctor(
        self,
        info: Info,
        patient_id: strawberry.ID,
        doctor_id: strawberry.ID,
        note: str | None = None,
    ) -> bool:
        await serve(
            info.context,
            service.assign_patient,
            patient_id=parse_id(patient_id, what="patientId"),
            doctor_id=parse_id(doctor_id, what="doctorId"),
            note=note,
        )
        return True

    @guarded(WRITE_CARE_TEAMS, description="End a patient's assignment to a doctor (ADMIN).")
    async def unassign_patient_from_doctor(
        self, info: Info, patient_id: strawberry.ID, doctor_id: strawberry.ID
    ) -> bool:
        await serve(
            info.context,
            service.unassign_patient,
            patient_id=parse_id(patient_id, what="patientId"),
            doctor_id=parse_id(doctor_id, what="doctorId"),
        )
        return True

    @guarded(
        BREAK_GLASS,
        audit_denials=True,
        description=(
            "Emergency access to a patient's clinical data: a stated reason, at most 60 minutes, "
            "always recorded (ADMIN or DOCTOR)."
        ),
    )
    async def break_glass(
        self,
        info: Info,
        patient_id: strawberry.ID,
        reason: str,
        minutes: int = service.BREAK_GLASS_DEFAULT_MINUTES,
    ) -> BreakGlassGrantType:
        grant = await serve(
            info.context,
            service.declare_break_glass,
            patient_id=parse_id(patient_id, what="patientId"),
            reason=reason,
            minutes=minutes,
        )
        return BreakGlassGrantType.of(grant)
