"""Entity lookups batched per request: N rows cost one load, one access check and one audit event."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.policy import (
    AccessPurpose,
    authorize_patients_access,
    decisions_by_patient,
)
from subgraphs.clinical.access.scopes import ScopeRule
from subgraphs.clinical.loaders import load_batched
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import DomainError, NotFound

__all__ = ["PatientOwned", "load_authorized"]


class PatientOwned(Protocol):
    """A row of some patient's clinical data."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def patient_id(self) -> uuid.UUID: ...


R = TypeVar("R", bound=PatientOwned)


async def load_authorized(
    context: RequestContext,
    row_id: uuid.UUID,
    *,
    record_type: str,
    load: Callable[[AsyncSession, list[uuid.UUID]], Awaitable[dict[uuid.UUID, R]]],
    scopes: ScopeRule,
    purpose: AccessPurpose = AccessPurpose.CLINICAL_READ,
) -> R:
    """The ``record_type`` row ``row_id``, batched with the request's other lookups of it.

    One batch loads every requested row, decides access for their distinct patients at once,
    records one ``audit.access`` event for the rows handed out, and answers each key with its
    row, NOT_FOUND, or the policy's FORBIDDEN/NOT_FOUND, all in one transaction.
    """

    async def fetch(
        session: AsyncSession, caller: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, R | BaseException]:
        rows = await load(session, ids)
        outcomes = await authorize_patients_access(
            session, caller, {row.patient_id for row in rows.values()}, purpose=purpose
        )
        granted = decisions_by_patient(outcomes)
        await record_access(
            session,
            caller,
            granted.values(),
            records=[
                AccessedRecord(record_type, str(row.id), row.patient_id)
                for row in rows.values()
                if row.patient_id in granted
            ],
        )
        answers: dict[uuid.UUID, R | BaseException] = {}
        for key in ids:
            row = rows.get(key)
            if row is None:
                answers[key] = NotFound(f"No such {record_type.replace('_', ' ')}.")
                continue
            outcome = outcomes[row.patient_id]
            answers[key] = outcome if isinstance(outcome, DomainError) else row
        return answers

    return await load_batched(
        context, f"authorized.{record_type}.{purpose}", fetch, row_id, scopes=scopes
    )
