"""Medical record tables: the current state of each record and its immutable versions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

__all__ = ["MedicalRecord", "MedicalRecordVersion", "RecordStatus"]


class RecordStatus(StrEnum):
    """A record is never deleted: archiving hides it from default lists and keeps every version."""

    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class MedicalRecord(SQLModel, table=True):
    """One encounter's record in its current version (a copy of the newest version's content)."""

    __tablename__ = "medical_record"
    __table_args__ = (Index("ix_medical_record_patient", "patient_id", "encounter_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    patient_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False)
    )
    appointment_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(
            Uuid, ForeignKey("appointment.id", ondelete="RESTRICT"), nullable=True, unique=True
        ),
    )
    encounter_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(
        default=RecordStatus.ACTIVE.value, sa_column=Column(String(20), nullable=False)
    )
    version: int = Field(nullable=False)
    content: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_by: str = Field(max_length=200, nullable=False)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_by: str = Field(max_length=200, nullable=False)


class MedicalRecordVersion(SQLModel, table=True):
    """One immutable version: the full snapshot, who made it, when, why and which sections changed.

    The database refuses UPDATE and DELETE on this table (trigger in the migration).
    """

    __tablename__ = "medical_record_version"

    record_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("medical_record.id", ondelete="RESTRICT"), primary_key=True
        )
    )
    version: int = Field(primary_key=True)
    patient_id: uuid.UUID = Field(nullable=False, index=True)
    status: str = Field(sa_column=Column(String(20), nullable=False))
    encounter_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    content: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    changed_fields: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    changed_by: str = Field(max_length=200, nullable=False)
    changed_by_role: str | None = Field(default=None, max_length=20)
    changed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    reason: str | None = Field(default=None, max_length=1000)
