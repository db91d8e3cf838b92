"""The OAuth scopes the clinical subgraph checks (the auth service maps roles to them)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Scope"]


class Scope(StrEnum):
    """Coarse capabilities carried by the access token's ``scope`` claim."""

    PATIENTS_READ = "patients:read"
    PATIENTS_WRITE = "patients:write"
    STAFF_WRITE = "staff:write"
    APPOINTMENTS_READ = "appointments:read"
    APPOINTMENTS_WRITE = "appointments:write"
    SCHEDULE_WRITE = "schedule:write"
    CARE_TEAM_WRITE = "care_team:write"
    BREAK_GLASS = "records:break_glass"
    RECORDS_READ = "records:read"
    RECORDS_WRITE = "records:write"
    PRESCRIPTIONS_WRITE = "prescriptions:write"
