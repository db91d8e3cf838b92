"""The row rules of billing data: whose accounts, invoices and lines a caller reaches.

- ADMIN and STAFF holding ``billing:read`` reach every account, invoice and line;
- a PATIENT holding ``billing:read:own`` reaches their own account (``patient_user_id``) and its
  invoices and lines;
- a DOCTOR holding ``billing:read`` reaches the invoice lines of their own appointments only
  (never a whole invoice, whose other lines and totals belong to other visits);
- anyone else reaches nothing. Refusals are recorded as ``access.denied`` audit events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, false, true
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.scopes import PAY_BILLING, READ_BILLING, WRITE_BILLING
from subgraphs.common.audit import AccessDenial, DenialReason, deny
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import Forbidden
from subgraphs.common.tokens.scopes import Scope

__all__ = [
    "Reach",
    "account_condition",
    "can_read_account",
    "can_read_line",
    "owns",
    "reach_of",
    "refuse",
    "require_pay",
    "require_write",
]


class Reach(Enum):
    ALL = "all"  # every patient's billing
    OWN = "own"  # the caller's own account (a patient)
    OWN_LINES = "own_lines"  # lines of the caller's own appointments (a doctor)
    NONE = "none"


def reach_of(caller: Caller) -> Reach:
    """How far ``caller``'s reads go (UNAUTHENTICATED/FORBIDDEN without a billing read scope)."""
    READ_BILLING.require(caller)
    if caller.role in (Role.ADMIN, Role.STAFF) and caller.has_scopes(Scope.BILLING_READ):
        return Reach.ALL
    if caller.role is Role.PATIENT and caller.has_scopes(Scope.BILLING_READ_OWN):
        return Reach.OWN
    if caller.role is Role.DOCTOR and caller.has_scopes(Scope.BILLING_READ):
        return Reach.OWN_LINES
    return Reach.NONE


def account_condition(caller: Caller, reach: Reach, owner: Any) -> ColumnElement[bool]:
    """A SQL condition on accounts (``owner``: their patient-user column) ``caller`` reads whole."""
    if reach is Reach.ALL:
        return true()
    if reach is Reach.OWN and caller.user_id is not None:
        condition: ColumnElement[bool] = owner == caller.user_id
        return condition
    return false()


def owns(caller: Caller, owner: uuid.UUID | None) -> bool:
    """Is an account whose patient user is ``owner`` the signed-in caller's own?"""
    return caller.user_id is not None and owner == caller.user_id


def can_read_account(caller: Caller, reach: Reach, owner: uuid.UUID | None) -> bool:
    """May ``caller`` read an account of patient user ``owner``, and its invoices, whole?"""
    if reach is Reach.ALL:
        return True
    return reach is Reach.OWN and owns(caller, owner)


def can_read_line(
    caller: Caller, reach: Reach, owner: uuid.UUID | None, doctor_user_id: uuid.UUID | None
) -> bool:
    """May ``caller`` read a line on ``owner``'s account made for a visit to ``doctor_user_id``?"""
    if can_read_account(caller, reach, owner):
        return True
    return (
        reach is Reach.OWN_LINES and doctor_user_id is not None and doctor_user_id == caller.user_id
    )


@dataclass(frozen=True, slots=True)
class _Refusal:
    reason: DenialReason
    message: str


def _refusal(reach: Reach) -> _Refusal:
    if reach is Reach.OWN:
        return _Refusal(DenialReason.NOT_OWN_RECORD, "You may only see your own billing.")
    if reach is Reach.OWN_LINES:
        return _Refusal(
            DenialReason.NO_CARE_RELATIONSHIP,
            "A doctor sees only the invoice lines of their own appointments.",
        )
    return _Refusal(DenialReason.ROLE_NOT_PERMITTED, "Your role may not see billing data.")


async def refuse(
    session: AsyncSession,
    caller: Caller,
    reach: Reach,
    *,
    patient_ids: tuple[uuid.UUID, ...],
    target: dict[str, str],
    action: str = "read",
) -> Forbidden:
    """Record an ``access.denied`` event and return the FORBIDDEN to raise (or to answer)."""
    refusal = _refusal(reach)
    await deny(
        session,
        AccessDenial(
            caller=caller,
            reason=refusal.reason,
            message=refusal.message,
            action=action,
            patient_ids=patient_ids,
            target=target,
        ),
    )
    return Forbidden(refusal.message)


def require_write(caller: Caller) -> None:
    """``billing:write`` held by ADMIN or STAFF (the billing desk); else UNAUTHENTICATED/FORBIDDEN."""
    WRITE_BILLING.require(caller)
    caller.require_role(Role.ADMIN, Role.STAFF)


async def require_pay(
    session: AsyncSession, caller: Caller, *, patient_id: uuid.UUID, owner: uuid.UUID | None
) -> None:
    """May ``caller`` pay the invoices of ``patient_id`` (whose account's patient user is
    ``owner``): the desk anyone's, a patient only their own."""
    PAY_BILLING.require(caller)
    if caller.has_scopes(Scope.BILLING_WRITE) and caller.role in (Role.ADMIN, Role.STAFF):
        return
    if caller.role is Role.PATIENT and owns(caller, owner):
        return
    raise await refuse(
        session,
        caller,
        Reach.OWN if caller.role is Role.PATIENT else Reach.NONE,
        patient_ids=(patient_id,),
        target={"patientId": str(patient_id)},
        action="pay",
    )
