"""The entry point other clinical domains call: check access to one patient's data, and audit it.

Records, prescriptions and live subscriptions call :func:`authorize_and_record` before
touching a patient's data; it applies :mod:`~subgraphs.clinical.access.policy` and writes the
``access.read``/``access.write`` event (topic ``audit.access``) in the caller's transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.policy import AccessDecision, AccessPurpose, authorize_patient_access
from subgraphs.common.context import Caller

__all__ = ["authorize_and_record"]

_RECORD_TYPES = {
    AccessPurpose.DEMOGRAPHICS: "patient",
    AccessPurpose.APPOINTMENTS: "appointment",
    AccessPurpose.CLINICAL_READ: "medical_record",
    AccessPurpose.CLINICAL_WRITE: "medical_record",
    AccessPurpose.PRESCRIBE: "prescription",
}


async def authorize_and_record(
    session: AsyncSession,
    caller: Caller,
    patient_id: uuid.UUID,
    *,
    purpose: AccessPurpose | str,
    reason: str | None = None,
    record_type: str | None = None,
    record_id: str | None = None,
    audit: bool = True,
    now: datetime | None = None,
) -> AccessDecision:
    """Allow ``caller`` to use ``patient_id``'s data for ``purpose`` and record it, or raise.

    ``purpose`` is an :class:`AccessPurpose` or an action name such as ``medical_record.read``
    (whose first part becomes the audited record type). ``reason`` is the caller's stated
    purpose of use. Raises ``Unauthenticated``, ``NotFound`` (unknown patient, or someone else's
    for a PATIENT) or ``Forbidden`` (``extensions.breakGlassAvailable`` when break-glass would
    allow it). With ``audit`` (the default) one ``access.read``/``access.write`` event naming
    ``record_type``/``record_id`` (default: the patient) is written in ``session``'s transaction.
    """
    requested = purpose.value if isinstance(purpose, AccessPurpose) else purpose
    canonical = AccessPurpose(purpose)
    kind, _, action = requested.partition(".")
    record = AccessedRecord(
        record_type or (kind if action else _RECORD_TYPES[canonical]),
        record_id or str(patient_id),
        patient_id,
    )
    decision = await authorize_patient_access(
        session,
        caller,
        patient_id,
        purpose=canonical,
        reason=reason,
        now=now,
        target={"type": record.record_type, "id": record.record_id},
    )
    if audit:
        await record_access(
            session,
            caller,
            [decision],
            records=[record],
            action=action or ("read" if canonical.reads else "write"),
        )
    return decision
