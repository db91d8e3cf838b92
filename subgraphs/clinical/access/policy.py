"""The row-level access rules: who may see or change which patient's data, denying by default.

HIPAA 164.312(a): access control with emergency (break-glass) access. Every clinical service
function and every entity lookup asks :func:`authorize_patient_access` (or the batch form
:func:`authorize_patients_access`) before touching a patient's data; list queries filter with
:func:`visible_patients`, which applies the same rules in SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum

from sqlalchemy import ColumnElement, exists, false, literal, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.models import BreakGlassGrant, CareRelationship
from subgraphs.clinical.access.principal import Principal, resolve_principal
from subgraphs.clinical.people.models import CLINICAL_STAFF_ROLES, Patient, StaffRole
from subgraphs.common.audit import AccessDenial, DenialReason, deny
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import DomainError, Forbidden, NotFound

__all__ = [
    "ACTIONS",
    "AccessBasis",
    "AccessDecision",
    "AccessPurpose",
    "authorize_patient_access",
    "authorize_patients_access",
    "decisions_by_patient",
    "visible_patients",
]


class AccessPurpose(StrEnum):
    """What the caller wants to do with a patient's data.

    Action names such as ``medical_record.read`` or ``prescription.write`` are accepted too
    (``AccessPurpose("prescription.write") is AccessPurpose.PRESCRIBE``); see :data:`ACTIONS`.
    """

    DEMOGRAPHICS = "DEMOGRAPHICS"  # read the patient's identity, contact and insurance details
    APPOINTMENTS = "APPOINTMENTS"  # read or manage the patient's appointments
    CLINICAL_READ = "CLINICAL_READ"  # read notes, vitals, diagnoses, allergies, prescriptions
    CLINICAL_WRITE = "CLINICAL_WRITE"  # record encounters, notes, vitals
    PRESCRIBE = "PRESCRIBE"  # issue or revoke prescriptions

    @classmethod
    def _missing_(cls, value: object) -> AccessPurpose | None:
        return ACTIONS.get(value) if isinstance(value, str) else None

    @property
    def reads(self) -> bool:
        return self in {
            AccessPurpose.DEMOGRAPHICS,
            AccessPurpose.APPOINTMENTS,
            AccessPurpose.CLINICAL_READ,
        }


# ``<record type>.<read|write>`` action names and the purpose each needs.
ACTIONS: dict[str, AccessPurpose] = {
    "patient.read": AccessPurpose.DEMOGRAPHICS,
    "patient.write": AccessPurpose.DEMOGRAPHICS,  # a patient correcting their contact details
    "appointment.read": AccessPurpose.APPOINTMENTS,
    "appointment.write": AccessPurpose.APPOINTMENTS,
    "medical_record.read": AccessPurpose.CLINICAL_READ,
    "medical_record.write": AccessPurpose.CLINICAL_WRITE,
    "prescription.read": AccessPurpose.CLINICAL_READ,
    "prescription.write": AccessPurpose.PRESCRIBE,
}


class AccessBasis(StrEnum):
    """Why access was granted; recorded on every access event."""

    SELF = "SELF"  # a patient reading their own data
    CARE_RELATIONSHIP = "CARE_RELATIONSHIP"  # appointment, encounter or assignment
    STAFF_ROLE = "STAFF_ROLE"  # the staff member's role covers this purpose
    ADMINISTRATION = "ADMINISTRATION"  # an administrator managing people and schedules
    BREAK_GLASS = "BREAK_GLASS"  # an unexpired, audited emergency grant


@dataclass(frozen=True, slots=True)
class AccessDecision:
    """Access granted to one patient's data for one purpose, and on what basis."""

    patient_id: uuid.UUID
    purpose: AccessPurpose
    basis: AccessBasis
    reason: str | None = None
    break_glass_grant_id: uuid.UUID | None = None


class _Reach(Enum):
    """Which patients a principal reaches for a purpose (one table read by checks and filters)."""

    ALL = "all"
    SELF = "self"
    CARE_TEAM = "care team, else break-glass"
    BREAK_GLASS = "break-glass only"
    NONE = "none"


_READS = frozenset({AccessPurpose.DEMOGRAPHICS, AccessPurpose.APPOINTMENTS})

# Reach of the roles whose rules do not depend on a staff role.
_FIXED_REACH: dict[Role, dict[AccessPurpose, _Reach]] = {
    Role.PATIENT: {
        AccessPurpose.DEMOGRAPHICS: _Reach.SELF,
        AccessPurpose.APPOINTMENTS: _Reach.SELF,
        AccessPurpose.CLINICAL_READ: _Reach.SELF,
    },
    Role.DOCTOR: dict.fromkeys(AccessPurpose, _Reach.CARE_TEAM),
    Role.ADMIN: {
        AccessPurpose.DEMOGRAPHICS: _Reach.ALL,
        AccessPurpose.APPOINTMENTS: _Reach.ALL,
        AccessPurpose.CLINICAL_READ: _Reach.BREAK_GLASS,
    },
}


