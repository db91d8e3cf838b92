"""Claim rules: submit (anchor the claim's hash on chain), move it through its lifecycle, verify it.

- ``submit_claim`` (ADMIN/STAFF with ``billing:write``) claims an issued invoice's amount from the
  account's insurer. The hash of the claim's canonical document (:mod:`.document`) is anchored in
  ``ClaimRegistry`` first: the contract refuses a hash it holds, so the same claim cannot be
  submitted twice. The row keeps the anchoring transaction's hash.
- ``change_claim_status`` moves SUBMITTED -> VALIDATED -> APPROVED | DENIED, APPROVED -> PAID; each
  change is recorded on chain by the insurer's account, then in ``claim_status_change``.
- ``verify_claim`` recomputes the hash from the row and compares it with what the anchoring
  transaction put on chain, and the row's status with the chain's: an edited row shows as TAMPERED.
- Reads follow the billing row rules: the desk sees every claim, a patient their own.
- Every change writes its ``claim.*`` event to ``billing.events`` in the same transaction; run the
  writes in :meth:`Database.transact`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.audit import record_reads
from subgraphs.billing.access.policy import (
    Reach,
    account_condition,
    reach_of,
    refuse,
    require_write,
)
from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.accounts.readable import load_readable
from subgraphs.billing.claims.chain.client import ChainTransaction
from subgraphs.billing.claims.chain.errors import ClaimAlreadyAnchored
from subgraphs.billing.claims.chain.registry import ClaimRegistry
from subgraphs.billing.claims.chain.status import ChainStatus
from subgraphs.billing.claims.document import ClaimDocument, hash_hex
from subgraphs.billing.claims.models import CLAIM_TRANSITIONS, Claim, ClaimStatus, ClaimStatusChange
from subgraphs.billing.events import record_billing_event
from subgraphs.billing.invoices.models import Invoice, InvoiceKind, InvoiceStatus
from subgraphs.billing.invoices.service import MAX_PAGE
from subgraphs.billing.keyset import older_than
from subgraphs.billing.money import to_minor
from subgraphs.common.context import Caller
from subgraphs.common.errors import BadUserInput, Conflict, NotFound

__all__ = [
    "ClaimVerification",
    "Integrity",
    "change_claim_status",
    "claim_document",
    "get_claim",
    "list_claims",
    "load_claims",
    "status_changes_of",
    "submit_claim",
    "verify_claim",
]

_CODE = re.compile(r"[A-Z0-9][A-Z0-9.\-]{0,19}")
MAX_CODES = 25
_TEXT = {"payer": 200, "policyNumber": 100, "note": 500}
_CLAIMABLE = frozenset({InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID})
_EVENTS = {
    ClaimStatus.VALIDATED: "claim.validated",
    ClaimStatus.APPROVED: "claim.decided",
    ClaimStatus.DENIED: "claim.decided",
    ClaimStatus.PAID: "claim.paid",
}


class Integrity(StrEnum):
    """What :func:`verify_claim` found."""

    INTACT = "INTACT"  # the row hashes to what was anchored, and its status is the chain's
    TAMPERED = "TAMPERED"  # the row no longer matches the chain
    NOT_ON_CHAIN = "NOT_ON_CHAIN"  # the anchoring transaction is not on this chain (reset?)


@dataclass(frozen=True, slots=True)
class ClaimVerification:
    claim: Claim
    integrity: Integrity
    stored_hash: str  # the hash the row says was anchored
    computed_hash: str  # the hash of the row as it is now
    anchored_hash: str | None  # what the anchoring transaction put on chain
    chain_status: ClaimStatus | None  # the chain's status for the anchored hash
    mismatches: tuple[str, ...]  # which checks failed: content, hash, status


def _text(value: str | None, field: str, *, required: bool = True) -> str | None:
    stated = (value or "").strip()
    if not stated:
        if required:
            raise BadUserInput(f"{field} is required.", extensions={"field": field})
        return None
    if len(stated) > _TEXT[field]:
        raise BadUserInput(
            f"{field} is longer than {_TEXT[field]} characters.", extensions={"field": field}
        )
    return stated


def _codes(codes: Sequence[str]) -> list[str]:
    cleaned = [code.strip().upper() for code in codes]
    if not 1 <= len(cleaned) <= MAX_CODES:
        raise BadUserInput(f"A claim lists 1 to {MAX_CODES} codes.", extensions={"field": "codes"})
    for code in cleaned:
        if not _CODE.fullmatch(code):
            raise BadUserInput(
                f"{code!r} is not a diagnosis or procedure code (letters, digits, '.', '-').",
                extensions={"field": "codes"},
            )
    if len(set(cleaned)) != len(cleaned):
        raise BadUserInput("A code is listed twice.", extensions={"field": "codes"})
    return cleaned


def claim_document(claim: Claim) -> ClaimDocument:
    """The anchored document of ``claim`` as its row reads now."""
    return ClaimDocument(
        invoice_id=claim.invoice_id,
        patient_id=claim.patient_id,
        payer=claim.payer,
        policy_number=claim.policy_number,
        codes=tuple(claim.codes),
        amount_minor=claim.amount_minor,
        currency=claim.currency,
    )


async def submit_claim(
    session: AsyncSession,
    *,
    registry: ClaimRegistry,
    caller: Caller,
    invoice_id: uuid.UUID,
    codes: Sequence[str],
    amount: Decimal | str | None = None,
    payer: str | None = None,
    policy_number: str | None = None,
    now: datetime | None = None,
) -> Claim:
    """Claim ``amount`` (default: what the invoice bills, net of credit notes) of an issued invoice."""
    require_write(caller)
    row = (
        await session.exec(
            select(Invoice, BillingAccount)
            .join(BillingAccount, col(BillingAccount.id) == col(Invoice.account_id))
            .where(col(Invoice.id) == invoice_id)
        )
    ).first()
    if row is None:
        raise NotFound("No such invoice.")
    invoice, account = row
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in _CLAIMABLE:
        raise Conflict(
            f"Only an issued invoice can be claimed; {invoice.number or invoice.id} is "
            f"{invoice.status}.",
            extensions={"status": invoice.status},
        )
    claimable = invoice.total_minor - invoice.credited_minor
    amount_minor = claimable if amount is None else to_minor(amount, invoice.currency)
    if not 0 < amount_minor <= claimable:
        raise BadUserInput(
            "The claimed amount must be positive and at most what the invoice bills.",
            extensions={"field": "amount"},
        )
    document = ClaimDocument(
        invoice_id=invoice.id,
        patient_id=invoice.patient_id,
        payer=_text(payer or account.insurer, "payer") or "",
        policy_number=_text(policy_number or account.policy_number, "policyNumber") or "",
        codes=tuple(_codes(codes)),
        amount_minor=amount_minor,
        currency=invoice.currency,
    )
    digest = document.digest()
    try:
        anchored = await registry.anchor(digest)
    except ClaimAlreadyAnchored:
        existing = (
            await session.exec(select(Claim.id).where(col(Claim.content_hash) == hash_hex(digest)))
        ).first()
        recovered = await registry.find_anchor(digest) if existing is None else None
        if recovered is None:
            raise  # the contract's refusal, as it came
        # Anchored by a submission whose transaction then failed: this one completes it.
        anchored = recovered
    when = now or datetime.now(UTC)
    claim = Claim(
        invoice_id=invoice.id,
        account_id=account.id,
        patient_id=invoice.patient_id,
        payer=document.payer,
        policy_number=document.policy_number,
        codes=list(document.codes),
        amount_minor=amount_minor,
        currency=invoice.currency,
        status=ClaimStatus.SUBMITTED,
        content_hash=hash_hex(digest),
        anchor_tx_hash=anchored.tx_hash,
        anchor_block=anchored.block_number,
        registry_address=registry.address or "",
        submitted_at=when,
        submitted_by=caller.actor,
        updated_at=when,
        updated_by=caller.actor,
    )
    session.add(claim)
    try:
        await session.flush()
    except IntegrityError:
        raise ClaimAlreadyAnchored(hash_hex(digest)) from None
    await _event(session, claim, "claim.submitted", caller.actor)
    return claim


async def change_claim_status(
    session: AsyncSession,
    *,
    registry: ClaimRegistry,
    caller: Caller,
    claim_id: uuid.UUID,
    status: ClaimStatus,
    note: str | None = None,
    now: datetime | None = None,
) -> Claim:
    """Move a claim to ``status``, recorded on chain by the insurer's account, then here."""
    require_write(caller)
    stated = _text(note, "note", required=False)
    claim = (
        await session.exec(
            select(Claim)
            .where(col(Claim.id) == claim_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).first()
    if claim is None:
        raise NotFound("No such claim.")
    current = ClaimStatus(claim.status)
    if status not in CLAIM_TRANSITIONS[current]:
        raise Conflict(
            f"A {current} claim cannot become {status}.",
            extensions={"reason": "INVALID_TRANSITION", "from": current, "to": status},
        )
    if claim.registry_address != registry.address:
        raise Conflict(
            f"The claim is anchored in ClaimRegistry {claim.registry_address}, not in the "
            "configured one: set BILLING_CHAIN_CONTRACT_ADDRESS to it.",
            extensions={"reason": "OTHER_REGISTRY"},
        )
    recorded = await _record_status(registry, claim, ChainStatus[status.value])
    when = now or datetime.now(UTC)
    session.add(
        ClaimStatusChange(
            claim_id=claim.id,
            from_status=current,
            to_status=status,
            tx_hash=recorded.tx_hash,
            block_number=recorded.block_number,
            note=stated,
            changed_at=when,
            changed_by=caller.actor,
        )
    )
    claim.status = status
    if status in (ClaimStatus.APPROVED, ClaimStatus.DENIED):
        claim.decision_note = stated
    claim.version += 1
    claim.updated_at = when
    claim.updated_by = caller.actor
    session.add(claim)
    await session.flush()
    await _event(session, claim, _EVENTS[status], caller.actor, tx_hash=recorded.tx_hash)
    return claim


async def _record_status(
    registry: ClaimRegistry, claim: Claim, status: ChainStatus
) -> ChainTransaction:
    """``setStatus`` on chain, unless an earlier attempt got there and its transaction rolled back
    here: then that attempt's transaction is recorded."""
    digest = bytes.fromhex(claim.content_hash.removeprefix("0x"))
    if (await registry.claim(digest)).status is status:
        earlier = await registry.find_status_change(digest, status)
        if earlier is not None:
            return earlier
    return await registry.set_status(digest, status)


async def load_claims(
    session: AsyncSession, *, caller: Caller, claim_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Claim | BaseException]:
    """Each claim the caller may read; NOT_FOUND or FORBIDDEN (recorded) per id, in one query."""
    return await load_readable(session, caller, model=Claim, ids=claim_ids, kind="Claim")


async def get_claim(session: AsyncSession, *, caller: Caller, claim_id: uuid.UUID) -> Claim:
    """One claim the caller may read (NOT_FOUND / FORBIDDEN otherwise)."""
    answer = (await load_claims(session, caller=caller, claim_ids=[claim_id]))[claim_id]
    if isinstance(answer, BaseException):
        raise answer
    return answer


async def list_claims(
    session: AsyncSession,
    *,
    caller: Caller,
    status: ClaimStatus | None = None,
    invoice_id: uuid.UUID | None = None,
    patient_id: uuid.UUID | None = None,
    limit: int = 50,
    before: datetime | None = None,
    after_id: uuid.UUID | None = None,
) -> list[Claim]:
    """Claims the caller may read, newest first: the desk every claim, a patient their own.
    ``before`` (and ``after_id``, the last id seen at that instant) pages on ``submitted_at``."""
    reach = reach_of(caller)
    if not 1 <= limit <= MAX_PAGE:
        raise BadUserInput(
            f"first must be between 1 and {MAX_PAGE}.", extensions={"field": "first"}
        )
    if reach in (Reach.NONE, Reach.OWN_LINES):
        raise await refuse(session, caller, reach, patient_ids=(), target={"type": "Claim"})
    query = (
        select(Claim)
        .join(BillingAccount, col(BillingAccount.id) == col(Claim.account_id))
        .where(account_condition(caller, reach, col(BillingAccount.patient_user_id)))
    )
    if status is not None:
        query = query.where(col(Claim.status) == status)
    if invoice_id is not None:
        query = query.where(col(Claim.invoice_id) == invoice_id)
    if patient_id is not None:
        query = query.where(col(Claim.patient_id) == patient_id)
    if before is not None:
        query = query.where(older_than(col(Claim.submitted_at), col(Claim.id), before, after_id))
    query = query.order_by(col(Claim.submitted_at).desc(), col(Claim.id)).limit(limit)
    claims = list((await session.exec(query)).all())
    await record_reads(session, caller, reach, [("claim", c.id, c.patient_id) for c in claims])
    return claims


async def status_changes_of(
    session: AsyncSession, *, caller: Caller, claim_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[ClaimStatusChange] | BaseException]:
    """Each readable claim's status changes, oldest first (one query for the batch)."""
    readable = await load_claims(session, caller=caller, claim_ids=claim_ids)
    allowed = [key for key, answer in readable.items() if not isinstance(answer, BaseException)]
    changes: dict[uuid.UUID, list[ClaimStatusChange] | BaseException] = {
        key: answer for key, answer in readable.items() if isinstance(answer, BaseException)
    }
    changes.update({key: [] for key in allowed})
    rows = await session.exec(
        select(ClaimStatusChange)
        .where(col(ClaimStatusChange.claim_id).in_(allowed))
        .order_by(col(ClaimStatusChange.changed_at), col(ClaimStatusChange.id))
    )
    for change in rows.all():
        found = changes[change.claim_id]
        assert isinstance(found, list)
        found.append(change)
    return changes


async def verify_claim(
    session: AsyncSession, *, registry: ClaimRegistry, caller: Caller, claim_id: uuid.UUID
) -> ClaimVerification:
    """Recompute the claim's hash from its row and compare it, and its status, with the chain."""
    claim = await get_claim(session, caller=caller, claim_id=claim_id)
    computed = claim_document(claim).digest()
    anchored = await registry.anchored_hash(claim.anchor_tx_hash, address=claim.registry_address)
    if anchored is None:
        return ClaimVerification(
            claim=claim,
            integrity=Integrity.NOT_ON_CHAIN,
            stored_hash=claim.content_hash,
            computed_hash=hash_hex(computed),
            anchored_hash=None,
            chain_status=None,
            mismatches=(),
        )
    held = await registry.claim(anchored, address=claim.registry_address)
    chain_status = None if held.status is ChainStatus.NONE else ClaimStatus(held.status.name)
    mismatches = tuple(
        name
        for name, differs in (
            ("content", computed != anchored),
            ("hash", claim.content_hash != hash_hex(anchored)),
            ("status", chain_status != claim.status),
        )
        if differs
    )
    return ClaimVerification(
        claim=claim,
        integrity=Integrity.TAMPERED if mismatches else Integrity.INTACT,
        stored_hash=claim.content_hash,
        computed_hash=hash_hex(computed),
        anchored_hash=hash_hex(anchored),
        chain_status=chain_status,
        mismatches=mismatches,
    )


async def _event(
    session: AsyncSession, claim: Claim, kind: str, actor: str, *, tx_hash: str | None = None
) -> None:
    await record_billing_event(
        session,
        type=kind,
        aggregate_type="Claim",
        aggregate_id=str(claim.id),
        actor=actor,
        payload={
            "claimId": str(claim.id),
            "invoiceId": str(claim.invoice_id),
            "patientId": str(claim.patient_id),
            "payer": claim.payer,
            "status": claim.status,
            "amountMinor": claim.amount_minor,
            "currency": claim.currency,
            "claimHash": claim.content_hash,
            "txHash": tx_hash or claim.anchor_tx_hash,
        },
    )
