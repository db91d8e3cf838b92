"""Entity lookups batched per request: N rows cost one load, one access check and one audit event."""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.policy import (
    AccessPurpose,
    authorize_patients_access,
    decisions_by_patient,
)
from subgraphs.clinical.records.reads import column_uuid
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import DomainError, NotFound
from subgraphs.common.loaders import load_batched
from subgraphs.common.tokens.rules import ScopeRule

__all__ = ["load_authorized"]


R = TypeVar("R", bound=SQLModel)


async def load_authorized(
    context: RequestContext,
    row_id: uuid.UUID,
    *,
    model: type[R],
    record_type: str,
    scopes: ScopeRule,
    purpose: AccessPurpose = AccessPurpose.CLINICAL_READ,
) -> R:
    """The ``model`` row ``row_id`` (audited as ``record_type``), batched with the request's
    other lookups of that model.

    One batch loads every requested row in one query, decides access for their distinct
    patients at once, records one ``audit.access`` event for the rows handed out, and answers
    each key with its row, NOT_FOUND, or the policy's FORBIDDEN/NOT_FOUND, in one transaction.
    """

    async def fetch(
        session: AsyncSession, caller: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, R | BaseException]:
        found = await session.exec(select(model).where(col(getattr(model, "id")).in_(ids)))  # noqa: B009 (every clinical table has an id)
        rows = {column_uuid(row, "id"): row for row in found.all()}
        patients = {key: column_uuid(row, "patient_id") for key, row in rows.items()}
        outcomes = await authorize_patients_access(
            session, caller, set(patients.values()), purpose=purpose, target={"type": record_type}
        )
        granted = decisions_by_patient(outcomes)
        await record_access(
            session,
            caller,
            granted.values(),
            records=[
                AccessedRecord(record_type, str(key), patient)
                for key, patient in patients.items()
                if patient in granted
            ],
        )
        answers: dict[uuid.UUID, R | BaseException] = {}
        for key in ids:
            row = rows.get(key)
            if row is None:
                answers[key] = NotFound(f"No such {record_type.replace('_', ' ')}.")
                continue
            outcome = outcomes[patients[key]]
            answers[key] = outcome if isinstance(outcome, DomainError) else row
        return answers

    return await load_batched(
        context, f"authorized.{record_type}.{purpose}", fetch, row_id, scopes=scopes
    )
