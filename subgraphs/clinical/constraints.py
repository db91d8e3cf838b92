"""Reading PostgreSQL constraint violations (SQLSTATE and constraint name) from SQLAlchemy errors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

__all__ = ["EXCLUSION_VIOLATION", "UNIQUE_VIOLATION", "Violation", "violation"]

UNIQUE_VIOLATION = "23505"
EXCLUSION_VIOLATION = "23P01"


@dataclass(frozen=True, slots=True)
class Violation:
    sqlstate: str | None
    constraint: str | None


def violation(error: IntegrityError) -> Violation:
    """The SQLSTATE and constraint name behind ``error`` (asyncpg keeps them on the cause)."""
    original = error.orig
    cause = getattr(original, "__cause__", None)
    sqlstate = getattr(original, "sqlstate", None) or getattr(cause, "sqlstate", None)
    constraint = getattr(cause, "constraint_name", None)
    return Violation(sqlstate, constraint)
