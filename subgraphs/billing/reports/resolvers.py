"""Report queries (``ReportQuery``): ADMIN and STAFF only, enforced in the service."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry

from subgraphs.billing.reports import downloads, service
from subgraphs.billing.reports.downloads import ReportAsk, ReportName
from subgraphs.billing.reports.service import Granularity, Period
from subgraphs.billing.reports.types import (
    AgeingRowType,
    ClaimStatusRowType,
    ReportFileType,
    RevenueRowType,
)
from subgraphs.common.audit import serve
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded

__all__ = ["ReportQuery"]

Info = strawberry.Info[RequestContext, None]
From = Annotated[date, strawberry.argument(name="from", description="First day (UTC).")]
To = Annotated[date, strawberry.argument(description="Last day, included (UTC).")]


@strawberry.type
class ReportQuery:
    @guarded(service.READ_REPORTS, description="Revenue per day, ISO week or month (desk only).")
    async def revenue_by_period(
        self, info: Info, from_: From, to: To, granularity: Granularity = Granularity.MONTH
    ) -> list[RevenueRowType]:
        rows = await serve(
            info.context,
            service.revenue_by_period,
            period=Period.of(from_, to),
            granularity=granularity,
        )
        return [RevenueRowType.of(row) for row in rows]

    @guarded(service.READ_REPORTS, description="Revenue per doctor (desk only).")
    async def revenue_by_doctor(self, info: Info, from_: From, to: To) -> list[RevenueRowType]:
        rows = await serve(info.context, service.revenue_by_doctor, period=Period.of(from_, to))
        return [RevenueRowType.of(row) for row in rows]

    @guarded(service.READ_REPORTS, description="Revenue per payer (desk only).")
    async def revenue_by_payer(self, info: Info, from_: From, to: To) -> list[RevenueRowType]:
        rows = await serve(info.context, service.revenue_by_payer, period=Period.of(from_, to))
        return [RevenueRowType.of(row) for row in rows]

    @guarded(
        service.READ_REPORTS,
        description="Accounts receivable ageing: 0-30, 31-60, 61-90, 90+ days (desk only).",
    )
    async def receivables_ageing(
        self, info: Info, as_of: date | None = None
    ) -> list[AgeingRowType]:
        day = as_of or datetime.now(UTC).date()
        rows = await serve(info.context, service.receivables_ageing, as_of=day)
        return [AgeingRowType.of(row) for row in rows]

    @guarded(
        service.READ_REPORTS, description="Claims submitted in a period, by status (desk only)."
    )
    async def claims_by_status(self, info: Info, from_: From, to: To) -> list[ClaimStatusRowType]:
        rows = await serve(info.context, service.claims_by_status, period=Period.of(from_, to))
        return [ClaimStatusRowType.of(row) for row in rows]

    @guarded(
        service.READ_REPORTS,
        description=(
            "A report as CSV, the same file as GET /reports/<report>.csv on billing (desk only); "
            "from/to default to the current month, asOf to today (UTC)."
        ),
    )
    async def report_csv(
        self,
        info: Info,
        report: ReportName,
        from_: Annotated[
            date | None, strawberry.argument(name="from", description="First day (UTC).")
        ] = None,
        to: Annotated[
            date | None, strawberry.argument(description="Last day, included (UTC).")
        ] = None,
        granularity: Granularity = Granularity.MONTH,
        as_of: date | None = None,
    ) -> ReportFileType:
        ask = ReportAsk.of(start=from_, end=to, granularity=granularity, as_of=as_of)
        body = await serve(info.context, downloads.report_csv, name=report.value, ask=ask)
        return ReportFileType(
            filename=f"{report.value}.csv",
            content_type="text/csv; charset=utf-8",
            text=body.decode("utf-8"),
        )
