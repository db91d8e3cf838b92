"""The analytics store: known events give known figures, once each, in any order, rebuildable."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import pytest

from subgraphs.clinical.analytics.service import (
    DayFigures,
    Report,
    apply_events,
    check_span,
    report,
    reset,
)
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput
from subgraphs.common.events.envelope import EventEnvelope
from tests.subgraphs.clinical.analytics.synthetic import DAY, at, known_day, schedule
from tests.support.migrations import model_differences

CONSUMER = "analytics-test"


async def _apply(database: Database, events: list[EventEnvelope], consumer: str = CONSUMER) -> int:
    async with database.transaction() as session:
        return await apply_events(session, events, consumer=consumer)


async def _report(database: Database) -> Report:
    async with database.session() as session:
        return await report(session, start=DAY - timedelta(days=2), end=DAY + timedelta(days=8))


def _day(figures: Report) -> DayFigures:
    return next(day for day in figures.days if day.day == DAY)


def assert_known_figures(figures: Report, doctors: tuple[uuid.UUID, uuid.UUID]) -> None:
    """The figures :func:`known_day` documents."""
    day = _day(figures)
    appointments = day.appointments
    assert (appointments.booked, appointments.cancelled, appointments.no_show) == (3, 1, 1)
    assert appointments.average_lead_hours == 12.0
    assert (appointments.booked_minutes, appointments.available_minutes) == (90, 720)
    assert appointments.utilisation == 0.125
    assert (day.sign_ins, day.failed_sign_ins) == (2, 1)
    assert (day.invoices_issued, day.invoices_paid, day.revenue_minor) == (2, 1, {"EUR": 12000})
    per_doctor = {d.doctor_id: d.appointments for d in figures.doctors if d.day == DAY}
    first, second = per_doctor[doctors[0]], per_doctor[doctors[1]]
    assert (first.booked, first.cancelled, first.booked_minutes, first.utilisation) == (
        1,
        1,
        60,
        0.125,
    )
    assert (second.booked, second.no_show, second.average_lead_hours) == (2, 1, 17.0)
    # the days around: the early bookings, and the booking that moved to the next week
    booked_before = {d.day: d.appointments.booked for d in figures.days if d.day < DAY}
    assert booked_before == {DAY - timedelta(days=2): 1, DAY - timedelta(days=1): 1}
    minutes = {d.day: d.appointments.booked_minutes for d in figures.days}
    assert (minutes[DAY + timedelta(days=1)], minutes[DAY + timedelta(days=8)]) == (0, 30)


async def test_known_events_give_known_figures(database: Database) -> None:
    known = known_day()
    assert await _apply(database, known.events) == len(known.events) - 1  # one is not counted
    assert_known_figures(await _report(database), known.doctors)


async def test_duplicates_delivered_twice_count_once(database: Database) -> None:
    known = known_day()
    half = len(known.events) // 2
    await _apply(database, known.events[:half] + known.events[:half])  # twice in one batch
    assert await _apply(database, known.events) == len(known.events) - half - 1  # and again
    assert await _apply(database, known.events) == 0
    assert_known_figures(await _report(database), known.doctors)


async def test_any_order_gives_the_same_figures(database: Database) -> None:
    known = known_day()
    shuffled = list(known.events)
    random.Random(16).shuffle(shuffled)
    for event in shuffled:
        await _apply(database, [event])
    assert_known_figures(await _report(database), known.doctors)


async def test_reset_and_replay_gives_the_same_figures(database: Database) -> None:
    known = known_day()
    await _apply(database, known.events)
    before = await _report(database)
    async with database.transaction() as session:
        await reset(session, consumer=CONSUMER)
    assert _day(await _report(database)).appointments.booked == 0
    await _apply(database, known.events)
    assert await _report(database) == before


async def test_the_newest_schedule_wins_whatever_the_order(database: Database) -> None:
    doctor = uuid.uuid4()
    newer = schedule(doctor, version=2, hours={"MONDAY": ("08:00:00", "10:00:00")}, occurred=at(2))
    older = schedule(doctor, version=1, hours={"MONDAY": ("08:00:00", "18:00:00")}, occurred=at(1))
    await _apply(database, [newer])
    await _apply(database, [older])
    assert _day(await _report(database)).appointments.available_minutes == 120


async def test_a_malformed_event_writes_nothing(database: Database) -> None:
    known = known_day()
    broken = known.events[2].model_copy(update={"payload": {"doctorId": "not-a-uuid"}})
    with pytest.raises(ValueError, match="malformed"):
        await _apply(database, [*known.events, broken])
    assert _day(await _report(database)).sign_ins == 0
    assert await _apply(database, known.events) == len(known.events) - 1


def test_the_span_is_checked() -> None:
    check_span(DAY, DAY, max_days=1)
    with pytest.raises(BadUserInput, match="before"):
        check_span(DAY, DAY - timedelta(days=1), max_days=10)
    with pytest.raises(BadUserInput, match="At most 7 days"):
        check_span(DAY, DAY + timedelta(days=7), max_days=7)


async def test_models_match_the_migration(clinical_url: str) -> None:
    tables = {"analytics_counter", "analytics_doctor_hours"}
    assert await model_differences(clinical_url, tables) == []
