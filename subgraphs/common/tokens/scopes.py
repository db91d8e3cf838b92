"""The role -> scope table: the ``scope`` claim auth issues and every subgraph's directives check."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from subgraphs.common.context import Role

__all__ = ["SCOPES_BY_ROLE", "Scope", "scope_claim"]


class Scope(StrEnum):
    """Every scope healthgraph issues: ``<resource>:<action>``; ``:own`` means "only my own"."""

    PROFILE_READ = "profile:read"  # my own user, MFA settings
    PROFILE_WRITE = "profile:write"
    USERS_READ = "users:read"  # other users (directory, staff lists)
    USERS_WRITE = "users:write"  # create users, change roles, disable, reset MFA
    AUDIT_READ = "audit:read"  # the audit trail of reads and writes
    PATIENTS_READ = "patients:read"  # demographics of any patient the row rules allow
    PATIENTS_READ_OWN = "patients:read:own"  # my own patient record (demographics, care team)
    PATIENTS_WRITE = "patients:write"  # register and change patients
    PATIENTS_WRITE_OWN = "patients:write:own"  # correct my own contact details
    STAFF_WRITE = "staff:write"  # add, change and archive doctors and medical staff
    SCHEDULE_WRITE = "schedule:write"  # doctors' working hours and exceptions
    CARE_TEAM_WRITE = "care-team:write"  # assign patients to doctors
    RECORDS_READ = "records:read"  # clinical records (encounters, observations, diagnoses)
    RECORDS_WRITE = "records:write"
    RECORDS_READ_OWN = "records:read:own"  # a patient's own record and who accessed it
    RECORDS_BREAK_GLASS = "records:break-glass"  # emergency access, time-limited and audited
    APPOINTMENTS_READ = "appointments:read"
    APPOINTMENTS_WRITE = "appointments:write"
    APPOINTMENTS_OVERBOOK = "appointments:overbook"
    APPOINTMENTS_READ_OWN = "appointments:read:own"
    APPOINTMENTS_WRITE_OWN = "appointments:write:own"  # book and cancel my own
    PRESCRIPTIONS_READ = "prescriptions:read"
    PRESCRIPTIONS_WRITE = "prescriptions:write"  # issue and sign
    PRESCRIPTIONS_READ_OWN = "prescriptions:read:own"
    BILLING_READ = "billing:read"
    BILLING_WRITE = "billing:write"  # invoices, claims, refunds
    BILLING_READ_OWN = "billing:read:own"
    BILLING_PAY_OWN = "billing:pay:own"
    ANALYTICS_READ = "analytics:read"  # operational figures (counts, utilisation, revenue)


_EVERYONE = {Scope.PROFILE_READ, Scope.PROFILE_WRITE}

SCOPES_BY_ROLE: Mapping[Role, frozenset[Scope]] = {
    # ADMIN manages people, schedules and care teams; clinical notes only through break-glass.
    Role.ADMIN: frozenset(
        _EVERYONE
        | {
            Scope.USERS_READ,
            Scope.USERS_WRITE,
            Scope.AUDIT_READ,
            Scope.PATIENTS_READ,
            Scope.PATIENTS_WRITE,
            Scope.STAFF_WRITE,
            Scope.SCHEDULE_WRITE,
            Scope.CARE_TEAM_WRITE,
            Scope.RECORDS_BREAK_GLASS,
            Scope.APPOINTMENTS_READ,
            Scope.APPOINTMENTS_WRITE,
            Scope.APPOINTMENTS_OVERBOOK,
            Scope.BILLING_READ,
            Scope.BILLING_WRITE,
            Scope.ANALYTICS_READ,
        }
    ),
    # DOCTOR: their care team's patients (row rules), their own schedule, overbooking included.
    # No ``users:read``: the account directory would show every patient's sign-in email. Doctors
    # find their patients (contact details included) through clinical's ``patients``, which the
    # care team filters; a ``Patient.user`` shows them the account's name and role only.
    Role.DOCTOR: frozenset(
        _EVERYONE
        | {
            Scope.PATIENTS_READ,
            Scope.SCHEDULE_WRITE,
            Scope.RECORDS_READ,
            Scope.RECORDS_WRITE,
            Scope.RECORDS_BREAK_GLASS,
            Scope.APPOINTMENTS_READ,
            Scope.APPOINTMENTS_WRITE,
            Scope.APPOINTMENTS_OVERBOOK,
            Scope.PRESCRIPTIONS_READ,
            Scope.PRESCRIPTIONS_WRITE,
            Scope.BILLING_READ,
        }
    ),
    # STAFF: the desk and the ward; notes only where their staff role allows it (row rules), and
    # doctors' schedules only at the front desk (row rules: receptionists).
    Role.STAFF: frozenset(
        _EVERYONE
        | {
            Scope.USERS_READ,
            Scope.PATIENTS_READ,
            Scope.PATIENTS_WRITE,
            Scope.SCHEDULE_WRITE,
            Scope.RECORDS_READ,
            Scope.RECORDS_WRITE,
            Scope.APPOINTMENTS_READ,
            Scope.APPOINTMENTS_WRITE,
            Scope.PRESCRIPTIONS_READ,
            Scope.BILLING_READ,
            Scope.BILLING_WRITE,
            Scope.ANALYTICS_READ,
        }
    ),
    # PATIENT: only their own data.
    Role.PATIENT: frozenset(
        _EVERYONE
        | {
            Scope.PATIENTS_READ_OWN,
            Scope.PATIENTS_WRITE_OWN,
            Scope.RECORDS_READ_OWN,
            Scope.APPOINTMENTS_READ_OWN,
            Scope.APPOINTMENTS_WRITE_OWN,
            Scope.PRESCRIPTIONS_READ_OWN,
            Scope.BILLING_READ_OWN,
            Scope.BILLING_PAY_OWN,
        }
    ),
}


def scope_claim(role: Role) -> str:
    """The space-separated ``scope`` claim of an access token for ``role`` (sorted, stable)."""
    return " ".join(sorted(SCOPES_BY_ROLE[role]))
