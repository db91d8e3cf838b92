"""Medical record rules: who may write, versioning on every change, history, no hard delete."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.policy import AccessPurpose, authorize_patient_access
from subgraphs.clinical.loaders import single
from subgraphs.clinical.pagination import Keyset, Page
from subgraphs.clinical.records.access import appointment_parties, caller_doctor_id, note_encounter
from subgraphs.clinical.records.content import RecordContent, changed_sections, validate_content
from subgraphs.clinical.records.events import RecordChange, emit_record_changed
from subgraphs.clinical.records.models import MedicalRecord, MedicalRecordVersion, RecordStatus
from subgraphs.clinical.records.reads import read_patient_pages, read_patient_row
from subgraphs.clinical.validation import stated_reason
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput, Conflict, DomainError, NotFound

__all__ = [
    "WRITER_ROLES",
    "archive_record",
    "create_record",
    "get_record",
    "list_records",
    "record_history",
    "records_of_patients",
    "update_record",
]

WRITER_ROLES = (Role.DOCTOR, Role.STAFF)
# How far in the future an encounter time may lie (clock skew between devices), no more.
_FUTURE_TOLERANCE = timedelta(minutes=15)


def _encounter_time(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now
    if value.tzinfo is None:
        raise BadUserInput(
            "encounterAt needs a time zone offset.", extensions={"field": "encounterAt"}
        )
    if value > now + _FUTURE_TOLERANCE:
        raise BadUserInput(
            "encounterAt cannot be in the future.", extensions={"field": "encounterAt"}
        )
    return value


def _new_version(
    record: MedicalRecord, *, caller: Caller, changed: list[str], at: datetime, reason: str | None
) -> MedicalRecordVersion:
    return MedicalRecordVersion(
        record_id=record.id,
        version=record.version,
        patient_id=record.patient_id,
        status=record.status,
        encounter_at=record.encounter_at,
        content=record.content,
        changed_fields=changed,
        changed_by=caller.actor,
        changed_by_role=caller.role.value if caller.role else None,
        changed_at=at,
        reason=reason,
    )


async def create_record(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    content: Mapping[str, Any],
    appointment_id: uuid.UUID | None = None,
    encounter_at: datetime | None = None,
    reason: str | None = None,
) -> MedicalRecord:
    """Open an encounter's record (version 1), tied to an appointment of this patient or standalone."""
    caller.require_role(*WRITER_ROLES)
    reason = stated_reason(reason)
    snapshot = validate_content(dict(content))
    now = datetime.now(UTC)
    at = _encounter_time(encounter_at, now)
    await authorize_patient_access(
        session, caller, patient_id, purpose=AccessPurpose.CLINICAL_WRITE, reason=reason
    )
    if appointment_id is not None:
        parties = (await appointment_parties(session, [appointment_id])).get(appointment_id)
        if parties is None:
            raise NotFound("No such appointment.", extensions={"field": "appointmentId"})
        if parties.patient_id != patient_id:
            raise BadUserInput(
                "The appointment belongs to another patient.",
                extensions={"field": "appointmentId"},
            )
        taken = (
            await session.exec(
                select(MedicalRecord.id).where(MedicalRecord.appointment_id == appointment_id)
            )
        ).first()
        if taken is not None:
            raise Conflict(
                "This appointment already has a medical record.",
                extensions={"recordId": str(taken)},
            )
    record = MedicalRecord(
        patient_id=patient_id,
        appointment_id=appointment_id,
        encounter_at=at,
        status=RecordStatus.ACTIVE.value,
        version=1,
        content=snapshot.model_dump(mode="json"),
        created_at=now,
        created_by=caller.actor,
        updated_at=now,
        updated_by=caller.actor,
    )
    changed = changed_sections(None, snapshot)
    session.add(record)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent record for the same appointment won the race
        raise Conflict("This appointment already has a medical record.") from exc
    session.add(_new_version(record, caller=caller, changed=changed, at=now, reason=reason))
    await session.flush()
    doctor_id = await caller_doctor_id(session, caller) if caller.role is Role.DOCTOR else None
    if doctor_id is not None:
        await note_encounter(
            session, doctor_id=doctor_id, patient_id=patient_id, actor=caller.actor
        )
    await emit_record_changed(
        session,
        record=record,
        change=RecordChange.CREATED,
        changed_fields=changed,
        actor=caller.actor,
    )
    return record


async def _locked(
    session: AsyncSession, record_id: uuid.UUID, expected_version: int
) -> MedicalRecord:
    record = (
        await session.exec(
            select(MedicalRecord).where(MedicalRecord.id == record_id).with_for_update()
        )
    ).first()
    if record is None:
        raise NotFound("No such medical record.", extensions={"field": "recordId"})
    if record.version != expected_version:
        raise Conflict(
            f"The record changed meanwhile: it is at version {record.version}, "
            f"not {expected_version}. Reload it and apply your change again.",
            extensions={"currentVersion": record.version},
        )
    return record


