"""Time arithmetic of schedules: weekly hours and dated exceptions -> UTC working windows -> slots."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "DayRule",
    "Interval",
    "covers",
    "free_slots",
    "local_interval",
    "merge",
    "subtract",
    "working_windows",
]


@dataclass(frozen=True, order=True, slots=True)
class Interval:
    """A half-open span of time ``[start, end)`` in UTC."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class DayRule:
    """Local times on a weekday (``weekday`` 1-7) or on one date (``on_date``); no times = all day."""

    starts_at: time | None
    ends_at: time | None
    weekday: int | None = None
    on_date: date | None = None

    def applies(self, day: date) -> bool:
        return self.on_date == day if self.on_date is not None else self.weekday == day.isoweekday()


def local_interval(day: date, start: time, end: time, zone: ZoneInfo) -> Interval:
    """``start``-``end`` on ``day`` in ``zone``, as UTC (across DST changes, by wall-clock time)."""
    return Interval(
        datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
    )


def _whole_day(day: date, zone: ZoneInfo) -> Interval:
    return Interval(
        datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC),
    )


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """The sorted union of ``intervals``; touching intervals join."""
    merged: list[Interval] = []
    for interval in sorted(intervals):
        if merged and interval.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, interval.end))
        else:
            merged.append(interval)
    return merged


def subtract(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """``intervals`` minus every hole."""
    result = merge(intervals)
    for hole in merge(holes):
        pieces: list[Interval] = []
        for interval in result:
            if not interval.overlaps(hole):
                pieces.append(interval)
                continue
            if interval.start < hole.start:
                pieces.append(Interval(interval.start, hole.start))
            if hole.end < interval.end:
                pieces.append(Interval(hole.end, interval.end))
        result = pieces
    return result


def working_windows(
    *,
    zone: ZoneInfo,
    weekly: Sequence[DayRule],
    extra: Sequence[DayRule],
    unavailable: Sequence[DayRule],
    start: datetime,
    end: datetime,
) -> list[Interval]:
    """When the doctor works within ``[start, end)``: weekly hours plus extra hours, minus time off.

    Unavailability wins over extra hours on the same date. Each local date is computed in the
    doctor's ``zone``, so hours keep their wall-clock times across daylight-saving changes.
    """
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    windows: list[Interval] = []
    day = first
    while day <= last:
        worked = [
            local_interval(day, rule.starts_at, rule.ends_at, zone)
            for rule in (*weekly, *extra)
            if rule.applies(day) and rule.starts_at is not None and rule.ends_at is not None
        ]
        off = [
            local_interval(day, rule.starts_at, rule.ends_at, zone)
            if rule.starts_at is not None and rule.ends_at is not None
            else _whole_day(day, zone)
            for rule in unavailable
            if rule.applies(day)
        ]
        windows.extend(subtract(worked, off))
        day += timedelta(days=1)
    bounds = Interval(start, end)
    return [
        Interval(max(w.start, start), min(w.end, end)) for w in merge(windows) if w.overlaps(bounds)
    ]


def covers(windows: Iterable[Interval], interval: Interval) -> bool:
    """True when one window holds all of ``interval``."""
    return any(w.start <= interval.start and interval.end <= w.end for w in merge(windows))


def free_slots(
    windows: Iterable[Interval],
    busy: Iterable[Interval],
    *,
    length: timedelta,
    not_before: datetime,
) -> list[Interval]:
    """Slots of ``length`` laid from each window's start, skipping busy and past ones."""
    taken = merge(busy)
    slots: list[Interval] = []
    for window in merge(windows):
        slot_start = window.start
        while slot_start + length <= window.end:
            slot = Interval(slot_start, slot_start + length)
            if slot.start >= not_before and not any(slot.overlaps(b) for b in taken):
                slots.append(slot)
            slot_start += length
    return slots