def _staff_reach(staff_role: StaffRole, purpose: AccessPurpose) -> _Reach:
    allowed = purpose in _READS or (
        (purpose is AccessPurpose.CLINICAL_READ and staff_role in CLINICAL_STAFF_ROLES)
        or (purpose is AccessPurpose.CLINICAL_WRITE and staff_role is StaffRole.NURSE)
    )
    return _Reach.ALL if allowed else _Reach.NONE


def _reach(principal: Principal, purpose: AccessPurpose) -> _Reach:
    """The rule table: a role without its linked profile reaches nobody (deny by default)."""
    profile = {
        Role.PATIENT: principal.patient_id,
        Role.DOCTOR: principal.doctor_id,
        Role.STAFF: principal.staff_role,
    }
    if principal.role in profile and profile[principal.role] is None:
        return _Reach.NONE
    if principal.role is Role.STAFF:
        assert principal.staff_role is not None
        return _staff_reach(principal.staff_role, purpose)
    return _FIXED_REACH[principal.role].get(purpose, _Reach.NONE)


def _basis_for_all(role: Role) -> AccessBasis:
    return AccessBasis.ADMINISTRATION if role is Role.ADMIN else AccessBasis.STAFF_ROLE


def _denied(
    principal: Principal, purpose: AccessPurpose, reach: _Reach
) -> tuple[DomainError, DenialReason]:
    if principal.role is Role.PATIENT:
        # A patient may not learn that other patients exist.
        reason = (
            DenialReason.NO_PROFILE if principal.patient_id is None else DenialReason.NOT_OWN_RECORD
        )
        return NotFound("No such patient."), reason
    if principal.role is Role.DOCTOR and principal.doctor_id is None:
        message = "Your account is not linked to an active doctor profile."
        return Forbidden(message), DenialReason.NO_PROFILE
    if principal.role is Role.STAFF and principal.staff_role is None:
        message = "Your account is not linked to an active staff profile."
        return Forbidden(message), DenialReason.NO_PROFILE
    if reach in {_Reach.CARE_TEAM, _Reach.BREAK_GLASS}:
        error = Forbidden(
            "You have no access to this patient's data; emergency access needs a break-glass "
            "grant with a stated reason.",
            extensions={"breakGlassAvailable": True},
        )
        if reach is _Reach.CARE_TEAM:
            return error, DenialReason.NO_CARE_RELATIONSHIP
        return error, DenialReason.BREAK_GLASS_ONLY
    message = f"Your role may not access patient data for {purpose.value}."
    return Forbidden(message), DenialReason.ROLE_NOT_PERMITTED


async def _record_denials(
    session: AsyncSession,
    caller: Caller,
    purpose: AccessPurpose,
    denied: Mapping[uuid.UUID, tuple[DomainError, DenialReason]],
    target: Mapping[str, str],
) -> None:
    """One ``access.denied`` event per distinct reason, naming every patient refused for it."""
    by_reason: dict[DenialReason, list[uuid.UUID]] = {}
    messages: dict[DenialReason, str] = {}
    for patient_id, (error, reason) in denied.items():
        by_reason.setdefault(reason, []).append(patient_id)
        messages[reason] = error.message
    for reason, patient_ids in by_reason.items():
        await deny(
            session,
            AccessDenial(
                caller=caller,
                reason=reason,
                message=messages[reason],
                action="read" if purpose.reads else "write",
                purpose=purpose.value,
                patient_ids=tuple(patient_ids),
                target=dict(target),
            ),
        )


