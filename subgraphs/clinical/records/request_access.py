"""Entity lookups batched per request: N rows cost one load, one access check and one audit event."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.clinical.records.access import Purpose, ReadRecord, authorize_patients, record_reads
from subgraphs.common.context import RequestContext
from subgraphs.common.errors import DomainError, NotFound

__all__ = ["PatientOwned", "authorized_loader"]


class PatientOwned(Protocol):
    """A row of some patient's clinical data."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def patient_id(self) -> uuid.UUID: ...


R = TypeVar("R", bound=PatientOwned)


def authorized_loader(
    context: RequestContext,
    *,
    record_type: str,
    load: Callable[[AsyncSession, list[uuid.UUID]], Awaitable[dict[uuid.UUID, R]]],
    purpose: Purpose = Purpose.CLINICAL_READ,
) -> DataLoader[uuid.UUID, R]:
    """The request's DataLoader of ``record_type`` rows the caller may read.

    One batch loads every requested row, decides access for their distinct patients at once,
    records one ``audit.access`` event for the rows handed out, and answers each key with its
    row, NOT_FOUND, or the policy's FORBIDDEN/NOT_FOUND, all in one transaction.
    """

    async def batch(ids: list[uuid.UUID]) -> Sequence[R | BaseException]:
        async with context.database.transaction() as session:
            rows = await load(session, ids)
            outcomes = await authorize_patients(
                session, context.caller, {row.patient_id for row in rows.values()}, purpose=purpose
            )
            granted = [
                row
                for row in rows.values()
                if not isinstance(outcomes[row.patient_id], DomainError)
            ]
            await record_reads(
                session,
                context.caller,
                [outcomes[patient_id] for patient_id in {row.patient_id for row in granted}],
                [ReadRecord(record_type, row.id, row.patient_id) for row in granted],
            )
        answers: list[R | BaseException] = []
        for key in ids:
            row = rows.get(key)
            outcome = outcomes.get(row.patient_id) if row is not None else None
            if row is None:
                answers.append(NotFound(f"No such {record_type.replace('_', ' ')}."))
            elif isinstance(outcome, DomainError):
                answers.append(outcome)
            else:
                answers.append(row)
        return answers

    return context.loaders.get(("clinical.authorized", record_type, purpose), batch)
