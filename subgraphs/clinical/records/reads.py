"""Audited reads of a patient's clinical rows: one row by id, or a patient's rows page by page.

Both check access (CLINICAL_READ, with the caller's stated reason) and record the rows handed
out in the audit trail, in the caller's transaction.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.policy import AccessPurpose, authorize_patient_access
from subgraphs.clinical.pagination import Keyset, Page, paginate
from subgraphs.clinical.validation import stated_reason
from subgraphs.common.context import Caller
from subgraphs.common.errors import NotFound

__all__ = ["column_uuid", "read_patient_page", "read_patient_row"]

R = TypeVar("R", bound=SQLModel)


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


async def read_patient_page(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    query: SelectOfScalar[R],
    keyset: Keyset[R],
    record_type: str,
    first: int | None,
    after: str | None,
    reason: str | None,
) -> Page[R]:
    """One page of ``query`` (a patient's rows) in ``keyset`` order; every row read is audited."""
    reason = stated_reason(reason)
    decision = await authorize_patient_access(
        session,
        caller,
        patient_id,
        purpose=AccessPurpose.CLINICAL_READ,
        reason=reason,
        target={"type": record_type},
    )
    page = await paginate(session, query, keyset, first=first, after=after)
    await record_access(
        session,
        caller,
        [decision],
        records=[
            AccessedRecord(record_type, str(column_uuid(row, "id")), patient_id)
            for row in page.items
        ],
    )
    return page
