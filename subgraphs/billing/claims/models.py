"""Claim tables (migration billing_3001): insurance claims and their recorded status changes."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, Index, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

__all__ = ["CLAIM_TRANSITIONS", "Claim", "ClaimStatus", "ClaimStatusChange"]


class ClaimStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    VALIDATED = "VALIDATED"
    APPROVED = "APPROVED"
    DENIED = "DENIED"
    PAID = "PAID"


# The lifecycle, the same as ClaimRegistry.sol enforces on chain.
CLAIM_TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    ClaimStatus.SUBMITTED: frozenset({ClaimStatus.VALIDATED}),
    ClaimStatus.VALIDATED: frozenset({ClaimStatus.APPROVED, ClaimStatus.DENIED}),
    ClaimStatus.APPROVED: frozenset({ClaimStatus.PAID}),
    ClaimStatus.DENIED: frozenset(),
    ClaimStatus.PAID: frozenset(),
}


class Claim(SQLModel, table=True):
    """An insurance claim for an invoice; its canonical JSON's hash is anchored on chain.

    ``content_hash`` is the hash anchored by ``anchor_tx_hash`` in the registry at
    ``registry_address``; :func:`subgraphs.billing.claims.service.verify_claim` recomputes it from
    the row and compares with the chain, so an edit of the row shows as tampering.
    """

    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_status", "status", "submitted_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoice.id", nullable=False, index=True)
    account_id: uuid.UUID = Field(foreign_key="billing_account.id", nullable=False)
    patient_id: uuid.UUID = Field(nullable=False, index=True)
    payer: str = Field(max_length=200, nullable=False)  # the insurer
    policy_number: str = Field(max_length=100, nullable=False)
    codes: list[str] = Field(sa_column=Column(ARRAY(String(20)), nullable=False))
    amount_minor: int = Field(sa_type=BigInteger, nullable=False)
    currency: str = Field(max_length=3, nullable=False)
    status: str = Field(default=ClaimStatus.SUBMITTED, max_length=20, nullable=False)
    content_hash: str = Field(max_length=66, nullable=False, unique=True)
    anchor_tx_hash: str = Field(max_length=66, nullable=False)
    anchor_block: int = Field(sa_type=BigInteger, nullable=False)
    registry_address: str = Field(max_length=42, nullable=False)
    decision_note: str | None = Field(default=None, max_length=500)
    version: int = Field(default=1, nullable=False)
    submitted_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    submitted_by: str = Field(max_length=200, nullable=False)
    updated_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    updated_by: str = Field(max_length=200, nullable=False)


class ClaimStatusChange(SQLModel, table=True):
    """One status change of a claim and the chain transaction that recorded it."""

    __tablename__ = "claim_status_change"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    claim_id: uuid.UUID = Field(
        foreign_key="claim.id", ondelete="CASCADE", nullable=False, index=True
    )
    from_status: str = Field(max_length=20, nullable=False)
    to_status: str = Field(max_length=20, nullable=False)
    tx_hash: str = Field(max_length=66, nullable=False)
    block_number: int = Field(sa_type=BigInteger, nullable=False)
    note: str | None = Field(default=None, max_length=500)
    changed_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    changed_by: str = Field(max_length=200, nullable=False)
