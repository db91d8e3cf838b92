"""One batch of account-owned rows by id, each answered as the row rules allow.

Invoices and claims (anything belonging to a billing account) load through :func:`answer_by_id`:
NOT_FOUND for unknown ids, the row for ids the caller may read whole (one ``access.read`` event
for them), and one recorded ``access.denied`` (FORBIDDEN) for the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.audit import record_reads
from subgraphs.billing.access.policy import Reach, can_read_account, reach_of, refuse
from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.common.context import Caller
from subgraphs.common.errors import NotFound

__all__ = ["OwnedRow", "answer_by_id", "load_readable"]


class OwnedRow(Protocol):
    """A row of one patient's billing account."""

    @property
    def patient_id(self) -> uuid.UUID: ...


class _AccountRow(OwnedRow, Protocol):
    """A table row with its own id that hangs off a billing account (an invoice, a claim)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def account_id(self) -> uuid.UUID: ...


R = TypeVar("R", bound=OwnedRow)
A = TypeVar("A", bound=_AccountRow)


async def load_readable(
    session: AsyncSession,
    caller: Caller,
    *,
    model: type[A],
    ids: Sequence[uuid.UUID],
    kind: str,
) -> dict[uuid.UUID, A | BaseException]:
    """Each ``model`` row by id that ``caller`` may read, in one query; NOT_FOUND or FORBIDDEN
    (recorded) per id. Reads are audited (``_entities`` and single lookups load through it)."""
    reach = reach_of(caller)
    table: Any = model  # a SQLModel table: its columns are class attributes
    rows = (
        await session.exec(
            select(table, BillingAccount)
            .join(BillingAccount, col(BillingAccount.id) == col(table.account_id))
            .where(col(table.id).in_(list(ids)))
        )
    ).all()
    found: dict[uuid.UUID, tuple[A, BillingAccount]] = {
        row.id: (row, account) for row, account in rows
    }
    return await answer_by_id(session, caller, reach, ids=ids, found=found, kind=kind)


async def answer_by_id(
    session: AsyncSession,
    caller: Caller,
    reach: Reach,
    *,
    ids: Sequence[uuid.UUID],
    found: Mapping[uuid.UUID, tuple[R, BillingAccount]],
    kind: str,
) -> dict[uuid.UUID, R | BaseException]:
    """``ids`` answered from ``found`` (row and account by id) for ``caller`` of ``reach``."""
    answers: dict[uuid.UUID, R | BaseException] = {}
    refused: list[uuid.UUID] = []
    for key in ids:
        pair = found.get(key)
        if pair is None:
            answers[key] = NotFound(f"No such {kind.lower()}.")
        elif can_read_account(caller, reach, pair[1].patient_user_id):
            answers[key] = pair[0]
        else:
            refused.append(key)
    await record_reads(
        session,
        caller,
        reach,
        [
            (kind.lower(), key, found[key][0].patient_id)
            for key, answer in answers.items()
            if not isinstance(answer, BaseException)
        ],
    )
    if refused:
        error = await refuse(
            session,
            caller,
            reach,
            patient_ids=tuple(dict.fromkeys(found[key][0].patient_id for key in refused)),
            target={"type": kind, "ids": ",".join(str(key) for key in refused)[:500]},
        )
        answers.update(dict.fromkeys(refused, error))
    return answers
