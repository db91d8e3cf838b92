"""The audit trail of billing reads: every invoice read becomes an ``access.read`` event.

HIPAA 164.312(b): reads are audited as well as writes; the events join clinical's on
``audit.access`` (same shape: the patients reached and the records read).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.policy import Reach
from subgraphs.common.audit import current_request_id, record_access_event
from subgraphs.common.context import Caller

__all__ = ["record_reads"]


async def record_reads(
    session: AsyncSession,
    caller: Caller,
    reach: Reach,
    records: Sequence[tuple[str, uuid.UUID, uuid.UUID]],
) -> None:
    """One ``access.read`` event for ``records`` (kind, id, patient id); nothing when empty."""
    if not records:
        return
    patients = dict.fromkeys(patient_id for _, _, patient_id in records)
    await record_access_event(
        session,
        caller,
        type="access.read",
        request_id=current_request_id(),
        payload={
            "patients": [
                {"patientId": str(p), "purpose": "BILLING", "basis": f"BILLING_{reach.name}"}
                for p in patients
            ],
            "records": [
                {"type": kind, "id": str(record_id), "patientId": str(patient_id)}
                for kind, record_id, patient_id in records
            ],
        },
    )
