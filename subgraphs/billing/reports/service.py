"""Billing reports for the desk (ADMIN and STAFF with ``billing:read``): revenue by period, doctor
and payer, accounts receivable ageing, claims by status.

Revenue sums :func:`subgraphs.billing.reports.revenue.revenue_source`; every figure is an integer
of the currency's minor unit, one row per currency (amounts in different currencies never add up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Executable, Integer, String, and_, case, cast, func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.claims.models import Claim, ClaimStatus
from subgraphs.billing.invoices.models import OPEN_STATUSES, Invoice, InvoiceKind, InvoiceLine
from subgraphs.billing.reports.revenue import revenue_source
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput
from subgraphs.common.tokens.rules import ScopeRule
from subgraphs.common.tokens.scopes import Scope

__all__ = [
    "AGEING_BUCKETS",
    "READ_REPORTS",
    "AgeingRow",
    "ClaimStatusRow",
    "Granularity",
    "Period",
    "RevenueRow",
    "claims_by_status",
    "receivables_ageing",
    "require_reports",
    "revenue_by_doctor",
    "revenue_by_payer",
    "revenue_by_period",
]

READ_REPORTS = ScopeRule(Scope.BILLING_READ)
MAX_PERIOD_DAYS = 3 * 366 + 1
# (label, first day, last day or None): days past due, by the invoice's due date.
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO weeks, starting on Monday
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start`` to ``end``, both included (UTC)."""

    start: date
    end: date

    @classmethod
    def of(cls, start: date, end: date) -> Period:
        if end < start:
            raise BadUserInput("The period ends before it starts.", extensions={"field": "to"})
        if (end - start).days > MAX_PERIOD_DAYS:
            raise BadUserInput("A report covers at most three years.", extensions={"field": "to"})
        return cls(start, end)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time.min, UTC),
            datetime.combine(self.end + timedelta(days=1), time.min, UTC),
        )


@dataclass(frozen=True, slots=True)
class RevenueRow:
    """Revenue of one group (a period's first day, a doctor's id, a payer) in one currency."""

    key: str
    currency: str
    documents: int  # invoices and credit notes booked
    billed_minor: int
    collected_minor: int | None  # None where payments are not attributable (per doctor)


@dataclass(frozen=True, slots=True)
class AgeingRow:
    bucket: str
    currency: str
    invoices: int
    outstanding_minor: int


@dataclass(frozen=True, slots=True)
class ClaimStatusRow:
    status: ClaimStatus
    currency: str
    claims: int
    amount_minor: int


def require_reports(caller: Caller) -> None:
    """ADMIN or STAFF holding ``billing:read``; UNAUTHENTICATED or FORBIDDEN otherwise."""
    READ_REPORTS.require(caller)
    caller.require_role(Role.ADMIN, Role.STAFF)


async def _rows(session: AsyncSession, statement: Executable) -> list[tuple[Any, ...]]:
    """The rows of an aggregate ``statement`` (plain SQLAlchemy: more columns than SQLModel types)."""
    connection = await session.connection()
    return [tuple(row) for row in (await connection.execute(statement)).all()]


def _within(column: Any, period: Period) -> ColumnElement[bool]:
    start, end = period.bounds
    return and_(column >= start, column < end)


async def revenue_by_period(
    session: AsyncSession, *, caller: Caller, period: Period, granularity: Granularity
) -> list[RevenueRow]:
    """Billed and collected per day, ISO week or month of booking (UTC), oldest first."""
    require_reports(caller)
    source = revenue_source()
    bucket = func.date_trunc(granularity.value, func.timezone("UTC", source.c.booked_at))
    rows = await _rows(
        session,
        select(
            bucket,
            source.c.currency,
            func.count(),
            func.sum(source.c.billed_minor),
            func.sum(source.c.collected_minor),
        )
        .where(_within(source.c.booked_at, period))
        .group_by(bucket, source.c.currency)
        .order_by(bucket, source.c.currency),
    )
    return [
        RevenueRow(start.date().isoformat(), currency, count, int(billed), int(collected))
        for start, currency, count, billed, collected in rows
    ]


