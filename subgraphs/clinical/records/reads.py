"""Audited reads of a patient's clinical rows: one row by id, or a patient's rows page by page.

Both (and the batch of pages of several patients) check access (CLINICAL_READ, with the caller's stated reason) and record the rows handed
out in the audit trail, in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from typing import TypeVar

from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.policy import (
    AccessPurpose,
    authorize_patient_access,
    authorize_patients_access,
    decisions_by_patient,
)
from subgraphs.clinical.pagination import Keyset, Page, paginate_groups
from subgraphs.clinical.validation import stated_reason
from subgraphs.common.context import Caller
from subgraphs.common.errors import DomainError, NotFound

__all__ = ["column_uuid", "read_patient_pages", "read_patient_row"]

R = TypeVar("R", bound=SQLModel)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def column_uuid(row: SQLModel, column: str) -> uuid.UUID:
    """``row.id`` or ``row.patient_id``: every table of a patient's clinical data has both."""
    value = getattr(row, column)
    if not isinstance(value, uuid.UUID):
        raise TypeError(f"{type(row).__name__}.{column} is not a UUID")
    return value


async def read_patient_row(
    session: AsyncSession,
    *,
    caller: Caller,
    model: type[R],
    row_id: uuid.UUID,
    record_type: str,
    reason: str | None = None,
) -> R:
    """The row ``row_id`` of ``model`` if the caller may read its patient's data."""
    reason = stated_reason(reason)
    row = await session.get(model, row_id)
    if row is None:
        raise NotFound(f"No such {record_type.replace('_', ' ')}.", extensions={"field": "id"})
    patient_id = column_uuid(row, "patient_id")
    record = AccessedRecord(record_type, str(row_id), patient_id)
    decision = await authorize_patient_access(
        session,
        caller,
        patient_id,
        purpose=AccessPurpose.CLINICAL_READ,
        reason=reason,
        target={"type": record_type, "id": str(row_id)},
    )
    await record_access(session, caller, [decision], records=[record])
    return row


async def read_patient_pages(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_ids: Sequence[uuid.UUID],
    query: SelectOfScalar[R],
    patient_column: InstrumentedAttribute[uuid.UUID],
    keyset: Keyset[R],
    record_type: str,
    first: int | None,
    after: str | None,
    reason: str | None,
) -> dict[uuid.UUID, Page[R] | DomainError]:
    """One page of ``query`` per patient in ``keyset`` order, or the error refusing that patient.

    Access to every patient is decided in one batch (refusals recorded as denials), the pages
    of the allowed ones read in one query, and every row handed out audited in one event.
    """
    reason = stated_reason(reason)
    outcomes = await authorize_patients_access(
        session,
        caller,
        patient_ids,
        purpose=AccessPurpose.CLINICAL_READ,
        reason=reason,
        target={"type": record_type},
    )
    decisions = decisions_by_patient(outcomes)
    pages = await paginate_groups(
        session,
        query,
        keyset,
        group=patient_column,
        groups=list(decisions),
        first=first,
        after=after,
    )
    await record_access(
        session,
        caller,
        decisions.values(),
        records=[
            AccessedRecord(record_type, str(column_uuid(row, "id")), patient_id)
            for patient_id, page in pages.items()
            for row in page.items
        ],
    )
    refused = {p: o for p, o in outcomes.items() if isinstance(o, DomainError)}
    return {patient_id: pages.get(patient_id) or refused[patient_id] for patient_id in patient_ids}
