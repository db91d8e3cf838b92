"""SMART-on-FHIR style scopes (SMART App Launch v1, scopes-and-launch-context) from our scope table.

An access token carries our own scopes (:mod:`subgraphs.common.tokens.scopes`); each maps to the
SMART scopes it stands for: an ``:own`` scope to ``patient/<Type>.<read|write>`` (the patient's
compartment), any other to ``user/<Type>.<read|write>`` (what the user may see, by the row rules).
A FHIR interaction needs one SMART scope naming its type (or ``*``) and mode; the row rules of the
serving subgraph (clinical's or billing's access policy) then decide which rows that reaches, as
for GraphQL. One table for every subgraph's FHIR API, as :mod:`subgraphs.common.tokens.scopes` is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from subgraphs.common.context import Caller
from subgraphs.common.errors import Forbidden
from subgraphs.common.tokens.scopes import Scope

__all__ = ["SMART_SCOPES", "Mode", "require_smart", "scopes_for", "smart_scopes"]


class Mode(StrEnum):
    READ = "read"
    WRITE = "write"


_RECORDS = ("Encounter", "Observation", "Condition")
_PRESCRIPTIONS = ("MedicationRequest", "Provenance")
_DIRECTORY = ("Practitioner", "PractitionerRole", "Schedule", "Slot")
_BILLING = ("Invoice", "Claim", "Coverage")

# Our scope -> the SMART scopes it grants.
SMART_SCOPES: Mapping[Scope, frozenset[str]] = {
    Scope.PATIENTS_READ: frozenset({"user/Patient.read"}),
    Scope.PATIENTS_READ_OWN: frozenset({"patient/Patient.read"}),
    Scope.PATIENTS_WRITE: frozenset({"user/Patient.write"}),
    Scope.APPOINTMENTS_READ: frozenset({"user/Appointment.read"}),
    Scope.APPOINTMENTS_READ_OWN: frozenset({"patient/Appointment.read"}),
    Scope.APPOINTMENTS_WRITE: frozenset({"user/Appointment.write"}),
    Scope.APPOINTMENTS_WRITE_OWN: frozenset({"patient/Appointment.write"}),
    Scope.RECORDS_READ: frozenset(f"user/{t}.read" for t in _RECORDS),
    Scope.RECORDS_READ_OWN: frozenset(f"patient/{t}.read" for t in _RECORDS),
    Scope.RECORDS_BREAK_GLASS: frozenset(f"user/{t}.read" for t in _RECORDS + _PRESCRIPTIONS),
    Scope.PRESCRIPTIONS_READ: frozenset(f"user/{t}.read" for t in _PRESCRIPTIONS),
    Scope.PRESCRIPTIONS_READ_OWN: frozenset(f"patient/{t}.read" for t in _PRESCRIPTIONS),
    # The directory (doctors, their roles, schedules and free slots) is open to every user.
    Scope.PROFILE_READ: frozenset(f"user/{t}.read" for t in _DIRECTORY),
    # Billing (served by the billing subgraph): the desk every account's, a patient their own.
    Scope.BILLING_READ: frozenset(f"user/{t}.read" for t in _BILLING),
    Scope.BILLING_READ_OWN: frozenset(f"patient/{t}.read" for t in _BILLING),
}


def scopes_for(resource_types: Iterable[str]) -> list[str]:
    """Every SMART scope of the table that names one of ``resource_types`` (sorted)."""
    kinds = set(resource_types)
    return sorted(
        scope
        for granted in SMART_SCOPES.values()
        for scope in granted
        if scope.split("/", 1)[1].rsplit(".", 1)[0] in kinds
    )


def smart_scopes(caller: Caller) -> frozenset[str]:
    """The SMART scopes ``caller``'s token grants (none when anonymous)."""
    granted: set[str] = set()
    for scope in caller.scopes:
        try:
            granted |= SMART_SCOPES.get(Scope(scope), frozenset())
        except ValueError:
            continue
    return frozenset(granted)


def require_smart(caller: Caller, resource_type: str, mode: Mode) -> None:
    """UNAUTHENTICATED when anonymous; FORBIDDEN unless a SMART scope opens ``resource_type``."""
    caller.require_authenticated()
    granted = smart_scopes(caller)
    wanted = {
        f"{context}/{kind}.{mode.value}"
        for context in ("patient", "user")
        for kind in (resource_type, "*")
    }
    if granted.isdisjoint(wanted):
        raise Forbidden(
            f"Your access token grants no scope for {mode.value} of {resource_type} "
            f"(patient/{resource_type}.{mode.value} or user/{resource_type}.{mode.value}).",
        )
