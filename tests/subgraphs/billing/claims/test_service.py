"""Claim rules on a real database and the in-process chain: anchoring, duplicates, tampering,
the lifecycle and who may do what."""

from __future__ import annotations

import uuid

import pytest
from eth_tester.exceptions import TransactionFailed
from sqlalchemy import text
from sqlmodel import col, select

from subgraphs.billing.claims import service
from subgraphs.billing.claims.chain import ChainStatus, ClaimRegistry
from subgraphs.billing.claims.chain.errors import ClaimAlreadyAnchored
from subgraphs.billing.claims.document import hash_hex
from subgraphs.billing.claims.models import Claim, ClaimStatus
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden, NotFound
from subgraphs.common.outbox.models import OutboxEvent
from tests.subgraphs.billing.factories import issued_invoice
from tests.support.callers import make_caller

CODES = ("J20.9", "99213")


async def _submit(
    database: Database,
    registry: ClaimRegistry,
    caller: Caller,
    invoice_id: uuid.UUID,
    **extra: object,
) -> Claim:
    return await database.transact(
        lambda session: service.submit_claim(
            session,
            registry=registry,
            caller=caller,
            invoice_id=invoice_id,
            codes=extra.pop("codes", CODES),  # type: ignore[arg-type]
            **extra,  # type: ignore[arg-type]
        )
    )


async def _events(database: Database, claim_id: uuid.UUID) -> list[str]:
    async with database.session() as session:
        rows = await session.exec(
            select(OutboxEvent.type)
            .where(col(OutboxEvent.aggregate_id) == str(claim_id))
            .order_by(col(OutboxEvent.position))
        )
        return list(rows.all())


async def test_a_submitted_claim_is_anchored_and_announced(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff, prices=("80.00", "40.00"))
    claim = await _submit(database, registry, staff, billed.invoice.id, codes=(" j20.9", "99213"))
    assert claim.status == ClaimStatus.SUBMITTED
    assert (claim.payer, claim.policy_number) == ("Synthetic Mutual", "POL-0001")
    assert claim.codes == ["J20.9", "99213"]
    assert (claim.amount_minor, claim.currency) == (12000, "GBP")
    assert claim.registry_address == registry.address
    digest = service.claim_document(claim).digest()
    assert claim.content_hash == hash_hex(digest)
    assert await registry.anchored_hash(claim.anchor_tx_hash) == digest
    assert (await registry.claim(digest)).status is ChainStatus.SUBMITTED
    assert await _events(database, claim.id) == ["claim.submitted"]


