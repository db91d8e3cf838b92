"""Report figures on a known synthetic ledger (see ``ledger.py``), and who may read them."""

from __future__ import annotations

from datetime import date

import pytest

from subgraphs.billing.reports import service
from subgraphs.billing.reports.service import (
    AgeingRow,
    Granularity,
    Period,
    RevenueRow,
)
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Forbidden, Unauthenticated
from tests.subgraphs.billing.reports.ledger import make_ledger
from tests.support.callers import make_caller

JAN_FEB = Period.of(date(2026, 1, 1), date(2026, 2, 28))


async def test_revenue_by_period_doctor_and_payer(database: Database, staff: Caller) -> None:
    ledger = await make_ledger(database, staff)
    async with database.session() as session:
        monthly = await service.revenue_by_period(
            session, caller=staff, period=JAN_FEB, granularity=Granularity.MONTH
        )
        by_payer = await service.revenue_by_payer(session, caller=staff, period=JAN_FEB)
        by_doctor = await service.revenue_by_doctor(session, caller=staff, period=JAN_FEB)
        daily = await service.revenue_by_period(
            session,
            caller=staff,
            period=Period.of(date(2026, 2, 5), date(2026, 2, 6)),
            granularity=Granularity.DAY,
        )
    assert monthly == [
        RevenueRow("2026-01-01", "GBP", 2, 22000, 12000),
        RevenueRow("2026-02-01", "EUR", 1, 3000, 0),
        RevenueRow("2026-02-01", "GBP", 2, 4000, 0),  # C 50.00 less its 10.00 credit note
    ]
    assert daily == [
        RevenueRow("2026-02-05", "GBP", 1, 5000, 0),
        RevenueRow("2026-02-06", "GBP", 1, -1000, 0),
    ]
    assert by_payer == [
        RevenueRow("Synthetic Mutual", "GBP", 1, 12000, 12000),
        RevenueRow("Self-pay", "GBP", 1, 10000, 0),
        RevenueRow("Acme Health", "GBP", 2, 4000, 0),
        RevenueRow("Synthetic Mutual", "EUR", 1, 3000, 0),
    ]
    assert by_doctor == [
        RevenueRow(str(ledger.doctor_1), "GBP", 2, 17000, None),
        RevenueRow(str(ledger.doctor_2), "GBP", 1, 10000, None),
        RevenueRow("unattributed", "EUR", 1, 3000, None),
        RevenueRow("unattributed", "GBP", 1, -1000, None),  # the credit note's line
    ]
    # Each grouping adds up to the same revenue.
    for rows in (by_payer, by_doctor):
        assert sum(r.billed_minor for r in rows) == sum(r.billed_minor for r in monthly)


async def test_receivables_ageing(database: Database, staff: Caller) -> None:
    await make_ledger(database, staff)
    async with database.session() as session:
        ageing = await service.receivables_ageing(session, caller=staff, as_of=date(2026, 5, 1))
    assert ageing == [
        AgeingRow("0-30", "EUR", 0, 0),
        AgeingRow("31-60", "EUR", 1, 3000),  # D: due 12 Mar, 50 days
        AgeingRow("61-90", "EUR", 0, 0),
        AgeingRow("90+", "EUR", 0, 0),
        AgeingRow("0-30", "GBP", 1, 7000),  # E: not yet due
        AgeingRow("31-60", "GBP", 1, 4000),  # C: due 7 Mar, 55 days, 50.00 - 10.00 credited
        AgeingRow("61-90", "GBP", 1, 10000),  # B: due 19 Feb, 71 days
        AgeingRow("90+", "GBP", 1, 1500),  # F: due 31 Dec 2025, 121 days
    ]


async def test_nothing_to_report_is_an_empty_report(database: Database, staff: Caller) -> None:
    async with database.session() as session:
        assert await service.receivables_ageing(session, caller=staff, as_of=date(2026, 5, 1)) == []
        assert await service.claims_by_status(session, caller=staff, period=JAN_FEB) == []


async def test_only_the_desk_reads_reports(database: Database, admin: Caller) -> None:
    async with database.session() as session:
        await service.revenue_by_payer(session, caller=admin, period=JAN_FEB)
        for role in (Role.DOCTOR, Role.PATIENT):
            with pytest.raises(Forbidden):
                await service.revenue_by_payer(session, caller=make_caller(role), period=JAN_FEB)
        with pytest.raises(Unauthenticated):
            await service.receivables_ageing(
                session, caller=Caller.anonymous(), as_of=date(2026, 5, 1)
            )
        without_scope = make_caller(Role.STAFF, scopes=["profile:read"])
        with pytest.raises(Forbidden, match="billing:read"):
            await service.claims_by_status(session, caller=without_scope, period=JAN_FEB)


def test_periods_are_checked() -> None:
    with pytest.raises(BadUserInput, match="ends before"):
        Period.of(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(BadUserInput, match="three years"):
        Period.of(date(2020, 1, 1), date(2026, 1, 1))
