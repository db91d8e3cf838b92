"""The demo clinic's calendar: visits fall on working days, today's on today or the next one."""

from __future__ import annotations

from datetime import date

import pytest

from subgraphs.clinical.seed import DEMO_CLINIC, working_day

MONDAY, FRIDAY, SATURDAY, SUNDAY = (
    date(2026, 12, 7),
    date(2026, 12, 11),
    date(2026, 12, 12),
    date(2026, 12, 13),
)


@pytest.mark.parametrize(
    ("today", "offset", "expected"),
    [
        (MONDAY, 0, MONDAY),
        (SATURDAY, 0, date(2026, 12, 14)),  # today's visits move to Monday at a weekend
        (SUNDAY, 0, date(2026, 12, 14)),
        (FRIDAY, 1, date(2026, 12, 14)),
        (MONDAY, -1, date(2026, 12, 4)),
        (SUNDAY, -1, FRIDAY),
        (MONDAY, 2, date(2026, 12, 9)),
    ],
)
def test_working_days(today: date, offset: int, expected: date) -> None:
    assert working_day(today, offset) == expected


def test_the_demo_doctor_has_visits_today_with_several_patients() -> None:
    doctor = DEMO_CLINIC.doctors[0].email
    today = [p.email for p in DEMO_CLINIC.patients for v in p.visits if v.weekdays == 0]
    assert len(set(today)) == 3
    assert all(
        v.doctor == doctor for p in DEMO_CLINIC.patients for v in p.visits if v.weekdays == 0
    )
