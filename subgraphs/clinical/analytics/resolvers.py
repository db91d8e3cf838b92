"""``analytics``, ``analyticsLag`` and the ``analyticsToday`` subscription (ADMIN and STAFF)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from aiokafka.errors import KafkaError

from subgraphs.clinical.analytics import service
from subgraphs.clinical.analytics.consumer import analytics_of
from subgraphs.clinical.analytics.types import (
    READ_ANALYTICS,
    AnalyticsDay,
    AnalyticsLag,
    AnalyticsReport,
)
from subgraphs.clinical.live.subscriber import ensure_unexpired, subscriber
from subgraphs.common.context import RequestContext
from subgraphs.common.errors import ServiceUnavailable
from subgraphs.common.field_guard import guarded

__all__ = ["AnalyticsQuery", "AnalyticsSubscription"]

Info = strawberry.Info[RequestContext, None]


async def _day(info: Info, day: date) -> service.DayFigures:
    async with info.context.database.session() as session:
        return (await service.report(session, start=day, end=day)).days[0]


@strawberry.type
class AnalyticsQuery:
    @guarded(
        READ_ANALYTICS,
        description=(
            "Operational figures of every UTC day from 'from' to 'to' (inclusive), kept live "
            "from the event stream (ADMIN, STAFF)."
        ),
    )
    async def analytics(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> AnalyticsReport | None:
        runtime = analytics_of(info.context)
        service.check_span(from_, to, max_days=runtime.settings.analytics_max_days)
        async with info.context.database.session() as session:
            report = await service.report(session, start=from_, end=to)
        return AnalyticsReport.of(report)

    @guarded(
        READ_ANALYTICS,
        description="How many published events the analytics have yet to apply (ADMIN, STAFF).",
    )
    async def analytics_lag(self, info: Info) -> AnalyticsLag | None:
        try:
            lag = await analytics_of(info.context).lag()
        except (KafkaError, OSError, TimeoutError) as exc:
            raise ServiceUnavailable(
                "The event broker cannot be reached to measure the lag.", retry_after=5.0
            ) from exc
        return AnalyticsLag.of(lag)


@strawberry.type
class AnalyticsSubscription:
    @guarded(
        READ_ANALYTICS,
        subscription=True,
        description=("Today's figures (UTC): now, then again whenever they change (ADMIN, STAFF)."),
    )
    async def analytics_today(self, info: Info) -> AsyncGenerator[AnalyticsDay, None]:
        context = info.context
        caller = await subscriber(context, READ_ANALYTICS)
        interval = analytics_of(context).settings.analytics_live_interval
        last: service.DayFigures | None = None
        while True:
            ensure_unexpired(caller)
            figures = await _day(info, datetime.now(UTC).date())
            if figures != last:
                last = figures
                yield AnalyticsDay.of(figures)
            await asyncio.sleep(interval)