async def authorize_patients_access(
    session: AsyncSession,
    caller: Caller,
    patient_ids: Iterable[uuid.UUID],
    *,
    purpose: AccessPurpose,
    reason: str | None = None,
    now: datetime | None = None,
    target: Mapping[str, str] | None = None,
) -> dict[uuid.UUID, AccessDecision | DomainError]:
    """Decide access to each patient in one or two queries; unknown ids map to NOT_FOUND.

    The result maps every requested id to an :class:`AccessDecision` or to the error to raise
    for it (``NotFound`` or ``Forbidden``), so batched loaders can answer each key on its own.
    Every refusal of an existing patient is recorded as an ``access.denied`` audit event that
    survives the caller's transaction (:func:`subgraphs.common.audit.deny`); ``target`` (e.g.
    ``{"type": "medical_record", "id": ...}``) names what was asked for in that event.
    """
    wanted = list(dict.fromkeys(patient_ids))
    if not wanted:
        return {}
    principal = await resolve_principal(session, caller)
    reach = _reach(principal, purpose)
    when = now or datetime.now(UTC)
    in_care = (
        exists()
        .where(
            col(CareRelationship.patient_id) == col(Patient.id),
            col(CareRelationship.doctor_id) == principal.doctor_id,
            col(CareRelationship.ended_at).is_(None),
        )
        .correlate(Patient)
        if reach is _Reach.CARE_TEAM and principal.doctor_id is not None
        else literal(False)
    )
    grant = (
        select(BreakGlassGrant.id, BreakGlassGrant.reason)
        .where(
            col(BreakGlassGrant.patient_id) == col(Patient.id),
            col(BreakGlassGrant.user_id) == principal.user_id,
            col(BreakGlassGrant.expires_at) > when,
        )
        .order_by(col(BreakGlassGrant.expires_at).desc())
        .limit(1)
        .correlate(Patient)
        .lateral("grant")
    )
    statement = (
        select(Patient.id, in_care.label("in_care"), grant.c.id, grant.c.reason)
        .outerjoin(grant, true())
        .where(col(Patient.id).in_(wanted))
    )
    rows = {row[0]: row for row in (await session.exec(statement)).all()}
    results: dict[uuid.UUID, AccessDecision | DomainError] = {}
    denied: dict[uuid.UUID, tuple[DomainError, DenialReason]] = {}
    for patient_id in wanted:
        row = rows.get(patient_id)
        if row is None:
            results[patient_id] = NotFound("No such patient.")
            continue
        _, cared_for, grant_id, grant_reason = row
        decision: AccessDecision | None = None
        if reach is _Reach.ALL:
            decision = AccessDecision(patient_id, purpose, _basis_for_all(principal.role), reason)
        elif reach is _Reach.SELF and patient_id == principal.patient_id:
            decision = AccessDecision(patient_id, purpose, AccessBasis.SELF, reason)
        elif reach is _Reach.CARE_TEAM and cared_for:
            decision = AccessDecision(patient_id, purpose, AccessBasis.CARE_RELATIONSHIP, reason)
        elif reach in {_Reach.CARE_TEAM, _Reach.BREAK_GLASS} and grant_id is not None:
            stated = f"{grant_reason} ({reason})" if reason else grant_reason
            decision = AccessDecision(
                patient_id, purpose, AccessBasis.BREAK_GLASS, stated, break_glass_grant_id=grant_id
            )
        if decision is None:
            denied[patient_id] = _denied(principal, purpose, reach)
            results[patient_id] = denied[patient_id][0]
        else:
            results[patient_id] = decision
    if denied:
        await _record_denials(session, caller, purpose, denied, target or {})
    return results


async def authorize_patient_access(
    session: AsyncSession,
    caller: Caller,
    patient_id: uuid.UUID,
    *,
    purpose: AccessPurpose,
    reason: str | None = None,
    now: datetime | None = None,
    target: Mapping[str, str] | None = None,
) -> AccessDecision:
    """Allow ``caller`` to use ``patient_id``'s data for ``purpose``, or raise the reason not.

    Raises ``Unauthenticated`` (anonymous), ``NotFound`` (unknown patient, or another patient
    asked for by a PATIENT) or ``Forbidden`` (with ``extensions.breakGlassAvailable`` when a
    break-glass grant would allow it). Writes nothing: callers that read data record it with
    :func:`~subgraphs.clinical.access.audit.record_access` (or use the audited
    :func:`~subgraphs.clinical.access.gate.authorize_and_record`).
    """
    outcome = (
        await authorize_patients_access(
            session, caller, [patient_id], purpose=purpose, reason=reason, now=now, target=target
        )
    )[patient_id]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def visible_patients(
    principal: Principal,
    patient_id_column: uuid.UUID,
    *,
    purpose: AccessPurpose,
    now: datetime | None = None,
) -> ColumnElement[bool]:
    """A SQL condition true for rows whose patient ``principal`` may access for ``purpose``.

    The same rules as :func:`authorize_patients_access`, for list queries and searches.
    """
    column = col(patient_id_column)  # an ORM attribute such as Patient.id or Appointment.patient_id
    reach = _reach(principal, purpose)
    when = now or datetime.now(UTC)
    granted = column.in_(
        select(BreakGlassGrant.patient_id).where(
            BreakGlassGrant.user_id == principal.user_id, BreakGlassGrant.expires_at > when
        )
    )
    if reach is _Reach.ALL:
        return true()
    if reach is _Reach.SELF:
        return column == principal.patient_id
    if reach is _Reach.CARE_TEAM:
        cared = column.in_(
            select(CareRelationship.patient_id).where(
                CareRelationship.doctor_id == principal.doctor_id,
                col(CareRelationship.ended_at).is_(None),
            )
        )
        return or_(cared, granted)
    if reach is _Reach.BREAK_GLASS:
        return granted
    return false()


def decisions_by_patient(
    outcomes: Mapping[uuid.UUID, AccessDecision | DomainError],
) -> dict[uuid.UUID, AccessDecision]:
    """Only the granted decisions of a batch (what :func:`record_access` records)."""
    return {
        patient_id: outcome
        for patient_id, outcome in outcomes.items()
        if isinstance(outcome, AccessDecision)
    }
