"""Reading PostgreSQL constraint violations (SQLSTATE and constraint name) from SQLAlchemy errors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from subgraphs.common.database import sqlstate

__all__ = ["EXCLUSION_VIOLATION", "UNIQUE_VIOLATION", "Violation", "violation"]

UNIQUE_VIOLATION = "23505"
EXCLUSION_VIOLATION = "23P01"


@dataclass(frozen=True, slots=True)
class Violation:
    sqlstate: str | None
    constraint: str | None


def violation(error: IntegrityError) -> Violation:
    """The SQLSTATE and constraint name behind ``error`` (asyncpg keeps them on the cause)."""
    constraint = getattr(getattr(error.orig, "__cause__", None), "constraint_name", None)
    return Violation(sqlstate(error), constraint)
