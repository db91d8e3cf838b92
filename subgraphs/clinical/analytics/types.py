"""GraphQL types of the analytics: a day's figures, a doctor's day, the consumer's lag."""

from __future__ import annotations

from datetime import date

import strawberry

from subgraphs.clinical.analytics.lag import ConsumerLag
from subgraphs.clinical.analytics.service import (
    AppointmentFigures,
    DayFigures,
    DoctorDayFigures,
    Report,
)
from subgraphs.common.tokens.rules import ScopeRule
from subgraphs.common.tokens.scopes import Scope

__all__ = [
    "READ_ANALYTICS",
    "AnalyticsDay",
    "AnalyticsLag",
    "AnalyticsReport",
    "AppointmentAnalytics",
    "DoctorAnalyticsDay",
    "RevenueAmount",
]

# ADMIN and STAFF (the scope table grants ``analytics:read`` to them only).
READ_ANALYTICS = ScopeRule(Scope.ANALYTICS_READ)


@strawberry.type(description="Appointments of a day (all doctors, or one).")
class AppointmentAnalytics:
    booked: int = strawberry.field(description="Appointments booked that day.")
    cancelled: int = strawberry.field(description="Appointments cancelled that day.")
    no_show: int = strawberry.field(description="Appointments marked as a no-show that day.")
    completed: int = strawberry.field(description="Appointments completed that day.")
    average_lead_time_hours: float | None = strawberry.field(
        description="Mean time from booking to visit of that day's bookings, in hours."
    )
    booked_minutes: int = strawberry.field(
        description="Minutes of visits starting that day, cancellations deducted."
    )
    available_minutes: int = strawberry.field(
        description="The doctors' weekly working minutes for that weekday (exceptions ignored)."
    )
    utilisation: float | None = strawberry.field(
        description="bookedMinutes / availableMinutes (null without working hours)."
    )

    @classmethod
    def of(cls, figures: AppointmentFigures) -> AppointmentAnalytics:
        return cls(
            booked=figures.booked,
            cancelled=figures.cancelled,
            no_show=figures.no_show,
            completed=figures.completed,
            average_lead_time_hours=figures.average_lead_hours,
            booked_minutes=figures.booked_minutes,
            available_minutes=figures.available_minutes,
            utilisation=figures.utilisation,
        )


@strawberry.type(description="Money received in one currency: payments less refunds.")
class RevenueAmount:
    currency: str
    amount_minor: int = strawberry.field(description="In the currency's minor unit (cents).")


@strawberry.type(description="The figures of one UTC day, from the event stream.")
class AnalyticsDay:
    date: date
    appointments: AppointmentAnalytics
    sign_ins: int = strawberry.field(description="Successful sign-ins.")
    failed_sign_ins: int = strawberry.field(description="Refused sign-ins (wrong credentials).")
    invoices_issued: int
    invoices_paid: int = strawberry.field(description="Invoices paid in full that day.")
    revenue: list[RevenueAmount]

    @classmethod
    def of(cls, figures: DayFigures) -> AnalyticsDay:
        return cls(
            date=figures.day,
            appointments=AppointmentAnalytics.of(figures.appointments),
            sign_ins=figures.sign_ins,
            failed_sign_ins=figures.failed_sign_ins,
            invoices_issued=figures.invoices_issued,
            invoices_paid=figures.invoices_paid,
            revenue=[
                RevenueAmount(currency=currency, amount_minor=amount)
                for currency, amount in sorted(figures.revenue_minor.items())
            ],
        )


@strawberry.type(description="One doctor's appointments on one UTC day.")
class DoctorAnalyticsDay:
    date: date
    doctor_id: strawberry.ID
    appointments: AppointmentAnalytics

    @classmethod
    def of(cls, figures: DoctorDayFigures) -> DoctorAnalyticsDay:
        return cls(
            date=figures.day,
            doctor_id=strawberry.ID(str(figures.doctor_id)),
            appointments=AppointmentAnalytics.of(figures.appointments),
        )


@strawberry.type(description="Figures of every day of a span, and of each doctor's busy days.")
class AnalyticsReport:
    days: list[AnalyticsDay]
    doctors: list[DoctorAnalyticsDay] = strawberry.field(
        description="Each doctor on each day they had appointment events."
    )

    @classmethod
    def of(cls, report: Report) -> AnalyticsReport:
        return cls(
            days=[AnalyticsDay.of(day) for day in report.days],
            doctors=[DoctorAnalyticsDay.of(doctor) for doctor in report.doctors],
        )


@strawberry.type(
    name="AnalyticsPartitionLag",
    description="Events of one partition the analytics have yet to apply.",
)
class PartitionLag:
    topic: str
    partition: int
    lag: int


@strawberry.type(description="How far the analytics consumer group is behind the topics.")
class AnalyticsLag:
    group: str
    total: int = strawberry.field(description="Events published but not yet applied.")
    partitions: list[PartitionLag]

    @classmethod
    def of(cls, lag: ConsumerLag) -> AnalyticsLag:
        return cls(
            group=lag.group,
            total=lag.total,
            partitions=[
                PartitionLag(topic=p.topic, partition=p.partition, lag=p.lag)
                for p in lag.partitions
            ],
        )
