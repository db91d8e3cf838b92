"""The hash chain of the access audit store: each entry's hash covers the previous hash and its content.

HIPAA 164.312(c)(1)/(b): integrity of the audit trail; an altered, removed or reordered entry
breaks every link after it. The content is canonical JSON (sorted keys, UTC timestamps).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from subgraphs.clinical.audit.models import AccessAuditEntry

__all__ = ["GENESIS_HASH", "ChainBreak", "canonical_content", "entry_hash", "first_break"]

GENESIS_HASH = "0" * 64


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_content(entry: AccessAuditEntry) -> bytes:
    """Every stored field but ``hash``, as canonical JSON bytes."""
    content: dict[str, Any] = {
        "seq": entry.seq,
        "eventId": str(entry.event_id),
        "eventType": entry.event_type,
        "occurredAt": _timestamp(entry.occurred_at),
        "recordedAt": _timestamp(entry.recorded_at),
        "actor": entry.actor,
        "role": entry.role,
        "requestId": entry.request_id,
        "action": entry.action,
        "allowed": entry.allowed,
        "reason": entry.reason,
        "breakGlass": entry.break_glass,
        "patientIds": [str(patient_id) for patient_id in entry.patient_ids],
        "payload": entry.payload,
        "prevHash": entry.prev_hash,
    }
    return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)


def entry_hash(entry: AccessAuditEntry) -> str:
    """SHA-256 (hex) of the entry's canonical content, which includes the previous hash."""
    return hashlib.sha256(canonical_content(entry)).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first entry whose link does not hold, and how."""

    seq: int
    event_id: uuid.UUID | None
    problem: str


def first_break(
    entries: list[AccessAuditEntry], *, expected_seq: int, prev_hash: str
) -> ChainBreak | None:
    """Check consecutive ``entries`` that should start at ``expected_seq`` after ``prev_hash``."""
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, None, f"entry {expected_seq} is missing")
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.seq, entry.event_id, "does not link to the entry before it")
        if entry_hash(entry) != entry.hash:
            return ChainBreak(entry.seq, entry.event_id, "its content does not match its hash")
        prev_hash = entry.hash
        expected_seq += 1
    return None
