"""The ``record.changed`` event (topic ``clinical.records``): which record changed, never its content."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.records.models import MedicalRecord
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import CLINICAL_RECORDS
from subgraphs.common.outbox import record_event

__all__ = ["RECORDS_TOPIC", "RECORD_CHANGED", "RecordChange", "emit_record_changed"]

RECORDS_TOPIC = CLINICAL_RECORDS.name
RECORD_CHANGED = "record.changed"


class RecordChange(StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    ARCHIVED = "ARCHIVED"


async def emit_record_changed(
    session: AsyncSession,
    *,
    record: MedicalRecord,
    change: RecordChange,
    changed_fields: list[str],
    actor: str,
) -> EventEnvelope:
    """Write ``record.changed`` into the outbox, in ``session``'s transaction.

    The payload names the record, its patient and the sections that changed, and carries no
    clinical content: subscribers load what they may see through the access rules.
    """
    return await record_event(
        session,
        topic=RECORDS_TOPIC,
        type=RECORD_CHANGED,
        aggregate_type="MedicalRecord",
        aggregate_id=str(record.id),
        actor=actor,
        payload={
            "recordId": str(record.id),
            "patientId": str(record.patient_id),
            "appointmentId": str(record.appointment_id) if record.appointment_id else None,
            "version": record.version,
            "status": record.status,
            "change": change.value,
            "changedFields": changed_fields,
        },
    )
