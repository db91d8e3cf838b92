"""Who may act on an appointment: the caller's role, their access to the patient, their doctor."""

from __future__ import annotations

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.policy import (
    AccessDecision,
    AccessPurpose,
    authorize_patient_access,
)
from subgraphs.clinical.access.principal import Principal, resolve_principal
from subgraphs.clinical.access.scopes import Scope
from subgraphs.clinical.appointments.models import Appointment
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import Forbidden, NotFound

__all__ = ["DESK", "MANAGERS", "authorize", "authorized_row", "may_overbook"]

# Book, reschedule, cancel.
MANAGERS = frozenset({Role.ADMIN, Role.STAFF, Role.DOCTOR, Role.PATIENT})
# Check in, complete, mark a no-show.
DESK = frozenset({Role.ADMIN, Role.STAFF, Role.DOCTOR})


async def authorize(
    session: AsyncSession,
    caller: Caller,
    *,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
    roles: frozenset[Role] = MANAGERS,
) -> tuple[Principal, AccessDecision]:
    """The caller may act on appointments between this patient and doctor.

    PATIENT: their own only; DOCTOR: their own schedule, for patients in their care; STAFF and
    ADMIN: anyone's. Unknown patients are NOT_FOUND.
    """
    principal = await resolve_principal(session, caller)
    if principal.role not in roles:
        raise Forbidden("Your role may not do this to an appointment.")
    decision = await authorize_patient_access(
        session, caller, patient_id, purpose=AccessPurpose.APPOINTMENTS
    )
    if principal.role is Role.DOCTOR and principal.doctor_id != doctor_id:
        raise Forbidden("Doctors manage only the appointments in their own schedule.")
    return principal, decision


def may_overbook(principal: Principal, doctor_id: uuid.UUID) -> bool:
    """ADMIN or the doctor themself, holding the ``appointments:overbook`` scope."""
    if not principal.caller.has_scopes(Scope.APPOINTMENTS_OVERBOOK.value):
        return False
    return principal.role is Role.ADMIN or (
        principal.role is Role.DOCTOR and principal.doctor_id == doctor_id
    )


async def authorized_row(
    session: AsyncSession, caller: Caller, appointment_id: uuid.UUID, roles: frozenset[Role]
) -> tuple[Appointment, Principal]:
    """The appointment, locked for this change, once the caller may change it (else NOT_FOUND)."""
    row = (
        await session.exec(
            select(Appointment).where(Appointment.id == appointment_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("No such appointment.")
    try:
        principal, _ = await authorize(
            session, caller, patient_id=row.patient_id, doctor_id=row.doctor_id, roles=roles
        )
    except NotFound:
        raise NotFound("No such appointment.") from None
    return row, principal
