"""The access audit store: appending events to the hash chain, catching up, verifying, reading.

HIPAA 164.312(b) audit controls, kept tamper-evident (164.312(c)(1)). How no event is lost:

- Every access event is an outbox row committed with (or, for denials, right after) the access
  it records; the relay publishes it to ``audit.access`` and marks it sent only once the broker
  acknowledged it.
- The store's consumer (:mod:`subgraphs.clinical.audit.feed`) appends each event in one
  transaction and commits its offset only afterwards; a redelivered event is stored once (the
  event id is unique and checked under the chain lock).
- The embedded broker keeps messages in memory only, so an acknowledged event can still vanish
  with a broker restart. The outbox therefore keeps every ``audit.access`` row until the store
  holds it (a trigger makes the relay's pruning skip it), and :func:`catch_up` copies the rows
  the store lacks straight from the outbox (same database), even while the broker is down.
- Appends are serialised by a transaction-scoped advisory lock, so replicas share one chain.

Only the clinical outbox is caught up from: events another service would publish to
``audit.access`` from its own database rely on the broker until that service keeps them too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.gate import authorize_and_record
from subgraphs.clinical.access.policy import AccessPurpose
from subgraphs.clinical.audit.chain import GENESIS_HASH, ChainBreak, entry_hash, first_break
from subgraphs.clinical.audit.entries import facts_of
from subgraphs.clinical.audit.models import AccessAuditEntry
from subgraphs.clinical.pagination import Keyset, Page, paginate
from subgraphs.clinical.people.models import Doctor, MedicalStaff, Patient
from subgraphs.common.context import Caller, Role
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import AUDIT_ACCESS
from subgraphs.common.outbox.models import OutboxEvent

__all__ = [
    "AUDIT_CHAIN_LOCK",
    "AccessLog",
    "ChainVerification",
    "access_log",
    "append_events",
    "catch_up",
    "verify_chain",
]

# pg_advisory_xact_lock key of the chain's single writer: "hgaudit".
AUDIT_CHAIN_LOCK = 0x6867_6175_6469_74
_VERIFY_CHUNK = 1000

_NEWEST_FIRST: Keyset[AccessAuditEntry] = Keyset(
    columns=(AccessAuditEntry.seq,),
    parsers=(int,),
    key=lambda entry: (entry.seq,),
    descending=True,
)


async def append_events(
    session: AsyncSession, envelopes: Sequence[EventEnvelope], *, now: datetime | None = None
) -> int:
    """Append the events not stored yet to the chain (in ``session``'s transaction); how many.

    Takes the chain lock until the transaction ends, so concurrent appenders queue up.
    """
    if not envelopes:
        return 0
    connection = await session.connection()
    await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK})
    ids = [envelope.id for envelope in envelopes]
    stored = set(
        (
            await session.exec(
                select(AccessAuditEntry.event_id).where(col(AccessAuditEntry.event_id).in_(ids))
            )
        ).all()
    )
    last = (
        await session.exec(
            select(AccessAuditEntry.seq, AccessAuditEntry.hash)
            .order_by(col(AccessAuditEntry.seq).desc())
            .limit(1)
        )
    ).first()
    seq, prev_hash = last if last is not None else (0, GENESIS_HASH)
    recorded_at = now or datetime.now(UTC)
    added = 0
    for envelope in envelopes:
        if envelope.id in stored:
            continue
        stored.add(envelope.id)
        facts = facts_of(envelope)
        seq += 1
        entry = AccessAuditEntry(
            seq=seq,
            event_id=envelope.id,
            event_type=envelope.type[:100],
            occurred_at=envelope.occurred_at,
            recorded_at=recorded_at,
            actor=envelope.actor[:200],
            role=facts.role,
            request_id=facts.request_id,
            action=facts.action,
            allowed=facts.allowed,
            reason=facts.reason,
            break_glass=facts.break_glass,
            patient_ids=facts.patient_ids,
            payload=envelope.payload,
            prev_hash=prev_hash,
            hash="",
        )
        entry.hash = entry_hash(entry)
        prev_hash = entry.hash
        session.add(entry)
        added += 1
    await session.flush()
    return added


async def catch_up(
    session: AsyncSession,
    *,
    older_than: timedelta,
    since: datetime | None = None,
    limit: int = 500,
) -> int:
    """Store up to ``limit`` ``audit.access`` outbox rows the store lacks; how many were stored.

    Only rows that occurred more than ``older_than`` ago (the consumer's turn first) and, when
    given, after ``since`` (a recent window instead of the whole outbox) are considered.
    """
    stored = exists().where(col(AccessAuditEntry.event_id) == col(OutboxEvent.id))
    query = select(OutboxEvent).where(
        OutboxEvent.topic == AUDIT_ACCESS.name,
        col(OutboxEvent.occurred_at) < datetime.now(UTC) - older_than,
        ~stored,
    )
    if since is not None:
        query = query.where(col(OutboxEvent.occurred_at) >= since)
    rows = (await session.exec(query.order_by(col(OutboxEvent.position)).limit(limit))).all()
    envelopes = [
        EventEnvelope(
            id=row.id,
            type=row.type,
            version=row.version,
            aggregate_type=row.aggregate_type,
            aggregate_id=row.aggregate_id,
            occurred_at=row.occurred_at,
            actor=row.actor,
            payload=row.payload,
        )
        for row in rows
    ]
    return await append_events(session, envelopes)


@dataclass(frozen=True, slots=True)
class ChainVerification:
    """Whether every entry links to the one before and matches its hash."""

    intact: bool
    entries: int
    head_hash: str
    broken: ChainBreak | None = None


async def verify_chain(session: AsyncSession, *, caller: Caller | None = None) -> ChainVerification:
    """Walk the whole chain in order; report the first broken link (ADMIN when ``caller``)."""
    if caller is not None:
        caller.require_role(Role.ADMIN)
    expected, prev_hash, count = 1, GENESIS_HASH, 0
    while True:
        entries = list(
            (
                await session.exec(
                    select(AccessAuditEntry)
                    .where(col(AccessAuditEntry.seq) >= expected)
                    .order_by(col(AccessAuditEntry.seq))
                    .limit(_VERIFY_CHUNK)
                )
            ).all()
        )
        broken = first_break(entries, expected_seq=expected, prev_hash=prev_hash)
        if broken is not None:
            return ChainVerification(False, count + broken.seq - expected, prev_hash, broken)
        if not entries:
            return ChainVerification(True, count, prev_hash)
        count += len(entries)
        expected = entries[-1].seq + 1
        prev_hash = entries[-1].hash


@dataclass(frozen=True, slots=True)
class AccessLog:
    """One page of a patient's access log and the display name of each actor on it."""

    page: Page[AccessAuditEntry]
    actor_names: Mapping[str, str]


async def access_log(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    first: int | None = None,
    after: str | None = None,
) -> AccessLog:
    """Who accessed ``patient_id``'s data, or was refused, newest first (itself an audited read).

    ADMIN reads any patient's log; a PATIENT only their own (another's is NOT_FOUND, and the
    attempt is recorded as denied).
    """
    await authorize_and_record(
        session, caller, patient_id, purpose=AccessPurpose.DEMOGRAPHICS, record_type="access_log"
    )
    query = select(AccessAuditEntry).where(col(AccessAuditEntry.patient_ids).contains([patient_id]))
    page = await paginate(session, query, _NEWEST_FIRST, first=first, after=after)
    return AccessLog(page, await _actor_names(session, (entry.actor for entry in page.items)))


async def _actor_names(session: AsyncSession, actors: Iterable[str]) -> dict[str, str]:
    """Actor (user id) -> the name of the doctor, staff member or patient linked to it.

    Accounts with no clinical profile (ADMIN, services) have no name here: their role says who.
    """
    user_ids = set()
    for actor in actors:
        try:
            user_ids.add(uuid.UUID(actor))
        except ValueError:
            continue
    names: dict[str, str] = {}
    if not user_ids:
        return names
    for model, title in ((Doctor, "Dr "), (MedicalStaff, ""), (Patient, "")):
        rows = await session.exec(
            select(model.user_id, model.given_name, model.family_name).where(
                col(model.user_id).in_(user_ids)
            )
        )
        for user_id, given, family in rows.all():
            names[str(user_id)] = f"{title}{given} {family}"
    return names
