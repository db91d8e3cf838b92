"""Prescription tables: signed prescriptions (revocable, never editable) and the signing keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

__all__ = ["Prescription", "PrescriptionSigningKey", "Route"]


class Route(StrEnum):
    """Routes of administration."""

    ORAL = "ORAL"
    SUBLINGUAL = "SUBLINGUAL"
    BUCCAL = "BUCCAL"
    TOPICAL = "TOPICAL"
    TRANSDERMAL = "TRANSDERMAL"
    INHALED = "INHALED"
    NASAL = "NASAL"
    OPHTHALMIC = "OPHTHALMIC"
    OTIC = "OTIC"
    RECTAL = "RECTAL"
    VAGINAL = "VAGINAL"
    INTRAVENOUS = "INTRAVENOUS"
    INTRAMUSCULAR = "INTRAMUSCULAR"
    SUBCUTANEOUS = "SUBCUTANEOUS"


class Prescription(SQLModel, table=True):
    """A signed prescription. Only the revocation columns may ever change, once (DB trigger)."""

    __tablename__ = "prescription"
    __table_args__ = (
        Index("ix_prescription_patient", "patient_id", "issued_at", "id"),
        CheckConstraint("quantity > 0", name="ck_prescription_quantity"),
        CheckConstraint("refills >= 0", name="ck_prescription_refills"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    patient_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False)
    )
    doctor_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("doctor.id", ondelete="RESTRICT"), nullable=False)
    )
    medication: str = Field(max_length=200, nullable=False)
    dose: str = Field(max_length=100, nullable=False)
    route: str = Field(sa_column=Column(String(20), nullable=False))
    frequency: str = Field(max_length=100, nullable=False)
    quantity: int = Field(nullable=False)
    refills: int = Field(nullable=False)
    instructions: str = Field(sa_column=Column(Text, nullable=False))
    issued_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    issued_by: str = Field(max_length=200, nullable=False)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    jws: str = Field(sa_column=Column(Text, nullable=False))
    key_id: str = Field(
        sa_column=Column(String(100), ForeignKey("prescription_signing_key.kid"), nullable=False)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    revoked_by: str | None = Field(default=None, max_length=200)
    revocation_reason: str | None = Field(default=None, max_length=1000)


class PrescriptionSigningKey(SQLModel, table=True):
    """A public key that signed prescriptions; kept forever so old prescriptions still verify."""

    __tablename__ = "prescription_signing_key"

    kid: str = Field(sa_column=Column(String(100), primary_key=True))
    public_jwk: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
