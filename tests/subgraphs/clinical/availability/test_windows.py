"""Schedule arithmetic: weekly hours, exceptions, time zones and daylight saving, free slots."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from subgraphs.clinical.availability.windows import (
    DayRule,
    Interval,
    covers,
    free_slots,
    merge,
    subtract,
    working_windows,
)

LONDON = ZoneInfo("Europe/London")


def utc(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=UTC)


def windows(day: date, **rules: list[DayRule]) -> list[Interval]:
    return working_windows(
        zone=LONDON,
        weekly=rules.get("weekly", [DayRule(time(9), time(17), weekday=day.isoweekday())]),
        extra=rules.get("extra", []),
        unavailable=rules.get("unavailable", []),
        start=utc(day, 0),
        end=utc(day + timedelta(days=1), 0),
    )


def test_local_hours_follow_daylight_saving() -> None:
    winter, summer = date(2030, 1, 7), date(2030, 7, 8)
    assert windows(winter) == [Interval(utc(winter, 9), utc(winter, 17))]
    assert windows(summer) == [Interval(utc(summer, 8), utc(summer, 16))]


def test_days_off_time_off_and_extra_hours() -> None:
    day = date(2030, 1, 7)
    assert windows(day, unavailable=[DayRule(None, None, on_date=day)]) == []
    assert windows(day, unavailable=[DayRule(time(12), time(13), on_date=day)]) == [
        Interval(utc(day, 9), utc(day, 12)),
        Interval(utc(day, 13), utc(day, 17)),
    ]
    assert windows(day, extra=[DayRule(time(17), time(19), on_date=day)]) == [
        Interval(utc(day, 9), utc(day, 19))
    ]
    # Unavailability wins over extra hours on the same date.
    assert (
        windows(
            day,
            extra=[DayRule(time(18), time(19), on_date=day)],
            unavailable=[DayRule(None, None, on_date=day)],
        )
        == []
    )
    other_day = day + timedelta(days=1)
    assert windows(day, unavailable=[DayRule(None, None, on_date=other_day)]) == [
        Interval(utc(day, 9), utc(day, 17))
    ]


def test_interval_algebra() -> None:
    day = date(2030, 1, 7)
    a, b, c = (Interval(utc(day, s), utc(day, e)) for s, e in ((9, 10), (10, 11), (12, 13)))
    assert merge([c, b, a]) == [Interval(utc(day, 9), utc(day, 11)), c]
    assert subtract([Interval(utc(day, 9), utc(day, 13))], [b]) == [
        a,
        Interval(utc(day, 11), utc(day, 13)),
    ]
    assert covers([a, b], Interval(utc(day, 9, 30), utc(day, 10, 30)))
    assert not covers([a, c], Interval(utc(day, 9, 30), utc(day, 12, 30)))


def test_free_slots_skip_busy_and_past_times() -> None:
    day = date(2030, 1, 7)
    slots = free_slots(
        [Interval(utc(day, 9), utc(day, 11))],
        [Interval(utc(day, 9, 45), utc(day, 10, 15))],
        length=timedelta(minutes=30),
        not_before=utc(day, 9, 1),
    )
    assert slots == [Interval(utc(day, 10, 30), utc(day, 11))]
