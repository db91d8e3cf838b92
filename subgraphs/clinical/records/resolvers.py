"""Medical record queries and mutations (``RecordQuery``/``RecordMutation``, merged into the schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from subgraphs.clinical.access.scopes import READ_RECORDS, WRITE_RECORDS
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.records import service
from subgraphs.clinical.records.notes import NotesFormat
from subgraphs.clinical.records.types import (
    RECORD_POLICY,
    AllergyInput,
    DiagnosisInput,
    MedicalRecord,
    MedicalRecordVersion,
    MedicationInput,
    VitalsInput,
    content_sections,
)
from subgraphs.common.audit import serve
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = [
    "ArchiveMedicalRecordInput",
    "CreateMedicalRecordInput",
    "RecordMutation",
    "RecordQuery",
    "UpdateMedicalRecordInput",
]

Info = strawberry.Info[RequestContext, None]

_REASON = (
    "Why you read or change this record: recorded in the audit trail; required for "
    "break-glass access."
)


@strawberry.input
class CreateMedicalRecordInput:
    patient_id: strawberry.ID
    appointment_id: strawberry.ID | None = strawberry.field(
        default=None, description="The appointment this encounter belongs to; none for walk-ins."
    )
    encounter_at: datetime | None = strawberry.field(
        default=None, description="When the encounter took place; now when omitted."
    )
    notes: str = ""
    notes_format: NotesFormat = NotesFormat.PLAIN
    vitals: VitalsInput | None = None
    diagnoses: list[DiagnosisInput] = strawberry.field(default_factory=list)
    allergies: list[AllergyInput] = strawberry.field(default_factory=list)
    medications: list[MedicationInput] = strawberry.field(default_factory=list)
    reason: str | None = strawberry.field(default=None, description=_REASON)


@strawberry.input(description="Sections left out stay as they are; each given one is replaced.")
class UpdateMedicalRecordInput:
    record_id: strawberry.ID
    expected_version: int = strawberry.field(
        description="The version you edited; a CONFLICT error when the record moved on."
    )
    encounter_at: datetime | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    notes_format: NotesFormat | None = strawberry.UNSET
    vitals: VitalsInput | None = strawberry.UNSET
    diagnoses: list[DiagnosisInput] | None = strawberry.UNSET
    allergies: list[AllergyInput] | None = strawberry.UNSET
    medications: list[MedicationInput] | None = strawberry.UNSET
    reason: str | None = strawberry.field(default=None, description=_REASON)


@strawberry.input
class ArchiveMedicalRecordInput:
    record_id: strawberry.ID
    expected_version: int
    reason: str


def _update_sections(data: UpdateMedicalRecordInput) -> dict[str, Any]:
    sections = content_sections(data)
    # An explicit null empties a section (the format has no empty value and stays invalid).
    for name in ("diagnoses", "allergies", "medications"):
        if name in sections and sections[name] is None:
            sections[name] = []
    if "notes" in sections and sections["notes"] is None:
        sections["notes"] = ""
    return sections


@strawberry.type
class RecordQuery:
    @guarded(
        READ_RECORDS, policy=RECORD_POLICY, description="One medical record in its current version."
    )
    async def medical_record(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument)
        reason: str | None = None,
    ) -> MedicalRecord | None:
        row = await serve(info.context, service.get_record, record_id=parse_id(id), reason=reason)
        return MedicalRecord.from_row(row)

    @guarded(
        READ_RECORDS,
        policy=RECORD_POLICY,
        description="A patient's medical records, newest encounter first (cursor pagination).",
    )
    async def medical_records(
        self,
        info: Info,
        patient_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        include_archived: bool = False,
        reason: str | None = None,
    ) -> Connection[MedicalRecord] | None:
        page = await serve(
            info.context,
            service.list_records,
            patient_id=parse_id(patient_id, what="patientId"),
            first=first,
            after=after,
            include_archived=include_archived,
            reason=reason,
        )
        return Connection.of(page, MedicalRecord.from_row)

    @guarded(
        READ_RECORDS,
        policy=RECORD_POLICY,
        description="Every version of a record, oldest first: who changed which sections, when and why.",
    )
    async def medical_record_history(
        self, info: Info, record_id: strawberry.ID, reason: str | None = None
    ) -> list[MedicalRecordVersion] | None:
        versions = await serve(
            info.context,
            service.record_history,
            record_id=parse_id(record_id, what="recordId"),
            reason=reason,
        )
        return [MedicalRecordVersion.from_row(version) for version in versions]


@strawberry.type
class RecordMutation:
    @guarded(
        WRITE_RECORDS, policy=RECORD_POLICY, description="Open an encounter's record (version 1)."
    )
    async def create_medical_record(
        self,
        info: Info,
        input: CreateMedicalRecordInput,  # noqa: A002 (GraphQL argument)
    ) -> MedicalRecord:
        appointment = input.appointment_id
        row = await serve(
            info.context,
            service.create_record,
            patient_id=parse_id(input.patient_id, what="patientId"),
            appointment_id=parse_id(appointment, what="appointmentId")
            if appointment is not None
            else None,
            encounter_at=input.encounter_at,
            reason=input.reason,
            content=content_sections(input),
        )
        return MedicalRecord.from_row(row)

    @guarded(
        WRITE_RECORDS,
        policy=RECORD_POLICY,
        description="Change sections of a record; the change becomes a new version.",
    )
    async def update_medical_record(
        self,
        info: Info,
        input: UpdateMedicalRecordInput,  # noqa: A002 (GraphQL argument)
    ) -> MedicalRecord:
        encounter_at = input.encounter_at if input.encounter_at is not strawberry.UNSET else None
        row = await serve(
            info.context,
            service.update_record,
            record_id=parse_id(input.record_id, what="recordId"),
            expected_version=input.expected_version,
            changes=_update_sections(input),
            encounter_at=encounter_at,
            reason=input.reason,
        )
        return MedicalRecord.from_row(row)

    @guarded(
        WRITE_RECORDS,
        policy=RECORD_POLICY,
        description="Archive a record (there is no hard delete); its versions stay in the history.",
    )
    async def archive_medical_record(
        self,
        info: Info,
        input: ArchiveMedicalRecordInput,  # noqa: A002 (GraphQL argument)
    ) -> MedicalRecord:
        row = await serve(
            info.context,
            service.archive_record,
            record_id=parse_id(input.record_id, what="recordId"),
            expected_version=input.expected_version,
            reason=input.reason,
        )
        return MedicalRecord.from_row(row)