async def revenue_by_payer(
    session: AsyncSession, *, caller: Caller, period: Period
) -> list[RevenueRow]:
    """Billed and collected per payer (the account's insurer, or Self-pay), largest first."""
    require_reports(caller)
    source = revenue_source()
    billed = func.sum(source.c.billed_minor)
    rows = await _rows(
        session,
        select(
            source.c.payer,
            source.c.currency,
            func.count(),
            billed,
            func.sum(source.c.collected_minor),
        )
        .where(_within(source.c.booked_at, period))
        .group_by(source.c.payer, source.c.currency)
        .order_by(billed.desc(), source.c.payer, source.c.currency),
    )
    return [
        RevenueRow(payer, currency, count, int(total), int(collected))
        for payer, currency, count, total, collected in rows
    ]


async def revenue_by_doctor(
    session: AsyncSession, *, caller: Caller, period: Period
) -> list[RevenueRow]:
    """Billed per doctor (the lines of their appointments; ``unattributed`` for other lines)."""
    require_reports(caller)
    source = revenue_source()
    sign = case((source.c.billed_minor < 0, -1), else_=1)
    doctor = func.coalesce(cast(col(InvoiceLine.doctor_id), String), "unattributed")
    billed = func.sum(sign * col(InvoiceLine.total_minor))
    rows = await _rows(
        session,
        select(doctor, source.c.currency, func.count(func.distinct(source.c.document_id)), billed)
        .join(InvoiceLine, col(InvoiceLine.invoice_id) == source.c.document_id)
        .where(_within(source.c.booked_at, period))
        .group_by(doctor, source.c.currency)
        .order_by(billed.desc(), doctor, source.c.currency),
    )
    return [
        RevenueRow(str(key), currency, count, int(total), None)
        for key, currency, count, total in rows
    ]


async def receivables_ageing(
    session: AsyncSession, *, caller: Caller, as_of: date
) -> list[AgeingRow]:
    """What open invoices still owe on ``as_of``, by days past due (0-30 includes not yet due)."""
    require_reports(caller)
    due_day = func.date(func.timezone("UTC", func.coalesce(Invoice.due_at, Invoice.issued_at)))
    days = cast(as_of - due_day, Integer)
    label = case(
        *((days <= last, name) for name, _, last in AGEING_BUCKETS if last is not None),
        else_=AGEING_BUCKETS[-1][0],
    )
    outstanding = col(Invoice.total_minor) - col(Invoice.paid_minor) - col(Invoice.credited_minor)
    cutoff = datetime.combine(as_of + timedelta(days=1), time.min, UTC)
    rows = await _rows(
        session,
        select(label, col(Invoice.currency), func.count(), func.sum(outstanding))
        .where(
            col(Invoice.kind) == InvoiceKind.INVOICE,
            col(Invoice.status).in_(list(OPEN_STATUSES)),
            col(Invoice.issued_at) < cutoff,
            outstanding > 0,
        )
        .group_by(label, col(Invoice.currency)),
    )
    found = {(bucket, currency): (count, int(total)) for bucket, currency, count, total in rows}
    currencies = sorted({currency for _, currency in found})
    return [
        AgeingRow(name, currency, *found.get((name, currency), (0, 0)))
        for currency in currencies
        for name, _, _ in AGEING_BUCKETS
    ]


async def claims_by_status(
    session: AsyncSession, *, caller: Caller, period: Period
) -> list[ClaimStatusRow]:
    """Claims submitted in ``period``, counted and summed by their current status."""
    require_reports(caller)
    rows = await _rows(
        session,
        select(col(Claim.status), col(Claim.currency), func.count(), func.sum(Claim.amount_minor))
        .where(_within(col(Claim.submitted_at), period))
        .group_by(col(Claim.status), col(Claim.currency)),
    )
    found = {(status, currency): (count, int(total)) for status, currency, count, total in rows}
    currencies = sorted({currency for _, currency in found})
    return [
        ClaimStatusRow(status, currency, *found.get((status, currency), (0, 0)))
        for currency in currencies
        for status in ClaimStatus
    ]
