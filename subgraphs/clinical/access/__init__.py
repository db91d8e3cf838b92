"""Who may see and change which patient data, and the audit trail of every clinical read.

The API other clinical domains use:

- :func:`authorize_patient_access` / :func:`authorize_patients_access` (one patient / a batch:
  decisions, nothing recorded), then :func:`record_access` for what was read;
- :func:`authorize_and_record` (one patient, checked and its access event recorded at once);
- :func:`visible_patients` (the same rules as a SQL condition for list queries);
- :func:`link_doctor_to_patient` (puts a doctor in the care team, e.g. after an encounter).
"""

from subgraphs.clinical.access.audit import AUDIT_TOPIC, AccessedRecord, record_access
from subgraphs.clinical.access.care import link_doctor_to_patient
from subgraphs.clinical.access.gate import authorize_and_record
from subgraphs.clinical.access.models import CareSource
from subgraphs.clinical.access.policy import (
    ACTIONS,
    AccessBasis,
    AccessDecision,
    AccessPurpose,
    authorize_patient_access,
    authorize_patients_access,
    decisions_by_patient,
    visible_patients,
)
from subgraphs.clinical.access.principal import Principal, resolve_principal
from subgraphs.clinical.access.scopes import Scope
from subgraphs.common.field_guard import guarded, require_scopes
from subgraphs.common.tokens.rules import ScopeRule

__all__ = [
    "ACTIONS",
    "AUDIT_TOPIC",
    "AccessBasis",
    "AccessDecision",
    "AccessPurpose",
    "AccessedRecord",
    "CareSource",
    "Principal",
    "Scope",
    "ScopeRule",
    "authorize_and_record",
    "authorize_patient_access",
    "authorize_patients_access",
    "decisions_by_patient",
    "guarded",
    "link_doctor_to_patient",
    "record_access",
    "require_scopes",
    "resolve_principal",
    "visible_patients",
]
