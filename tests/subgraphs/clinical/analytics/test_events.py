"""What each event adds to the analytics (pure: no database)."""

from __future__ import annotations

import uuid

import pytest

from subgraphs.clinical.analytics.events import TOTAL, Increment, Metric, effects_of
from tests.subgraphs.clinical.analytics.synthetic import (
    DAY,
    appointment,
    at,
    invoice,
    schedule,
    sign_in,
)


def test_a_booking_counts_on_its_day_and_its_minutes_on_the_visits_day() -> None:
    doctor = uuid.uuid4()
    effects = effects_of(
        appointment("booked", doctor, occurred=at(1), starts=at(24 + 9), minutes=45)
    )
    later = at(24).date()
    assert effects.increments == [
        Increment(DAY, Metric.BOOKED, str(doctor), 1),
        Increment(DAY, Metric.LEAD_SECONDS, str(doctor), 32 * 3600),
        Increment(later, Metric.BOOKED_MINUTES, str(doctor), 45),
    ]


def test_weekly_hours_add_up_per_weekday() -> None:
    doctor = uuid.uuid4()
    event = schedule(doctor, version=3, hours={"MONDAY": ("08:00:00", "12:30:00")}, occurred=at(0))
    (weekly,) = effects_of(event).hours
    assert (weekly.doctor_id, weekly.version, dict(weekly.minutes_by_weekday)) == (
        doctor,
        3,
        {"1": 270},
    )


def test_sign_ins_payments_and_refunds() -> None:
    assert effects_of(sign_in(occurred=at(1), failed=True)).increments == [
        Increment(DAY, Metric.FAILED_SIGN_INS, TOTAL, 1)
    ]
    assert effects_of(invoice("refunded", occurred=at(1), amount=300)).increments == [
        Increment(DAY, Metric.REVENUE_MINOR, "EUR", -300)
    ]
    paid = effects_of(invoice("paid", occurred=at(1), currency="GBP", amount=700)).increments
    assert Increment(DAY, Metric.INVOICES_PAID, "GBP", 1) in paid


def test_events_the_analytics_do_not_count_have_no_effect() -> None:
    assert not effects_of(invoice("voided", occurred=at(1)))


def test_a_malformed_event_is_a_value_error() -> None:
    event = appointment("booked", uuid.uuid4(), occurred=at(1), starts=at(2))
    broken = event.model_copy(update={"payload": {**event.payload, "startsAt": "tomorrow"}})
    with pytest.raises(ValueError, match=r"malformed appointment\.booked"):
        effects_of(broken)
