"""What one version of a medical record holds: notes, vitals, diagnoses, allergies, medications."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from subgraphs.clinical.records.icd10 import normalize_icd10
from subgraphs.clinical.records.notes import NotesFormat
from subgraphs.clinical.validation import camel, validated

__all__ = [
    "Allergy",
    "AllergySeverity",
    "Diagnosis",
    "Medication",
    "RecordContent",
    "Vitals",
    "changed_sections",
    "validate_content",
]

MAX_NOTES = 20_000


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Vitals(_Value):
    """Vital signs taken during the encounter; every bound is a physiologically possible range."""

    temperature_c: float | None = Field(default=None, ge=25, le=45)
    heart_rate_bpm: int | None = Field(default=None, ge=10, le=300)
    respiratory_rate: int | None = Field(default=None, ge=2, le=80)
    systolic_mmhg: int | None = Field(default=None, ge=40, le=300)
    diastolic_mmhg: int | None = Field(default=None, ge=20, le=200)
    oxygen_saturation: int | None = Field(default=None, ge=40, le=100)
    weight_kg: float | None = Field(default=None, gt=0, le=700)
    height_cm: float | None = Field(default=None, ge=20, le=280)
    measured_at: datetime | None = None

    @field_validator("measured_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("measuredAt needs a time zone offset")
        return value


class Diagnosis(_Value):
    """A coded diagnosis (ICD-10) with its clinician-facing wording."""

    code: str = Field(max_length=12)
    text: str = Field(min_length=1, max_length=500)
    primary: bool = False

    @field_validator("code")
    @classmethod
    def _icd10(cls, value: str) -> str:
        return normalize_icd10(value)


class AllergySeverity(StrEnum):
    MILD = "MILD"
    MODERATE = "MODERATE"
    SEVERE = "SEVERE"
    UNKNOWN = "UNKNOWN"


class Allergy(_Value):
    substance: str = Field(min_length=1, max_length=200)
    reaction: str | None = Field(default=None, max_length=500)
    severity: AllergySeverity = AllergySeverity.UNKNOWN


class Medication(_Value):
    """A medication the patient currently takes (not a prescription issued here)."""

    name: str = Field(min_length=1, max_length=200)
    dose: str | None = Field(default=None, max_length=100)
    frequency: str | None = Field(default=None, max_length=100)
    route: str | None = Field(default=None, max_length=50)


class RecordContent(_Value):
    """A full snapshot: every version stores one, so history never needs replaying."""

    notes: str = Field(default="", max_length=MAX_NOTES)
    notes_format: NotesFormat = NotesFormat.PLAIN
    vitals: Vitals | None = None
    diagnoses: tuple[Diagnosis, ...] = Field(default=(), max_length=50)
    allergies: tuple[Allergy, ...] = Field(default=(), max_length=100)
    medications: tuple[Medication, ...] = Field(default=(), max_length=100)

    @field_validator("diagnoses")
    @classmethod
    def _one_primary(cls, value: tuple[Diagnosis, ...]) -> tuple[Diagnosis, ...]:
        if sum(diagnosis.primary for diagnosis in value) > 1:
            raise ValueError("at most one diagnosis can be primary")
        return value


def validate_content(data: dict[str, Any]) -> RecordContent:
    """``data`` as record content; BAD_USER_INPUT naming every invalid field otherwise."""
    return validated(RecordContent, data, what="medical record")


def changed_sections(before: RecordContent | None, after: RecordContent) -> list[str]:
    """The top-level sections (GraphQL names) that differ between two snapshots."""
    names = list(RecordContent.model_fields)
    if before is None:
        return [
            camel(name) for name in names if getattr(after, name) != getattr(RecordContent(), name)
        ]
    return [camel(name) for name in names if getattr(before, name) != getattr(after, name)]
