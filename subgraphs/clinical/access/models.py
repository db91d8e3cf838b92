"""Tables behind the access rules: doctor-patient care relationships and break-glass grants."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

__all__ = ["BreakGlassGrant", "CareRelationship", "CareSource"]


class CareSource(StrEnum):
    """Why a doctor is in a patient's care team."""

    APPOINTMENT = "APPOINTMENT"  # the doctor has or had an appointment with the patient
    ENCOUNTER = "ENCOUNTER"  # the doctor recorded an encounter with the patient
    ASSIGNMENT = "ASSIGNMENT"  # an administrator assigned the patient to the doctor


class CareRelationship(SQLModel, table=True):
    """A doctor may see a patient while a row for the pair is not ended."""

    __tablename__ = "care_relationship"

    doctor_id: uuid.UUID = Field(foreign_key="doctor.id", primary_key=True)
    patient_id: uuid.UUID = Field(foreign_key="patient.id", primary_key=True, index=True)
    source: str = Field(max_length=20, primary_key=True)
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    ended_by: str | None = Field(default=None, max_length=200)


class BreakGlassGrant(SQLModel, table=True):
    """Emergency access of one user to one patient's clinical data: stated reason, time-limited."""

    __tablename__ = "break_glass_grant"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(nullable=False, index=True)
    role: str = Field(max_length=20, nullable=False)
    patient_id: uuid.UUID = Field(foreign_key="patient.id", nullable=False)
    reason: str = Field(max_length=500, nullable=False)
    granted_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