async def update_record(
    session: AsyncSession,
    *,
    caller: Caller,
    record_id: uuid.UUID,
    expected_version: int,
    changes: Mapping[str, Any],
    encounter_at: datetime | None = None,
    reason: str | None = None,
) -> MedicalRecord:
    """Replace the given sections (``notes``, ``vitals``, ...) as a new version.

    ``expected_version`` is the version the author edited; a stale one is a CONFLICT, so two
    clinicians never overwrite each other. A change that changes nothing creates no version.
    """
    caller.require_role(*WRITER_ROLES)
    reason = stated_reason(reason)
    record = await _locked(session, record_id, expected_version)
    await authorize_patient_access(
        session, caller, record.patient_id, purpose=AccessPurpose.CLINICAL_WRITE, reason=reason
    )
    if record.status == RecordStatus.ARCHIVED.value:
        raise Conflict("An archived medical record cannot change.")
    before = RecordContent.model_validate(record.content)
    after = validate_content({**record.content, **changes})
    now = datetime.now(UTC)
    changed = changed_sections(before, after)
    new_time = record.encounter_at
    if encounter_at is not None:
        new_time = _encounter_time(encounter_at, now)
        if new_time != record.encounter_at:
            changed.append("encounterAt")
    if not changed:
        return record
    record.content = after.model_dump(mode="json")
    record.encounter_at = new_time
    return await _commit_version(
        session, record, caller, changed, now, reason, RecordChange.UPDATED
    )


async def archive_record(
    session: AsyncSession,
    *,
    caller: Caller,
    record_id: uuid.UUID,
    expected_version: int,
    reason: str,
) -> MedicalRecord:
    """Archive (soft-delete) a record with a stated reason; every version stays readable."""
    caller.require_role(*WRITER_ROLES)
    stated = stated_reason(reason, required=True)
    record = await _locked(session, record_id, expected_version)
    await authorize_patient_access(
        session, caller, record.patient_id, purpose=AccessPurpose.CLINICAL_WRITE, reason=stated
    )
    if record.status == RecordStatus.ARCHIVED.value:
        raise Conflict("The medical record is already archived.")
    record.status = RecordStatus.ARCHIVED.value
    return await _commit_version(
        session, record, caller, ["status"], datetime.now(UTC), stated, RecordChange.ARCHIVED
    )


async def _commit_version(
    session: AsyncSession,
    record: MedicalRecord,
    caller: Caller,
    changed: list[str],
    now: datetime,
    reason: str | None,
    change: RecordChange,
) -> MedicalRecord:
    record.version += 1
    record.updated_at = now
    record.updated_by = caller.actor
    session.add(record)
    session.add(_new_version(record, caller=caller, changed=changed, at=now, reason=reason))
    await session.flush()
    await emit_record_changed(
        session, record=record, change=change, changed_fields=changed, actor=caller.actor
    )
    return record


async def get_record(
    session: AsyncSession, *, caller: Caller, record_id: uuid.UUID, reason: str | None = None
) -> MedicalRecord:
    """One record the caller may read (the read is audited)."""
    return await read_patient_row(
        session,
        caller=caller,
        model=MedicalRecord,
        row_id=record_id,
        record_type="medical_record",
        reason=reason,
    )


_NEWEST_ENCOUNTER_FIRST: Keyset[MedicalRecord] = Keyset(
    columns=(MedicalRecord.encounter_at, MedicalRecord.id),
    parsers=(datetime.fromisoformat, uuid.UUID),
    key=lambda record: (record.encounter_at.isoformat(), record.id),
    descending=True,
)


async def records_of_patients(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_ids: Sequence[uuid.UUID],
    first: int | None = None,
    after: str | None = None,
    include_archived: bool = False,
    reason: str | None = None,
) -> dict[uuid.UUID, Page[MedicalRecord] | DomainError]:
    """Each patient's records, newest encounter first (one page each, batched), or the error refusing that patient."""
    query = select(MedicalRecord)
    if not include_archived:
        query = query.where(MedicalRecord.status == RecordStatus.ACTIVE.value)
    return await read_patient_pages(
        session,
        caller=caller,
        patient_ids=patient_ids,
        query=query,
        patient_column=MedicalRecord.patient_id,  # type: ignore[arg-type]  # a column of the table
        keyset=_NEWEST_ENCOUNTER_FIRST,
        record_type="medical_record",
        first=first,
        after=after,
        reason=reason,
    )


async def list_records(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    first: int | None = None,
    after: str | None = None,
    include_archived: bool = False,
    reason: str | None = None,
) -> Page[MedicalRecord]:
    """A patient's records, newest encounter first, ``first`` at a time after cursor ``after``."""
    pages = await records_of_patients(
        session,
        caller=caller,
        patient_ids=[patient_id],
        first=first,
        after=after,
        include_archived=include_archived,
        reason=reason,
    )
    return single(pages, patient_id)


async def record_history(
    session: AsyncSession, *, caller: Caller, record_id: uuid.UUID, reason: str | None = None
) -> list[MedicalRecordVersion]:
    """Every version of a record, oldest first: who changed what, when and why."""
    record = await get_record(session, caller=caller, record_id=record_id, reason=reason)
    versions = await session.exec(
        select(MedicalRecordVersion)
        .where(MedicalRecordVersion.record_id == record.id)
        .order_by(col(MedicalRecordVersion.version))
    )
    return list(versions.all())
