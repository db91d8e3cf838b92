"""Reports as files: ``GET /reports/<report>.csv`` or ``.pdf`` with the caller's bearer token.

Query parameters: ``from`` and ``to`` (days, UTC, both included; default the current month),
``granularity`` (day, week, month) for revenue-by-period, ``asOf`` for receivables-ageing.
The desk only (ADMIN and STAFF): others get 401 UNAUTHENTICATED or 403 FORBIDDEN as JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.reports import service
from subgraphs.billing.reports.export import render_csv, render_pdf
from subgraphs.billing.reports.service import Granularity, Period
from subgraphs.billing.reports.tables import (
    ReportTable,
    ageing_table,
    claims_table,
    revenue_table,
)
from subgraphs.common.app import caller_of
from subgraphs.common.context import Caller
from subgraphs.common.errors import BadUserInput, NotFound
from subgraphs.common.state import ServiceState

__all__ = ["REPORTS", "ReportAsk", "ReportName", "build_report", "report_csv", "reports_router"]


class ReportName(StrEnum):
    """The reports, by their file names."""

    REVENUE_BY_PERIOD = "revenue-by-period"
    REVENUE_BY_DOCTOR = "revenue-by-doctor"
    REVENUE_BY_PAYER = "revenue-by-payer"
    RECEIVABLES_AGEING = "receivables-ageing"
    CLAIMS_BY_STATUS = "claims-by-status"


class ReportAsk:
    """What a download asked for."""

    def __init__(self, period: Period, granularity: Granularity, as_of: date) -> None:
        self.period = period
        self.granularity = granularity
        self.as_of = as_of

    @classmethod
    def of(
        cls,
        *,
        start: date | None,
        end: date | None,
        granularity: Granularity = Granularity.MONTH,
        as_of: date | None = None,
    ) -> ReportAsk:
        """The period defaults to the current month so far, ``as_of`` to today (UTC)."""
        today = datetime.now(UTC).date()
        return cls(
            Period.of(start or today.replace(day=1), end or today), granularity, as_of or today
        )

    @property
    def span(self) -> str:
        return f"{self.period.start.isoformat()} to {self.period.end.isoformat()}"


Build = Callable[[AsyncSession, Caller, ReportAsk], Awaitable[ReportTable]]


async def _by_period(session: AsyncSession, caller: Caller, ask: ReportAsk) -> ReportTable:
    rows = await service.revenue_by_period(
        session, caller=caller, period=ask.period, granularity=ask.granularity
    )
    return revenue_table(f"Revenue by {ask.granularity.value}", ask.span, "Period", rows)


async def _by_doctor(session: AsyncSession, caller: Caller, ask: ReportAsk) -> ReportTable:
    rows = await service.revenue_by_doctor(session, caller=caller, period=ask.period)
    return revenue_table("Revenue by doctor", ask.span, "Doctor", rows)


async def _by_payer(session: AsyncSession, caller: Caller, ask: ReportAsk) -> ReportTable:
    rows = await service.revenue_by_payer(session, caller=caller, period=ask.period)
    return revenue_table("Revenue by payer", ask.span, "Payer", rows)


async def _ageing(session: AsyncSession, caller: Caller, ask: ReportAsk) -> ReportTable:
    rows = await service.receivables_ageing(session, caller=caller, as_of=ask.as_of)
    return ageing_table(f"As of {ask.as_of.isoformat()}", rows)


async def _claims(session: AsyncSession, caller: Caller, ask: ReportAsk) -> ReportTable:
    rows = await service.claims_by_status(session, caller=caller, period=ask.period)
    return claims_table(f"Submitted {ask.span}", rows)


REPORTS: dict[str, Build] = {
    ReportName.REVENUE_BY_PERIOD: _by_period,
    ReportName.REVENUE_BY_DOCTOR: _by_doctor,
    ReportName.REVENUE_BY_PAYER: _by_payer,
    ReportName.RECEIVABLES_AGEING: _ageing,
    ReportName.CLAIMS_BY_STATUS: _claims,
}
_MEDIA = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


async def build_report(
    session: AsyncSession, caller: Caller, name: str, ask: ReportAsk
) -> ReportTable:
    """The named report's table for ``caller`` (who must be at the desk)."""
    build = REPORTS.get(name)
    if build is None:
        raise NotFound(f"No report {name!r}; reports: {', '.join(REPORTS)}.")
    return await build(session, caller, ask)


async def report_csv(session: AsyncSession, *, caller: Caller, name: str, ask: ReportAsk) -> bytes:
    """The named report as CSV: what ``GET /reports/<name>.csv`` answers."""
    service.require_reports(caller)
    return render_csv(await build_report(session, caller, name, ask))


def reports_router() -> APIRouter:
    """``GET /reports/{report}.{csv|pdf}`` on the billing app."""
    router = APIRouter()

    @router.get("/reports/{filename}", include_in_schema=False)
    async def download(
        request: Request,
        filename: str,
        from_: Annotated[date | None, Query(alias="from")] = None,
        to: date | None = None,
        granularity: Granularity = Granularity.MONTH,
        as_of: Annotated[date | None, Query(alias="asOf")] = None,
    ) -> Response:
        name, _, kind = filename.rpartition(".")
        if kind not in _MEDIA:
            raise BadUserInput("Ask for a .csv or a .pdf.", extensions={"field": "format"})
        state: ServiceState = request.app.state.service
        caller = await caller_of(state, request.headers.get("authorization"))
        service.require_reports(caller)  # before touching the database
        ask = ReportAsk.of(start=from_, end=to, granularity=granularity, as_of=as_of)
        async with state.database.session() as session:
            table = await build_report(session, caller, name, ask)
        settings = request.app.state.service.settings  # the billing service's: InvoiceSettings
        printing = settings if isinstance(settings, InvoiceSettings) else InvoiceSettings()
        body = (
            render_csv(table)
            if kind == "csv"
            else await run_in_threadpool(
                functools.partial(
                    render_pdf, table, hospital=printing.hospital_name, font=printing.pdf_font
                )
            )
        )
        return Response(
            body,
            media_type=_MEDIA[kind],
            headers={
                "content-disposition": f'attachment; filename="{name}.{kind}"',
                "cache-control": "no-store",
            },
        )

    return router
