"""Tables of the people a hospital knows: patients, doctors and medical staff (soft-deleted only)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

__all__ = [
    "CLINICAL_STAFF_ROLES",
    "Doctor",
    "MedicalStaff",
    "Patient",
    "PersonColumns",
    "Sex",
    "StaffRole",
]


class Sex(StrEnum):
    """Administrative sex, as FHIR's ``AdministrativeGender``."""

    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"


class StaffRole(StrEnum):
    """What a member of the medical staff does; it decides whether they may read clinical notes."""

    NURSE = "NURSE"
    RECEPTIONIST = "RECEPTIONIST"
    LAB_TECHNICIAN = "LAB_TECHNICIAN"
    PHARMACIST = "PHARMACIST"
    RADIOGRAPHER = "RADIOGRAPHER"
    MEDICAL_RECORDS_CLERK = "MEDICAL_RECORDS_CLERK"
    PORTER = "PORTER"


# Staff roles whose work needs the clinical record (notes, vitals, diagnoses, prescriptions).
CLINICAL_STAFF_ROLES: frozenset[StaffRole] = frozenset(
    {StaffRole.NURSE, StaffRole.LAB_TECHNICIAN, StaffRole.PHARMACIST, StaffRole.RADIOGRAPHER}
)


def _now_column() -> DateTime:
    return DateTime(timezone=True)


class PersonColumns(SQLModel):
    """Columns every person table has: identity, names, contact, account link, audit, archive."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    given_name: str = Field(max_length=100, nullable=False)
    family_name: str = Field(max_length=100, nullable=False)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20)
    user_id: uuid.UUID | None = Field(default=None, unique=True)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(sa_type=_now_column(), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)
    updated_at: datetime = Field(sa_type=_now_column(), nullable=False)
    updated_by: str = Field(max_length=200, nullable=False)
    archived_at: datetime | None = Field(default=None, sa_type=_now_column())
    archived_by: str | None = Field(default=None, max_length=200)
    archive_reason: str | None = Field(default=None, max_length=500)


class Patient(PersonColumns, table=True):
    """A patient, identified to people by a generated medical record number (MRN)."""

    __tablename__ = "patient"

    mrn: str = Field(max_length=16, unique=True, nullable=False)
    date_of_birth: date = Field(nullable=False)
    sex: str = Field(max_length=10, nullable=False)
    address_line1: str | None = Field(default=None, max_length=200)
    address_line2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=2)
    emergency_contact_name: str | None = Field(default=None, max_length=200)
    emergency_contact_relationship: str | None = Field(default=None, max_length=50)
    emergency_contact_phone: str | None = Field(default=None, max_length=20)
    insurance_payer: str | None = Field(default=None, max_length=200)
    insurance_member_id: str | None = Field(default=None, max_length=64)


class Doctor(PersonColumns, table=True):
    """A doctor who sees patients and owns a schedule."""

    __tablename__ = "doctor"

    specialty: str = Field(max_length=100, nullable=False)
    licence_number: str = Field(max_length=32, unique=True, nullable=False)


class MedicalStaff(PersonColumns, table=True):
    """A nurse, receptionist, lab technician or other member of the medical staff."""

    __tablename__ = "medical_staff"

    staff_role: str = Field(max_length=30, nullable=False)
    department: str = Field(max_length=100, nullable=False)
