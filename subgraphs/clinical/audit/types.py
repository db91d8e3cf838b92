"""GraphQL types of the access audit store: a patient's access log and the chain verification."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry

from subgraphs.clinical.audit.models import AccessAuditEntry
from subgraphs.clinical.audit.service import ChainVerification

__all__ = ["ACCESS_LOG_POLICY", "AccessLogEntry", "AccessedPart", "AuditChainVerification"]

ACCESS_LOG_POLICY = "clinical.access_log"


@strawberry.type(description="One part of the patient's data an access touched.")
class AccessedPart:
    type: str = strawberry.field(
        description="patient, appointment, medical_record, prescription, care_team, access_log..."
    )
    id: strawberry.ID | None


@strawberry.type(
    description="Who accessed (or was refused) one patient's data, when, which part and why."
)
class AccessLogEntry:
    sequence: int = strawberry.field(description="The entry's place in the tamper-evident chain.")
    at: datetime
    actor_user_id: str = strawberry.field(description="The unique user id of who acted.")
    actor_name: str | None = strawberry.field(
        description="The name of the doctor, staff member or patient who acted (null for an "
        "account without a clinical profile, e.g. ADMIN: see actorRole)."
    )
    actor_role: str | None
    action: str = strawberry.field(description="read, write, break_glass...")
    allowed: bool
    reason: str | None = strawberry.field(
        description="Denied: the refusal code (e.g. NO_CARE_RELATIONSHIP). Allowed: the stated reason."
    )
    denial_message: str | None
    break_glass: bool
    purpose: str | None
    basis: str | None = strawberry.field(
        description="Why access was granted (SELF, CARE_RELATIONSHIP...)."
    )
    parts: list[AccessedPart]
    request_id: str | None

    @classmethod
    def of(
        cls, entry: AccessAuditEntry, patient_id: uuid.UUID, actor_name: str | None = None
    ) -> AccessLogEntry:
        """``entry`` as seen from ``patient_id``'s log: only that patient's part of it."""
        payload = entry.payload
        mine = str(patient_id)
        decision: dict[str, Any] = next(
            (
                p
                for p in payload.get("patients") or []
                if isinstance(p, dict) and p.get("patientId") == mine
            ),
            {},
        )
        parts = [
            AccessedPart(type=str(r.get("type")), id=strawberry.ID(str(r.get("id"))))
            for r in payload.get("records") or []
            if isinstance(r, dict) and r.get("patientId") == mine
        ]
        target = payload.get("target")
        kind = target.get("type") or target.get("field") if isinstance(target, dict) else None
        if not parts and isinstance(target, dict) and kind:
            given = target.get("id") or (mine if kind == "patient" else None)
            parts = [AccessedPart(type=str(kind), id=strawberry.ID(str(given)) if given else None)]
        return cls(
            sequence=entry.seq,
            at=entry.occurred_at,
            actor_user_id=entry.actor,
            actor_name=actor_name,
            actor_role=entry.role,
            action=entry.action,
            allowed=entry.allowed,
            reason=decision.get("reason") if entry.allowed and decision else entry.reason,
            denial_message=None if entry.allowed else payload.get("message"),
            break_glass=decision.get("basis") == "BREAK_GLASS" if decision else entry.break_glass,
            purpose=decision.get("purpose") or payload.get("purpose"),
            basis=decision.get("basis"),
            parts=parts,
            request_id=entry.request_id,
        )


@strawberry.type(
    description="Whether every audit entry links to the one before and matches its hash."
)
class AuditChainVerification:
    intact: bool
    entries: int = strawberry.field(description="Entries checked (up to the first broken link).")
    head_hash: str = strawberry.field(description="The hash of the last entry that checked out.")
    first_broken_sequence: int | None
    first_broken_event_id: strawberry.ID | None
    problem: str | None

    @classmethod
    def of(cls, result: ChainVerification) -> AuditChainVerification:
        broken = result.broken
        return cls(
            intact=result.intact,
            entries=result.entries,
            head_hash=result.head_hash,
            first_broken_sequence=broken.seq if broken else None,
            first_broken_event_id=(
                strawberry.ID(str(broken.event_id)) if broken and broken.event_id else None
            ),
            problem=broken.problem if broken else None,
        )
