"""Which scopes of the shared role table open each kind of clinical field.

The scopes themselves and the role -> scope table live once, in
:mod:`subgraphs.common.tokens.scopes`. A clinical field needs any one scope of its
:class:`ScopeRule` (Apollo ``@requiresScopes``: outer list OR), e.g. ``patients:read`` for staff
or ``patients:read:own`` for a patient; the row-level rules of
:mod:`subgraphs.clinical.access.policy` then decide which patients' data that reaches.
"""

from __future__ import annotations

from subgraphs.common.tokens.rules import ScopeRule
from subgraphs.common.tokens.scopes import Scope

__all__ = [
    "APPOINTMENT_POLICY",
    "BREAK_GLASS",
    "PATIENT_POLICY",
    "PRESCRIPTION_POLICY",
    "READ_ACCESS_LOG",
    "READ_APPOINTMENTS",
    "READ_PATIENTS",
    "READ_PRESCRIPTIONS",
    "READ_RECORDS",
    "RECORD_POLICY",
    "VERIFY_AUDIT",
    "WRITE_APPOINTMENTS",
    "WRITE_CARE_TEAMS",
    "WRITE_OWN_CONTACT_DETAILS",
    "WRITE_PATIENTS",
    "WRITE_PRESCRIPTIONS",
    "WRITE_RECORDS",
    "WRITE_SCHEDULES",
    "WRITE_STAFF",
    "Scope",
]


READ_PATIENTS = ScopeRule(Scope.PATIENTS_READ, Scope.PATIENTS_READ_OWN)
WRITE_PATIENTS = ScopeRule(Scope.PATIENTS_WRITE)
WRITE_OWN_CONTACT_DETAILS = ScopeRule(Scope.PATIENTS_WRITE_OWN)
WRITE_STAFF = ScopeRule(Scope.STAFF_WRITE)
WRITE_SCHEDULES = ScopeRule(Scope.SCHEDULE_WRITE)
WRITE_CARE_TEAMS = ScopeRule(Scope.CARE_TEAM_WRITE)
READ_APPOINTMENTS = ScopeRule(Scope.APPOINTMENTS_READ, Scope.APPOINTMENTS_READ_OWN)
WRITE_APPOINTMENTS = ScopeRule(Scope.APPOINTMENTS_WRITE, Scope.APPOINTMENTS_WRITE_OWN)
BREAK_GLASS = ScopeRule(Scope.RECORDS_BREAK_GLASS)
# ADMIN reads clinical data only through break-glass, so the break-glass scope opens the field
# and the row rules demand an unexpired grant.
READ_RECORDS = ScopeRule(Scope.RECORDS_READ, Scope.RECORDS_READ_OWN, Scope.RECORDS_BREAK_GLASS)
WRITE_RECORDS = ScopeRule(Scope.RECORDS_WRITE)
READ_PRESCRIPTIONS = ScopeRule(
    Scope.PRESCRIPTIONS_READ, Scope.PRESCRIPTIONS_READ_OWN, Scope.RECORDS_BREAK_GLASS
)
WRITE_PRESCRIPTIONS = ScopeRule(Scope.PRESCRIPTIONS_WRITE)
# The audit trail: ADMIN reads any patient's access log, a patient their own ("who accessed it").
READ_ACCESS_LOG = ScopeRule(Scope.AUDIT_READ, Scope.RECORDS_READ_OWN)
VERIFY_AUDIT = ScopeRule(Scope.AUDIT_READ)

# The row-level rules (``@policy`` names) of each kind of patient data, enforced by
# :mod:`subgraphs.clinical.access.policy`: every field reaching that kind of data carries its name.
PATIENT_POLICY = "clinical.patient_access"
APPOINTMENT_POLICY = "clinical.appointment_access"
RECORD_POLICY = "clinical.record_access"
PRESCRIPTION_POLICY = "clinical.prescription_access"
