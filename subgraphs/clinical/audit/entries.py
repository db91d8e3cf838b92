"""What an ``audit.access`` event says, as the columns of an audit entry (never failing on odd events).

Events: ``access.read``/``access.write`` (granted; ``patients`` lists the decision per patient),
``access.denied`` (refused; ``patientIds``, ``reason``), ``access.break_glass`` (a grant
declared) and any other ``access.<action>`` (kept with the patients it names).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from subgraphs.common.audit.denials import DENIED_EVENT
from subgraphs.common.events.envelope import EventEnvelope

__all__ = ["EntryFacts", "facts_of"]

_BREAK_GLASS_EVENT = "access.break_glass"
_MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """The searchable facts of one event (the payload itself is stored whole)."""

    action: str
    allowed: bool
    reason: str | None
    break_glass: bool
    patient_ids: list[uuid.UUID]
    role: str | None
    request_id: str | None


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _text(value: Any, limit: int = _MAX_TEXT) -> str | None:
    return str(value)[:limit] if value is not None else None


def _patient_ids(values: Any) -> list[uuid.UUID]:
    found = [_uuid(value) for value in values] if isinstance(values, list) else []
    return list(dict.fromkeys(value for value in found if value is not None))


def facts_of(envelope: EventEnvelope) -> EntryFacts:
    """The facts of ``envelope``; unknown shapes give an entry naming no patient."""
    payload = envelope.payload
    kind = envelope.type.removeprefix("access.")
    role, request_id = _text(payload.get("role"), 20), _text(payload.get("requestId"))
    if envelope.type == DENIED_EVENT:
        return EntryFacts(
            action=_text(payload.get("action"), 50) or "read",
            allowed=False,
            reason=_text(payload.get("reason")),
            break_glass=False,
            patient_ids=_patient_ids(payload.get("patientIds")),
            role=role,
            request_id=request_id,
        )
    if envelope.type == _BREAK_GLASS_EVENT:
        return EntryFacts(
            action="break_glass",
            allowed=True,
            reason=_text(payload.get("reason"), 500),
            break_glass=True,
            patient_ids=_patient_ids([payload.get("patientId")]),
            role=role,
            request_id=request_id,
        )
    decisions = [p for p in payload.get("patients") or [] if isinstance(p, dict)]
    reasons = [p["reason"] for p in decisions if p.get("reason")]
    return EntryFacts(
        action=kind[:50],
        allowed=True,
        reason=_text(reasons[0], 500) if reasons else None,
        break_glass=any(p.get("basis") == "BREAK_GLASS" for p in decisions),
        patient_ids=_patient_ids([p.get("patientId") for p in decisions]),
        role=role,
        request_id=request_id,
    )
