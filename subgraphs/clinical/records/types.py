"""GraphQL types of medical records: the ``MedicalRecord`` entity, its versions and inputs."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any

import strawberry

from subgraphs.clinical.access.scopes import READ_RECORDS, RECORD_POLICY
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.loaders import load_pages_of_patients
from subgraphs.clinical.records import content as domain
from subgraphs.clinical.records import service
from subgraphs.clinical.records.models import MedicalRecord as MedicalRecordRow
from subgraphs.clinical.records.models import MedicalRecordVersion as MedicalRecordVersionRow
from subgraphs.clinical.records.models import RecordStatus
from subgraphs.clinical.records.notes import NotesFormat, render_notes_html
from subgraphs.clinical.records.request_access import load_authorized
from subgraphs.common.context import RequestContext
from subgraphs.common.fields import field
from subgraphs.common.ids import parse_id

__all__ = [
    "RECORD_POLICY",
    "Allergy",
    "AllergyInput",
    "Diagnosis",
    "DiagnosisInput",
    "MedicalRecord",
    "MedicalRecordVersion",
    "Medication",
    "MedicationInput",
    "Vitals",
    "VitalsInput",
    "content_sections",
    "records_of",
]


# The domain enums double as GraphQL enums (strawberry.enum registers them in place).
strawberry.enum(NotesFormat)
strawberry.enum(RecordStatus, name="MedicalRecordStatus")
strawberry.enum(domain.AllergySeverity)


@strawberry.type
class Vitals:
    temperature_c: float | None
    heart_rate_bpm: int | None
    respiratory_rate: int | None
    systolic_mmhg: int | None
    diastolic_mmhg: int | None
    oxygen_saturation: int | None
    weight_kg: float | None
    height_cm: float | None
    measured_at: datetime | None


@strawberry.type
class Diagnosis:
    code: str = strawberry.field(description="ICD-10 code in dotted upper-case form, e.g. E11.9.")
    text: str
    primary: bool


@strawberry.type
class Allergy:
    substance: str
    reaction: str | None
    severity: domain.AllergySeverity


@strawberry.type
class Medication:
    name: str
    dose: str | None
    frequency: str | None
    route: str | None


@strawberry.input
class VitalsInput:
    temperature_c: float | None = None
    heart_rate_bpm: int | None = None
    respiratory_rate: int | None = None
    systolic_mmhg: int | None = None
    diastolic_mmhg: int | None = None
    oxygen_saturation: int | None = None
    weight_kg: float | None = None
    height_cm: float | None = None
    measured_at: datetime | None = None


@strawberry.input
class DiagnosisInput:
    code: str
    text: str
    primary: bool = False


@strawberry.input
class AllergyInput:
    substance: str
    reaction: str | None = None
    severity: domain.AllergySeverity = domain.AllergySeverity.UNKNOWN


@strawberry.input
class MedicationInput:
    name: str
    dose: str | None = None
    frequency: str | None = None
    route: str | None = None


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return strawberry.asdict(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


SECTIONS = ("notes", "notes_format", "vitals", "diagnoses", "allergies", "medications")


def content_sections(data: object) -> dict[str, Any]:
    """The content sections of a GraphQL input as the plain data the domain validates.

    Sections the client left out (``UNSET``) are left out.
    """
    values = {name: getattr(data, name) for name in SECTIONS}
    return {name: _plain(value) for name, value in values.items() if value is not strawberry.UNSET}


def _content(data: dict[str, Any]) -> domain.RecordContent:
    return domain.RecordContent.model_validate(data)


def _vitals(value: domain.Vitals | None) -> Vitals | None:
    return Vitals(**value.model_dump()) if value is not None else None


@strawberry.interface
class RecordSnapshot:
    """The clinical content shared by a record and each of its versions."""

    notes: str = strawberry.field(
        description="The note as written: plain text or Markdown, never HTML to render as is."
    )
    notes_format: NotesFormat
    vitals: Vitals | None
    diagnoses: list[Diagnosis]
    allergies: list[Allergy]
    medications: list[Medication]

    @field(description="The note as safe HTML: Markdown rendered with any HTML in it escaped.")
    def notes_html(self) -> str:
        return render_notes_html(self.notes, self.notes_format)


def _snapshot_fields(data: dict[str, Any]) -> dict[str, Any]:
    snapshot = _content(data)
    return {
        "notes": snapshot.notes,
        "notes_format": snapshot.notes_format,
        "vitals": _vitals(snapshot.vitals),
        "diagnoses": [Diagnosis(**item.model_dump()) for item in snapshot.diagnoses],
        "allergies": [Allergy(**item.model_dump()) for item in snapshot.allergies],
        "medications": [Medication(**item.model_dump()) for item in snapshot.medications],
    }


@strawberry.federation.type(
    keys=["id"],
    authenticated=True,
    requires_scopes=READ_RECORDS.directive,
    policy=[[RECORD_POLICY]],
    description="One encounter's medical record, current version.",
)
class MedicalRecord(RecordSnapshot):
    id: strawberry.ID
    patient_id: strawberry.ID
    appointment_id: strawberry.ID | None
    encounter_at: datetime
    status: RecordStatus
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @classmethod
    def from_row(cls, row: MedicalRecordRow) -> MedicalRecord:
        return cls(
            id=strawberry.ID(str(row.id)),
            patient_id=strawberry.ID(str(row.patient_id)),
            appointment_id=strawberry.ID(str(row.appointment_id)) if row.appointment_id else None,
            encounter_at=row.encounter_at,
            status=RecordStatus(row.status),
            version=row.version,
            created_at=row.created_at,
            created_by=row.created_by,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
            **_snapshot_fields(row.content),
        )

    @classmethod
    async def resolve_reference(
        cls,
        info: strawberry.Info[RequestContext, None],
        id: strawberry.ID,  # noqa: A002 (federation key)
    ) -> MedicalRecord:
        """``_entities`` lookups: batched through the request's DataLoaders, access checked per patient."""
        row = await load_authorized(
            info.context,
            parse_id(id),
            record_type="medical_record",
            model=MedicalRecordRow,
            scopes=READ_RECORDS,
        )
        return cls.from_row(row)


@strawberry.type(description="One immutable version of a medical record.")
class MedicalRecordVersion(RecordSnapshot):
    record_id: strawberry.ID
    version: int
    status: RecordStatus
    encounter_at: datetime
    changed_fields: list[str] = strawberry.field(
        description="The sections this version changed (all non-empty ones for version 1)."
    )
    changed_by: str = strawberry.field(description="The user id of whoever made this version.")
    changed_by_role: str | None
    changed_at: datetime
    reason: str | None

    @classmethod
    def from_row(cls, row: MedicalRecordVersionRow) -> MedicalRecordVersion:
        return cls(
            record_id=strawberry.ID(str(row.record_id)),
            version=row.version,
            status=RecordStatus(row.status),
            encounter_at=row.encounter_at,
            changed_fields=list(row.changed_fields),
            changed_by=row.changed_by,
            changed_by_role=row.changed_by_role,
            changed_at=row.changed_at,
            reason=row.reason,
            **_snapshot_fields(row.content),
        )


async def records_of(
    info: strawberry.Info[RequestContext, None],
    patient_id: uuid.UUID,
    *,
    first: int | None,
    after: str | None,
) -> Connection[MedicalRecord]:
    """``Patient.medicalRecords``: the pages of every patient asked alike, in one batch."""
    page = await load_pages_of_patients(
        info.context,
        "records-of",
        service.records_of_patients,
        patient_id,
        first=first,
        after=after,
    )
    return Connection.of(page, MedicalRecord.from_row)
