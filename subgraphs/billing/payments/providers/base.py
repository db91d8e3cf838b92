"""What billing needs from a payment provider, and the provider-neutral webhook event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Protocol

__all__ = [
    "CapturedPayment",
    "CreatedPayment",
    "EventKind",
    "PaymentGateway",
    "ProviderError",
    "ProviderEvent",
    "WebhookRejected",
]


class EventKind(StrEnum):
    """What a verified webhook says happened to a payment."""

    SUCCEEDED = "SUCCEEDED"  # the money was taken (Stripe succeeded, PayPal capture completed)
    FAILED = "FAILED"  # the attempt failed (declined card); the payment may be retried
    REFUNDED = "REFUNDED"  # some or all of it was given back; ``amount_minor`` is the total


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """A verified webhook, reduced to what billing acts on.

    ``payment_reference`` is the provider's id of the payment billing created (a Stripe
    PaymentIntent, a PayPal order); PayPal's refunds name only the capture (``capture_reference``).
    ``invoice_reference`` and ``payment_id`` are what billing put in the payment's metadata: hints,
    checked against billing's own records, never trusted alone.
    """

    provider: str
    event_id: str
    kind: EventKind
    # SUCCEEDED and FAILED: the payment's amount; REFUNDED: everything refunded on it so far
    # (a total, so that refunds arriving twice or out of order settle the same way).
    amount_minor: int
    currency: str  # ISO 4217, upper case
    payment_reference: str | None = None
    capture_reference: str | None = None
    invoice_reference: str | None = None
    payment_id: str | None = None
    failure_message: str | None = None


@dataclass(frozen=True, slots=True)
class CreatedPayment:
    """A payment opened at the provider: what the payer's browser needs to complete it."""

    reference: str
    status: str
    client_secret: str | None = None  # Stripe: for Stripe.js to confirm the PaymentIntent
    approval_url: str | None = None  # PayPal: where the buyer approves the order


@dataclass(frozen=True, slots=True)
class CapturedPayment:
    """An approved PayPal order, captured: completed until its webhook says otherwise."""

    reference: str
    capture_reference: str
    status: str
    amount_minor: int
    currency: str


class ProviderError(Exception):
    """The provider refused a call or could not be reached; the message is safe to show.

    ``refused``: the provider said no to this request as such (an order not approved yet, too
    much to refund), not to our credentials; ``retryable``: it may work later unchanged.
    """

    def __init__(self, message: str, *, retryable: bool = False, refused: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.refused = refused

    @classmethod
    def from_status(cls, message: str, status: int) -> ProviderError:
        """The error of an HTTP answer ``status`` (0: no answer at all)."""
        return cls(
            message,
            retryable=status in (0, 429) or status >= 500,
            refused=400 <= status < 500 and status not in (401, 403, 429),
        )


class WebhookRejected(Exception):
    """A webhook whose signature, age or shape does not check out: it changes nothing."""


class PaymentGateway(Protocol):
    """One payment provider, over its official SDK."""

    name: ClassVar[str]

    async def aclose(self) -> None:
        """Release the provider's connections."""
        ...

    async def create_payment(
        self,
        *,
        payment_id: str,
        invoice_id: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        description: str,
    ) -> CreatedPayment:
        """Open a payment of ``amount_minor`` ``currency`` for an invoice (once per key)."""
        ...

    async def capture(self, *, reference: str, idempotency_key: str) -> CapturedPayment:
        """Take the money of an approved payment (PayPal; Stripe captures on confirmation)."""
        ...

    async def refund(
        self, *, reference: str, amount_minor: int | None, currency: str, idempotency_key: str
    ) -> str:
        """Give back ``amount_minor`` (None: all that is left); the provider's refund id.

        ``reference`` is what the provider refunds: Stripe a PaymentIntent, PayPal a capture.
        """
        ...

    async def parse_webhook(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> ProviderEvent | None:
        """Verify a webhook and reduce it; None for a genuine event of a kind billing ignores.

        Raises :class:`WebhookRejected` when it is not genuine or too old.
        """
        ...
