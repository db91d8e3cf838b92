"""Appointment tables; PostgreSQL's exclusion constraints (migration clinical_0002) forbid overlaps."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Identity, Uuid
from sqlmodel import Field, SQLModel

__all__ = [
    "ACTIVE_STATUSES",
    "Appointment",
    "AppointmentStatus",
    "AppointmentStatusChange",
    "BookingKey",
]


class AppointmentStatus(StrEnum):
    BOOKED = "BOOKED"
    CHECKED_IN = "CHECKED_IN"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    NO_SHOW = "NO_SHOW"


# Appointments that hold their time: the exclusion constraints apply to these statuses only.
ACTIVE_STATUSES: frozenset[AppointmentStatus] = frozenset(
    {AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN}
)


class Appointment(SQLModel, table=True):
    """A patient's visit to a doctor over ``[starts_at, ends_at)``."""

    __tablename__ = "appointment"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    patient_id: uuid.UUID = Field(foreign_key="patient.id", nullable=False)
    doctor_id: uuid.UUID = Field(foreign_key="doctor.id", nullable=False)
    starts_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    ends_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    status: str = Field(max_length=20, nullable=False)
    reason: str | None = Field(default=None, max_length=500)
    overbooked: bool = Field(default=False, nullable=False)
    cancellation_reason: str | None = Field(default=None, max_length=500)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)
    updated_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    updated_by: str = Field(max_length=200, nullable=False)


class AppointmentStatusChange(SQLModel, table=True):
    """One entry of an appointment's history: booking, a status change, or a reschedule."""

    __tablename__ = "appointment_status_change"

    position: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    appointment_id: uuid.UUID = Field(foreign_key="appointment.id", nullable=False, index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20, nullable=False)
    starts_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    ends_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    previous_starts_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    previous_ends_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    overbooked: bool = Field(default=False, nullable=False)
    reason: str | None = Field(default=None, max_length=500)
    actor: str = Field(max_length=200, nullable=False)
    changed_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)


class BookingKey(SQLModel, table=True):
    """An idempotency key a caller sent with a booking, and the booking it made (migration 0003).

    Unique per caller (``actor``, ``key``); ``request_digest`` fingerprints the request, so the
    same key with other content is refused. The key is written in the booking's transaction: a
    booking that fails leaves no key behind.
    """

    __tablename__ = "appointment_booking_key"

    actor: str = Field(max_length=200, primary_key=True)
    key: str = Field(max_length=255, primary_key=True)
    request_digest: str = Field(max_length=64, nullable=False)
    # Deferred: the key is claimed before the appointment it names is inserted.
    appointment_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid(),
            ForeignKey("appointment.id", deferrable=True, initially="DEFERRED"),
            nullable=False,
        )
    )
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
