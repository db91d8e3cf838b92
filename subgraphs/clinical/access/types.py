"""GraphQL types of the access domain: care-team entries and break-glass grants."""

from __future__ import annotations

from datetime import datetime

import strawberry

from subgraphs.clinical.access.models import BreakGlassGrant, CareRelationship, CareSource
from subgraphs.clinical.people.types import DoctorType, Info, load_doctor
from subgraphs.common.ids import parse_id

__all__ = ["BreakGlassGrantType", "CareRelationshipType"]

strawberry.enum(CareSource, name="CareSource")


@strawberry.type(name="CareRelationship", description="Why a doctor is in a patient's care team.")
class CareRelationshipType:
    doctor_id: strawberry.ID
    patient_id: strawberry.ID
    source: CareSource
    note: str | None
    created_at: datetime

    @strawberry.field
    async def doctor(self, info: Info) -> DoctorType:
        return DoctorType.of(await load_doctor(info, parse_id(self.doctor_id)))

    @classmethod
    def of(cls, row: CareRelationship) -> CareRelationshipType:
        return cls(
            doctor_id=strawberry.ID(str(row.doctor_id)),
            patient_id=strawberry.ID(str(row.patient_id)),
            source=CareSource(row.source),
            note=row.note,
            created_at=row.created_at,
        )


@strawberry.type(name="BreakGlassGrant", description="Time-limited, audited emergency access.")
class BreakGlassGrantType:
    id: strawberry.ID
    patient_id: strawberry.ID
    reason: str
    granted_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, row: BreakGlassGrant) -> BreakGlassGrantType:
        return cls(
            id=strawberry.ID(str(row.id)),
            patient_id=strawberry.ID(str(row.patient_id)),
            reason=row.reason,
            granted_at=row.granted_at,
            expires_at=row.expires_at,
        )
