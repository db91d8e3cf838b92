"""The audit trail of reads: every access to a patient's data becomes an ``audit.access`` event.

HIPAA 164.312(b): audit controls recording reads as well as writes (who, which record, when, why).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.policy import AccessDecision
from subgraphs.common.audit import current_request_id, record_access_event
from subgraphs.common.context import Caller
from subgraphs.common.events.topics import AUDIT_ACCESS

__all__ = ["AUDIT_TOPIC", "AccessedRecord", "record_access"]

AUDIT_TOPIC = AUDIT_ACCESS.name


@dataclass(frozen=True, slots=True)
class AccessedRecord:
    """One record handed to the caller: its kind (``patient``, ``appointment``, ...) and ids."""

    record_type: str
    record_id: str
    patient_id: uuid.UUID


async def record_access(
    session: AsyncSession,
    caller: Caller,
    decisions: Iterable[AccessDecision],
    *,
    records: Sequence[AccessedRecord],
    action: str = "read",
) -> None:
    """Write one ``access.<action>`` event listing every record read and the decision behind it.

    Call it in the transaction that reads the records, after :func:`authorize_patient_access`;
    nothing is written when ``records`` is empty. One event per call (not per record) keeps a
    100-row page at a constant number of statements; the payload names every patient and record.
    """
    if not records:
        return
    wanted = {record.patient_id for record in records}
    by_patient = {d.patient_id: d for d in decisions if d.patient_id in wanted}
    missing = wanted - by_patient.keys()
    if missing:
        raise ValueError(f"records of patients without an access decision: {sorted(missing)}")
    await record_access_event(
        session,
        caller,
        type=f"access.{action}",
        request_id=current_request_id(),
        payload={
            "patients": [
                {
                    "patientId": str(d.patient_id),
                    "purpose": d.purpose.value,
                    "basis": d.basis.value,
                    "reason": d.reason,
                    "breakGlassGrantId": (
                        str(d.break_glass_grant_id) if d.break_glass_grant_id else None
                    ),
                }
                for d in by_patient.values()
            ],
            "records": [
                {"type": r.record_type, "id": r.record_id, "patientId": str(r.patient_id)}
                for r in records
            ],
        },
    )
