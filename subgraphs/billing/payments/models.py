"""Payment tables (migration billing_4001): payments at a provider, and the webhooks processed.

A ``Payment`` is one attempt to pay (part of) an invoice through Stripe or PayPal. What it counts
on its invoice (``applied_minor``) is moved only by verified webhooks; ``PaymentWebhook`` keeps
every processed provider event by its id, so a second delivery is recognised and changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["Payment", "PaymentProvider", "PaymentStatus", "PaymentWebhook", "WebhookOutcome"]


class PaymentProvider(StrEnum):
    STRIPE = "STRIPE"
    PAYPAL = "PAYPAL"


class PaymentStatus(StrEnum):
    PENDING = "PENDING"  # opened at the provider; the payer has not paid yet
    SUCCEEDED = "SUCCEEDED"  # the provider's verified webhook says the money was taken
    FAILED = "FAILED"  # the last attempt failed (a declined card); it may still be paid
    REFUNDED = "REFUNDED"  # all of it was given back
    REJECTED = "REJECTED"  # the provider reported another amount or currency: nothing applied


class WebhookOutcome(StrEnum):
    APPLIED = "APPLIED"  # the payment (and its invoice) changed
    RECORDED = "RECORDED"  # noted, nothing to move (a failure, a refund already counted)
    REJECTED = "REJECTED"  # amount, currency or invoice did not match: nothing applied
    UNKNOWN_PAYMENT = "UNKNOWN_PAYMENT"  # no payment of ours has that provider reference
    IGNORED = "IGNORED"  # a kind of event billing does not act on


class Payment(SQLModel, table=True):
    """One payment of an invoice at a provider; amounts in minor units of its currency."""

    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("provider", "provider_reference", name="uq_payment_provider_reference"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoice.id", nullable=False, index=True)
    patient_id: uuid.UUID = Field(nullable=False, index=True)
    provider: str = Field(max_length=20, nullable=False)
    status: str = Field(default=PaymentStatus.PENDING, max_length=20, nullable=False)
    amount_minor: int = Field(nullable=False, sa_type=BigInteger)
    currency: str = Field(max_length=3, nullable=False)
    refunded_minor: int = Field(
        default=0, nullable=False, sa_type=BigInteger
    )  # the provider's running total
    applied_minor: int = Field(
        default=0, nullable=False, sa_type=BigInteger
    )  # what counts on the invoice now
    # The key every call to the provider for this payment derives its idempotency key from.
    idempotency_key: str = Field(max_length=255, nullable=False, unique=True)
    # The provider's ids: a Stripe PaymentIntent / PayPal order, and the charge / capture.
    provider_reference: str | None = Field(default=None, max_length=255)
    capture_reference: str | None = Field(default=None, max_length=255, index=True)
    approval_url: str | None = Field(default=None, max_length=2000)  # PayPal: buyer approves here
    failure_message: str | None = Field(default=None, max_length=500)
    succeeded_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)
    updated_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)

    @property
    def unapplied_minor(self) -> int:
        """Money taken and not refunded that does not count on the invoice (an overpayment)."""
        if self.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
            return 0
        return self.amount_minor - self.refunded_minor - self.applied_minor


class PaymentWebhook(SQLModel, table=True):
    """A provider event processed once: its id is the key, written with the change it made."""

    __tablename__ = "payment_webhook"

    provider: str = Field(primary_key=True, max_length=20)
    event_id: str = Field(primary_key=True, max_length=255)
    kind: str = Field(max_length=20, nullable=False)
    payment_id: uuid.UUID | None = Field(default=None, foreign_key="payment.id", index=True)
    outcome: str = Field(max_length=20, nullable=False)
    detail: str | None = Field(default=None, max_length=500)
    amount_minor: int = Field(nullable=False, sa_type=BigInteger)
    currency: str = Field(max_length=3, nullable=False)
    received_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