async def test_the_same_claim_twice_is_refused_by_the_contract(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    first = await _submit(database, registry, staff, billed.invoice.id)
    with pytest.raises(ClaimAlreadyAnchored) as refused:
        await _submit(database, registry, staff, billed.invoice.id)
    # The refusal is the contract's own revert (DuplicateClaim), not a database constraint.
    assert isinstance(refused.value.__cause__, TransactionFailed)
    assert refused.value.as_extensions() == {
        "reason": "DUPLICATE_CLAIM",
        "claimHash": first.content_hash,
        "code": "CONFLICT",
    }
    async with database.session() as session:
        claims = (
            await session.exec(select(Claim).where(col(Claim.invoice_id) == billed.invoice.id))
        ).all()
    assert [claim.id for claim in claims] == [first.id]
    # A different claim for the same invoice (another amount) is a new hash: accepted.
    partial = await _submit(database, registry, staff, billed.invoice.id, amount="60.00")
    assert partial.amount_minor == 6000


async def test_an_anchor_whose_transaction_failed_is_completed(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff, policy_number="POL-ORPHAN")
    # Anchored on chain by a submission whose database transaction then rolled back.
    with pytest.raises(RuntimeError):
        await database.transact(lambda session: _submit_then_fail(session, registry, staff, billed))
    claim = await _submit(database, registry, staff, billed.invoice.id)
    assert await registry.anchored_hash(claim.anchor_tx_hash) == bytes.fromhex(
        claim.content_hash[2:]
    )


async def _submit_then_fail(
    session: object, registry: ClaimRegistry, staff: Caller, billed: object
) -> None:
    await service.submit_claim(
        session,  # type: ignore[arg-type]
        registry=registry,
        caller=staff,
        invoice_id=billed.invoice.id,  # type: ignore[attr-defined]
        codes=CODES,
    )
    raise RuntimeError("the transaction fails after anchoring")


async def test_an_edited_claim_shows_as_tampered(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    claim = await _submit(database, registry, staff, billed.invoice.id)
    intact = await database.transact(
        lambda s: service.verify_claim(s, registry=registry, caller=staff, claim_id=claim.id)
    )
    assert intact.integrity is service.Integrity.INTACT
    assert intact.computed_hash == intact.anchored_hash == claim.content_hash
    assert intact.chain_status is ClaimStatus.SUBMITTED
    async with database.transaction() as session:
        await session.exec(  # type: ignore[call-overload]
            text("UPDATE claim SET amount_minor = amount_minor * 10 WHERE id = :id"),
            params={"id": claim.id},
        )
    tampered = await database.transact(
        lambda s: service.verify_claim(s, registry=registry, caller=staff, claim_id=claim.id)
    )
    assert tampered.integrity is service.Integrity.TAMPERED
    assert tampered.mismatches == ("content",)
    assert tampered.anchored_hash == claim.content_hash != tampered.computed_hash


async def test_a_status_edited_in_the_database_shows_as_tampered(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    claim = await _submit(database, registry, staff, billed.invoice.id)
    async with database.transaction() as session:
        await session.exec(  # type: ignore[call-overload]
            text("UPDATE claim SET status = 'APPROVED' WHERE id = :id"), params={"id": claim.id}
        )
    found = await database.transact(
        lambda s: service.verify_claim(s, registry=registry, caller=staff, claim_id=claim.id)
    )
    assert found.integrity is service.Integrity.TAMPERED
    assert found.mismatches == ("status",)
    assert found.chain_status is ClaimStatus.SUBMITTED


async def test_the_lifecycle_is_recorded_on_chain_and_in_the_outbox(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    claim = await _submit(database, registry, staff, billed.invoice.id)

    async def move(status: ClaimStatus, note: str | None = None) -> Claim:
        return await database.transact(
            lambda s: service.change_claim_status(
                s, registry=registry, caller=staff, claim_id=claim.id, status=status, note=note
            )
        )

    with pytest.raises(Conflict, match="SUBMITTED claim cannot become PAID"):
        await move(ClaimStatus.PAID)
    await move(ClaimStatus.VALIDATED)
    approved = await move(ClaimStatus.APPROVED, "covered in full")
    assert approved.decision_note == "covered in full"
    paid = await move(ClaimStatus.PAID)
    assert (paid.status, paid.version) == (ClaimStatus.PAID, 4)
    digest = bytes.fromhex(claim.content_hash[2:])
    assert (await registry.claim(digest)).status is ChainStatus.PAID
    async with database.session() as session:
        history = (await service.status_changes_of(session, caller=staff, claim_ids=[claim.id]))[
            claim.id
        ]
    assert isinstance(history, list)
    assert [(h.from_status, h.to_status) for h in history] == [
        ("SUBMITTED", "VALIDATED"),
        ("VALIDATED", "APPROVED"),
        ("APPROVED", "PAID"),
    ]
    assert len({h.tx_hash for h in history}) == 3
    assert await _events(database, claim.id) == [
        "claim.submitted",
        "claim.validated",
        "claim.decided",
        "claim.paid",
    ]
    verified = await database.transact(
        lambda s: service.verify_claim(s, registry=registry, caller=staff, claim_id=claim.id)
    )
    assert verified.integrity is service.Integrity.INTACT


async def test_a_denied_claim_goes_no_further(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    claim = await _submit(database, registry, staff, billed.invoice.id)
    for status in (ClaimStatus.VALIDATED, ClaimStatus.DENIED):
        await database.transact(
            lambda s, to=status: service.change_claim_status(
                s, registry=registry, caller=staff, claim_id=claim.id, status=to
            )
        )
    with pytest.raises(Conflict):
        await database.transact(
            lambda s: service.change_claim_status(
                s, registry=registry, caller=staff, claim_id=claim.id, status=ClaimStatus.PAID
            )
        )


async def test_what_cannot_be_claimed(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    with pytest.raises(BadUserInput, match="at most what the invoice bills"):
        await _submit(database, registry, staff, billed.invoice.id, amount="120.01")
    with pytest.raises(BadUserInput, match="not a diagnosis"):
        await _submit(database, registry, staff, billed.invoice.id, codes=("DROP TABLE;",))
    with pytest.raises(BadUserInput, match="1 to 25"):
        await _submit(database, registry, staff, billed.invoice.id, codes=())
    with pytest.raises(NotFound):
        await _submit(database, registry, staff, uuid.uuid4())
    for first in (0, 201):
        with pytest.raises(BadUserInput, match="between 1 and 200"):
            await database.transact(
                lambda s, n=first: service.list_claims(s, caller=staff, limit=n)
            )
    uninsured = await issued_invoice(database, staff, insurer=None, policy_number=None)
    with pytest.raises(BadUserInput, match="payer is required"):
        await _submit(database, registry, staff, uninsured.invoice.id)


async def test_who_may_submit_read_and_decide(
    database: Database, registry: ClaimRegistry, staff: Caller, admin: Caller
) -> None:
    owner = make_caller(Role.PATIENT)
    other = make_caller(Role.PATIENT)
    doctor = make_caller(Role.DOCTOR)
    billed = await issued_invoice(database, staff, patient_user_id=owner.user_id)
    for caller in (owner, doctor):
        with pytest.raises(Forbidden):
            await _submit(database, registry, caller, billed.invoice.id)
    claim = await _submit(database, registry, admin, billed.invoice.id)
    async with database.session() as session:
        assert (await service.get_claim(session, caller=owner, claim_id=claim.id)).id == claim.id
        assert [c.id for c in await service.list_claims(session, caller=owner)] == [claim.id]
        assert await service.list_claims(session, caller=other) == []
    for caller in (other, doctor):
        with pytest.raises(Forbidden):
            await database.transact(
                lambda s, c=caller: service.get_claim(s, caller=c, claim_id=claim.id)
            )
    with pytest.raises(Forbidden):
        await database.transact(lambda s: service.list_claims(s, caller=doctor))
    with pytest.raises(Forbidden):
        await database.transact(
            lambda s: service.change_claim_status(
                s,
                registry=registry,
                caller=owner,
                claim_id=claim.id,
                status=ClaimStatus.VALIDATED,
            )
        )


async def test_a_status_change_that_reached_only_the_chain_is_completed(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    claim = await _submit(database, registry, staff, billed.invoice.id)
    digest = bytes.fromhex(claim.content_hash[2:])
    # An earlier attempt recorded VALIDATED on chain, then its database transaction rolled back.
    earlier = await registry.set_status(digest, ChainStatus.VALIDATED)
    moved = await database.transact(
        lambda s: service.change_claim_status(
            s, registry=registry, caller=staff, claim_id=claim.id, status=ClaimStatus.VALIDATED
        )
    )
    assert moved.status == ClaimStatus.VALIDATED
    async with database.session() as session:
        history = (await service.status_changes_of(session, caller=staff, claim_ids=[claim.id]))[
            claim.id
        ]
    assert isinstance(history, list)
    assert [h.tx_hash for h in history] == [earlier.tx_hash]


async def test_a_claim_of_another_registry(
    database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    billed = await issued_invoice(database, staff)
    claim = await _submit(database, registry, staff, billed.invoice.id)
    for address, integrity in (
        ("0x" + "12" * 20, service.Integrity.NOT_ON_CHAIN),  # a registry this chain never had
        ("not an address", service.Integrity.NOT_ON_CHAIN),
    ):
        async with database.transaction() as session:
            await session.exec(  # type: ignore[call-overload]
                text("UPDATE claim SET registry_address = :a WHERE id = :id"),
                params={"a": address, "id": claim.id},
            )
        found = await database.transact(
            lambda s: service.verify_claim(s, registry=registry, caller=staff, claim_id=claim.id)
        )
        assert found.integrity is integrity
        with pytest.raises(Conflict, match="BILLING_CHAIN_CONTRACT_ADDRESS"):
            await database.transact(
                lambda s: service.change_claim_status(
                    s,
                    registry=registry,
                    caller=staff,
                    claim_id=claim.id,
                    status=ClaimStatus.VALIDATED,
                )
            )
