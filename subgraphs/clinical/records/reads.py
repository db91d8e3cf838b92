"""Audited reads of a patient's clinical rows: one row by id, or a patient's rows page by page.

Both check access (CLINICAL_READ, with the caller's stated reason) and record the rows handed
out in the audit trail, in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import tuple_
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.clinical.records.access import Purpose, ReadRecord, authorize_patient, record_reads
from subgraphs.clinical.records.pagination import Page, check_page_size, decode_cursor, page_of
from subgraphs.common.context import Caller
from subgraphs.common.errors import BadUserInput, NotFound

__all__ = ["MAX_REASON", "check_reason", "read_patient_page", "read_patient_row"]

MAX_REASON = 1000

R = TypeVar("R", bound=SQLModel)


def check_reason(reason: str | None, *, required: bool = False) -> str | None:
    """A stated reason, trimmed; BAD_USER_INPUT when too long, or missing where required."""
    cleaned = reason.strip() if reason else None
    if required and not cleaned:
        raise BadUserInput("A reason is required.", extensions={"argument": "reason"})
    if cleaned and len(cleaned) > MAX_REASON:
        raise BadUserInput(
            f"The reason is longer than {MAX_REASON} characters.", extensions={"argument": "reason"}
        )
    return cleaned or None


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
    reason = check_reason(reason)
    row = await session.get(model, row_id)
    if row is None:
        raise NotFound(f"No such {record_type.replace('_', ' ')}.", extensions={"argument": "id"})
    patient_id: uuid.UUID = getattr(row, "patient_id")  # noqa: B009 (every clinical row has one)
    grant = await authorize_patient(
        session, caller, patient_id, purpose=Purpose.CLINICAL_READ, reason=reason
    )
    await record_reads(session, caller, [grant], [ReadRecord(record_type, row_id, patient_id)])
    return row


async def read_patient_page(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    query: SelectOfScalar[R],
    order: tuple[Any, Any],
    key: Callable[[R], tuple[datetime, uuid.UUID]],
    record_type: str,
    first: int,
    after: str | None,
    reason: str | None,
) -> Page[R]:
    """One page of ``query`` (a patient's rows) newest first by ``order`` (timestamp, id)."""
    reason = check_reason(reason)
    check_page_size(first)
    grant = await authorize_patient(
        session, caller, patient_id, purpose=Purpose.CLINICAL_READ, reason=reason
    )
    if after is not None:
        cursor = decode_cursor(after)
        query = query.where(tuple_(*order) < tuple_(cursor.at, cursor.id))
    query = query.order_by(order[0].desc(), order[1].desc()).limit(first + 1)
    page = page_of((await session.exec(query)).all(), first, key)
    await record_reads(
        session,
        caller,
        [grant],
        [ReadRecord(record_type, key(row)[1], patient_id) for row in page.items],
    )
    return page
