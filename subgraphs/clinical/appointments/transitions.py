"""The visit's status: cancel, check in, complete, no-show; who may, from which status, and when."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.appointments.journal import record_change
from subgraphs.clinical.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
)
from subgraphs.clinical.appointments.permissions import DESK, MANAGERS, authorized_row
from subgraphs.clinical.appointments.requested import clean_reason, now_or
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput, Conflict

__all__ = [
    "CHECK_IN_WINDOW",
    "cancel_appointment",
    "check_in_appointment",
    "complete_appointment",
    "mark_no_show",
    "require_status",
]

CHECK_IN_WINDOW = timedelta(hours=2)


def require_status(row: Appointment, *allowed: AppointmentStatus, action: str) -> None:
    """CONFLICT unless the appointment is in one of the ``allowed`` statuses."""
    if row.status not in {status.value for status in allowed}:
        raise Conflict(
            f"A {row.status} appointment cannot be {action}.",
            extensions={"status": row.status},
        )


def _no_timing(_: Appointment, __: datetime) -> str | None:
    return None


def _check_in_timing(row: Appointment, when: datetime) -> str | None:
    if when < row.starts_at - CHECK_IN_WINDOW:
        return "Check-in opens two hours before the appointment."
    if when >= row.ends_at:
        return "The appointment is over: complete it or mark it as a no-show."
    return None


def _after_start(message: str) -> Callable[[Appointment, datetime], str | None]:
    return lambda row, when: message if when < row.starts_at else None


@dataclass(frozen=True, slots=True)
class _Step:
    """One status change of a visit: target, event, who, from which statuses, and when."""

    to: AppointmentStatus
    event: str
    action: str
    allowed_from: frozenset[AppointmentStatus]
    roles: frozenset[Role]
    timing: Callable[[Appointment, datetime], str | None] = _no_timing


_BOOKED_ONLY = frozenset({AppointmentStatus.BOOKED})
_CANCEL = _Step(AppointmentStatus.CANCELLED, "cancelled", "cancelled", ACTIVE_STATUSES, MANAGERS)
_CHECK_IN = _Step(
    AppointmentStatus.CHECKED_IN, "checked_in", "checked in", _BOOKED_ONLY, DESK, _check_in_timing
)
_COMPLETE = _Step(
    AppointmentStatus.COMPLETED,
    "completed",
    "completed",
    ACTIVE_STATUSES,
    DESK,
    _after_start("An appointment cannot be completed before it starts."),
)
_NO_SHOW = _Step(
    AppointmentStatus.NO_SHOW,
    "no_show",
    "marked as a no-show",
    _BOOKED_ONLY,
    DESK,
    _after_start("A patient can be a no-show only after the appointment's start."),
)


async def _step(
    session: AsyncSession,
    step: _Step,
    *,
    caller: Caller,
    appointment_id: uuid.UUID,
    reason: str | None,
    now: datetime | None,
) -> Appointment:
    when = now_or(now)
    row, _ = await authorized_row(session, caller, appointment_id, step.roles)
    require_status(row, *step.allowed_from, action=step.action)
    problem = step.timing(row, when)
    if problem:
        raise BadUserInput(problem)
    from_status = row.status
    row.status = step.to.value
    if step.to is AppointmentStatus.CANCELLED:
        row.cancellation_reason = reason
    row.version += 1
    row.updated_at = when
    row.updated_by = caller.actor
    session.add(row)
    await session.flush()
    await record_change(
        session,
        row,
        event=step.event,
        actor=caller.actor,
        from_status=from_status,
        reason=reason,
        when=when,
    )
    return row


async def cancel_appointment(
    session: AsyncSession,
    *,
    caller: Caller,
    appointment_id: uuid.UUID,
    reason: str,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a BOOKED or CHECKED_IN appointment; the reason is required and recorded."""
    stated = clean_reason(reason, required=True)
    return await _step(
        session, _CANCEL, caller=caller, appointment_id=appointment_id, reason=stated, now=now
    )


async def check_in_appointment(
    session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID, now: datetime | None = None
) -> Appointment:
    """The patient has arrived: from two hours before the start until the appointment ends."""
    return await _step(
        session, _CHECK_IN, caller=caller, appointment_id=appointment_id, reason=None, now=now
    )


async def complete_appointment(
    session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID, now: datetime | None = None
) -> Appointment:
    """The visit happened (from its start time on)."""
    return await _step(
        session, _COMPLETE, caller=caller, appointment_id=appointment_id, reason=None, now=now
    )


async def mark_no_show(
    session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID, now: datetime | None = None
) -> Appointment:
    """The patient did not come (a BOOKED appointment, once its start time has passed)."""
    return await _step(
        session, _NO_SHOW, caller=caller, appointment_id=appointment_id, reason=None, now=now
    )
