"""Payment rules: patients pay their own invoices at Stripe or PayPal; only verified webhooks settle.

- Starting a payment (a Stripe PaymentIntent, a PayPal order) changes no invoice: the payer's
  browser completes it at the provider, and the provider's signed webhook says what happened.
  One open payment per invoice, payer, provider and amount is reused, under one idempotency key.
- A webhook is verified by its provider (signature, age), then processed once per event id: its
  row in ``payment_webhook`` is written in the same transaction as the change it makes, so a
  second delivery finds it and changes nothing. Webhooks may come in any order: a payment keeps
  the provider's facts (succeeded, total refunded) and what it counts on its invoice follows from
  them (:func:`_reconcile`), whatever order they came in.
- Money in another amount or currency than asked, or for another invoice, is never counted
  (the payment is REJECTED for the billing desk to look at); money beyond what the invoice still
  owes stays on the payment as unapplied.
- Every change writes its ``payment.*`` event to ``billing.events`` in the same transaction.
- A patient pays and reads only their own invoices' payments; the billing desk all.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from subgraphs.billing.access.policy import (
    can_read_account,
    reach_of,
    refuse,
    require_pay,
    require_write,
)
from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.events import record_billing_event
from subgraphs.billing.invoices.models import OPEN_STATUSES, Invoice, InvoiceKind
from subgraphs.billing.invoices.service import apply_payment, apply_refund
from subgraphs.billing.money import to_minor
from subgraphs.billing.payments.models import (
    Payment,
    PaymentProvider,
    PaymentStatus,
    PaymentWebhook,
    WebhookOutcome,
)
from subgraphs.billing.payments.providers.base import (
    EventKind,
    ProviderError,
    ProviderEvent,
)
from subgraphs.billing.payments.providers.gateways import PaymentGateways
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from subgraphs.common.errors import (
    BadUserInput,
    Conflict,
    DomainError,
    NotFound,
    ServiceUnavailable,
)
from subgraphs.common.rows import locked_row

__all__ = [
    "StartedPayment",
    "WebhookResult",
    "capture_payment",
    "handle_webhook",
    "load_payments",
    "payments_of_invoices",
    "refund_payment",
    "start_payment",
]

logger = logging.getLogger(__name__)

_PAID = (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
_OPEN = (PaymentStatus.PENDING, PaymentStatus.FAILED)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class StartedPayment:
    """A payment opened at its provider, and what the payer's browser needs to complete it."""

    payment: Payment
    client_secret: str | None = None  # Stripe.js confirms the PaymentIntent with it
    approval_url: str | None = None  # PayPal: the buyer approves the order there


@dataclass(frozen=True, slots=True)
class WebhookResult:
    """What one delivery did: ``duplicate`` when its event id was processed before."""

    provider: PaymentProvider
    event_id: str | None
    outcome: WebhookOutcome
    duplicate: bool = False
    payment_id: uuid.UUID | None = None


def _provider_failed(exc: ProviderError) -> DomainError:
    """CONFLICT when the provider refused this request; SERVICE_UNAVAILABLE otherwise."""
    logger.warning("payment provider: %s", exc.message)
    if exc.refused:
        return Conflict(f"The payment provider refused: {exc.message}")
    return ServiceUnavailable(
        f"The payment provider did not accept the request: {exc.message}",
        retry_after=5.0 if exc.retryable else 60.0,
    )


async def _event(
    session: AsyncSession, payment: Payment, type_: str, actor: str, **extra: Any
) -> None:
    await record_billing_event(
        session,
        type=type_,
        aggregate_type="payment",
        aggregate_id=str(payment.id),
        actor=actor,
        payload={
            "paymentId": str(payment.id),
            "invoiceId": str(payment.invoice_id),
            "patientId": str(payment.patient_id),
            "provider": payment.provider,
            "status": payment.status,
            "amountMinor": payment.amount_minor,
            "refundedMinor": payment.refunded_minor,
            "appliedMinor": payment.applied_minor,
            "currency": payment.currency,
            **extra,
        },
    )


async def _save(session: AsyncSession, payment: Payment, when: datetime) -> None:
    payment.version += 1
    payment.updated_at = when
    session.add(payment)
    await session.flush()


# ------------------------------------------------------------------ paying


async def _payable(
    session: AsyncSession, caller: Caller, invoice_id: uuid.UUID
) -> tuple[Invoice, BillingAccount]:
    """The invoice, locked, once ``caller`` may pay it and it awaits payment."""
    row = (
        await session.exec(
            select(Invoice, BillingAccount)
            .join(BillingAccount, col(BillingAccount.id) == col(Invoice.account_id))
            .where(col(Invoice.id) == invoice_id)
            .with_for_update(of=Invoice)
        )
    ).first()
    if row is None:
        raise NotFound("No such invoice.")
    invoice, account = row
    await require_pay(session, caller, patient_id=invoice.patient_id, owner=account.patient_user_id)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise Conflict(
            f"Invoice {invoice.number or invoice.id} is {invoice.status}, not awaiting payment.",
            extensions={"status": invoice.status},
        )
    return invoice, account


async def _open_payment(
    session: AsyncSession,
    *,
    caller: Caller,
    provider: PaymentProvider,
    invoice_id: uuid.UUID,
    amount: Decimal | None,
    when: datetime,
) -> tuple[Payment, str]:
    """The caller's open payment of this amount at ``provider``, or a new one; and the
    invoice's number (for the payer's statement)."""
    invoice, _ = await _payable(session, caller, invoice_id)
    due = invoice.due_minor
    minor = due if amount is None else to_minor(amount, invoice.currency, field="amount")
    if not 0 < minor <= due:
        raise BadUserInput(
            f"The amount must be more than 0 and at most the {due} minor units due.",
            extensions={"field": "amount", "dueMinor": due},
        )
    reusable = select(Payment).where(
        col(Payment.invoice_id) == invoice.id,
        col(Payment.provider) == provider,
        col(Payment.amount_minor) == minor,
        col(Payment.created_by) == caller.actor,
        col(Payment.status).in_(list(_OPEN)),
        col(Payment.capture_reference).is_(None),
    )
    payment = (await session.exec(reusable.order_by(col(Payment.created_at)).limit(1))).first()
    if payment is None:
        payment = Payment(
            invoice_id=invoice.id,
            patient_id=invoice.patient_id,
            provider=provider,
            amount_minor=minor,
            currency=invoice.currency,
            idempotency_key=f"hg-{uuid.uuid4()}",
            created_at=when,
            created_by=caller.actor,
            updated_at=when,
        )
        session.add(payment)
        await session.flush()
        await _event(session, payment, "payment.created", caller.actor)
    return payment, invoice.number or str(invoice.id)


async def start_payment(
    database: Database,
    *,
    caller: Caller,
    gateways: PaymentGateways,
    provider: PaymentProvider,
    invoice_id: uuid.UUID,
    amount: Decimal | None = None,
    now: datetime | None = None,
) -> StartedPayment:
    """Open a payment of an invoice (all that is due, or ``amount``) at ``provider``.

    The invoice changes only when the provider's verified webhook says the money was taken.
    """
    gateway = gateways.get(provider)
    when = _now(now)
    payment, number = await database.transact(
        lambda session: _open_payment(
            session,
            caller=caller,
            provider=provider,
            invoice_id=invoice_id,
            amount=amount,
            when=when,
        )
    )
    try:
        created = await gateway.create_payment(
            payment_id=str(payment.id),
            invoice_id=str(payment.invoice_id),
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            idempotency_key=payment.idempotency_key,
            description=f"Invoice {number}",
        )
    except ProviderError as exc:
        raise _provider_failed(exc) from exc

    async def remember(session: AsyncSession) -> Payment:
        row = await _locked(session, payment.id)
        if row.provider_reference is None:
            row.provider_reference = created.reference
            row.approval_url = created.approval_url
            await _save(session, row, when)
        return row

    saved = await database.transact(remember)
    return StartedPayment(saved, created.client_secret, created.approval_url)


async def _locked(session: AsyncSession, payment_id: uuid.UUID) -> Payment:
    return await locked_row(session, Payment, payment_id, missing="No such payment.")


async def _readable(session: AsyncSession, caller: Caller, payment_id: uuid.UUID) -> Payment:
    answer = (await load_payments(session, caller=caller, payment_ids=[payment_id]))[payment_id]
    if isinstance(answer, BaseException):
        raise answer
    return answer


async def capture_payment(
    database: Database,
    *,
    caller: Caller,
    gateways: PaymentGateways,
    payment_id: uuid.UUID,
    now: datetime | None = None,
) -> Payment:
    """Capture a PayPal order the buyer approved. The invoice changes on the capture's webhook."""

    async def check(session: AsyncSession) -> Payment:
        payment = await _readable(session, caller, payment_id)
        await _payable(session, caller, payment.invoice_id)
        if payment.provider != PaymentProvider.PAYPAL or payment.provider_reference is None:
            raise Conflict("Only an opened PayPal payment is captured.")
        if payment.status not in _OPEN:
            raise Conflict(
                f"The payment is {payment.status}.", extensions={"status": payment.status}
            )
        return payment

    payment = await database.transact(check)
    assert payment.provider_reference is not None
    try:
        captured = await gateways.get(PaymentProvider.PAYPAL).capture(
            reference=payment.provider_reference,
            idempotency_key=f"{payment.idempotency_key}-capture",
        )
    except ProviderError as exc:
        raise _provider_failed(exc) from exc
    when = _now(now)

    async def remember(session: AsyncSession) -> Payment:
        row = await _locked(session, payment.id)
        if row.capture_reference is None:
            row.capture_reference = captured.capture_reference
            await _save(session, row, when)
        return row

    return await database.transact(remember)


async def refund_payment(
    database: Database,
    *,
    caller: Caller,
    gateways: PaymentGateways,
    payment_id: uuid.UUID,
    amount: Decimal | None = None,
) -> Payment:
    """The billing desk refunds a payment (all that is left, or ``amount``) at its provider.

    The invoice and balance change when the provider's refund webhook arrives.
    """
    require_write(caller)

    async def check(session: AsyncSession) -> tuple[Payment, int | None]:
        payment = await _readable(session, caller, payment_id)
        if payment.status not in _PAID:
            raise Conflict(
                f"The payment is {payment.status}: only a succeeded payment is refunded.",
                extensions={"status": payment.status},
            )
        left = payment.amount_minor - payment.refunded_minor
        minor = None if amount is None else to_minor(amount, payment.currency, field="amount")
        if not 0 < (left if minor is None else minor) <= left:
            raise BadUserInput(
                f"The refund must be more than 0 and at most the {left} minor units left.",
                extensions={"field": "amount"},
            )
        return payment, minor

    payment, minor = await database.transact(check)
    provider = PaymentProvider(payment.provider)
    reference = payment.capture_reference if provider is PaymentProvider.PAYPAL else None
    reference = reference or payment.provider_reference
    assert reference is not None
    try:
        await gateways.get(provider).refund(
            reference=reference,
            amount_minor=minor,
            currency=payment.currency,
            # one refund of this size per payment and amount already refunded: a retry is
            # the same refund, the next refund a new one
            idempotency_key=f"{payment.idempotency_key}-refund-{payment.refunded_minor}-{minor}",
        )
    except ProviderError as exc:
        raise _provider_failed(exc) from exc
    return payment


# ------------------------------------------------------------------ webhooks


async def handle_webhook(
    database: Database,
    *,
    gateways: PaymentGateways,
    provider: PaymentProvider,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime | None = None,
) -> WebhookResult:
    """Verify a provider's webhook and apply it once. Raises :class:`WebhookRejected` for one
    that is not genuine (nothing is written) and SERVICE_UNAVAILABLE when the provider could not
    be asked (the provider delivers it again later)."""
    gateway = gateways.get(provider)
    try:
        event = await gateway.parse_webhook(body=body, headers=headers)
    except ProviderError as exc:
        raise _provider_failed(exc) from exc
    if event is None:
        return WebhookResult(provider, None, WebhookOutcome.IGNORED)
    when = _now(now)
    return await database.transact(
        lambda session: _process(session, provider=provider, event=event, when=when)
    )


async def _find(
    session: AsyncSession, provider: PaymentProvider, event: ProviderEvent
) -> Payment | None:
    """The payment the event is about, locked: by the provider's payment id, else its capture
    id, else (a refund that overtook its capture's news) the payment id billing gave it."""
    conditions = []
    if event.payment_reference:
        conditions.append(col(Payment.provider_reference) == event.payment_reference)
    if event.capture_reference:
        conditions.append(col(Payment.capture_reference) == event.capture_reference)
    if event.payment_id:
        with contextlib.suppress(ValueError):  # not one of ours
            conditions.append(col(Payment.id) == uuid.UUID(event.payment_id))
    for condition in conditions:
        payment = (
            await session.exec(
                select(Payment)
                .where(col(Payment.provider) == provider, condition)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).first()
        if payment is not None:
            return payment
    return None


async def _seen(
    session: AsyncSession, provider: PaymentProvider, event_id: str, payment: Payment | None
) -> bool:
    """Was this event processed before? One that found no payment then is processed again once
    its payment is known (events may overtake the answer that names the payment)."""
    earlier = (
        await session.exec(
            select(PaymentWebhook)
            .where(
                col(PaymentWebhook.provider) == provider,
                col(PaymentWebhook.event_id) == event_id,
            )
            .with_for_update()
        )
    ).one()
    if earlier.outcome != WebhookOutcome.UNKNOWN_PAYMENT or payment is None:
        return True
    earlier.payment_id = payment.id
    session.add(earlier)
    return False


async def _process(
    session: AsyncSession, *, provider: PaymentProvider, event: ProviderEvent, when: datetime
) -> WebhookResult:
    payment = await _find(session, provider, event)
    claimed = (
        await session.exec(
            insert(PaymentWebhook)
            .values(
                provider=provider,
                event_id=event.event_id,
                kind=event.kind,
                payment_id=payment.id if payment else None,
                outcome=WebhookOutcome.RECORDED,
                amount_minor=event.amount_minor,
                currency=event.currency,
                received_at=when,
            )
            .on_conflict_do_nothing(index_elements=["provider", "event_id"])
            .returning(col(PaymentWebhook.event_id))
        )
    ).first()
    if claimed is None and await _seen(session, provider, event.event_id, payment):
        logger.info("%s webhook %s delivered again: nothing to do", provider, event.event_id)
        return WebhookResult(
            provider, event.event_id, WebhookOutcome.RECORDED, duplicate=True,
            payment_id=payment.id if payment else None,
        )  # fmt: skip
    detail: str | None
    if payment is None:
        outcome, detail = WebhookOutcome.UNKNOWN_PAYMENT, "no payment has this provider reference"
        logger.warning("%s webhook %s: %s", provider, event.event_id, detail)
    else:
        outcome, detail = await _apply(session, payment, event, when)
    webhook = await session.get(PaymentWebhook, (provider.value, event.event_id))
    assert webhook is not None
    webhook.outcome, webhook.detail = outcome, detail
    session.add(webhook)
    await session.flush()
    return WebhookResult(
        provider, event.event_id, outcome, payment_id=payment.id if payment else None
    )


def _mismatch(payment: Payment, event: ProviderEvent) -> str | None:
    """Why the event cannot be about this payment's money, or None when it can."""
    refund = event.kind is EventKind.REFUNDED
    checks = (
        (event.currency != payment.currency, f"currency {event.currency}, not {payment.currency}"),
        (
            event.invoice_reference not in (None, str(payment.invoice_id)),
            "for another invoice",
        ),
        (event.payment_id not in (None, str(payment.id)), "for another payment"),
        (
            bool(event.payment_reference)
            and payment.provider_reference not in (None, event.payment_reference),
            "for another payment at the provider",
        ),
        (
            refund and event.amount_minor > payment.amount_minor,
            f"refunded {event.amount_minor}, more than the {payment.amount_minor} paid",
        ),
        (
            not refund and event.amount_minor != payment.amount_minor,
            f"amount {event.amount_minor}, not {payment.amount_minor}",
        ),
    )
    return next((reason for failed, reason in checks if failed), None)


async def _apply(
    session: AsyncSession, payment: Payment, event: ProviderEvent, when: datetime
) -> tuple[WebhookOutcome, str | None]:
    actor = f"{payment.provider.lower()}-webhook"
    mismatch = _mismatch(payment, event)
    if mismatch is not None:
        logger.warning("%s webhook %s rejected: %s", payment.provider, event.event_id, mismatch)
        if payment.status in _OPEN:
            payment.status = PaymentStatus.REJECTED
            payment.failure_message = f"The provider reported {mismatch}."[:500]
            await _save(session, payment, when)
            await _event(session, payment, "payment.rejected", actor, eventId=event.event_id)
        return WebhookOutcome.REJECTED, mismatch
    if payment.status == PaymentStatus.REJECTED:
        return WebhookOutcome.REJECTED, "the payment was rejected before: the billing desk decides"
    if event.kind is EventKind.FAILED:
        if payment.status not in _OPEN:
            return WebhookOutcome.RECORDED, f"a late failure of a {payment.status} payment"
        payment.status = PaymentStatus.FAILED
        payment.failure_message = (event.failure_message or "The payment failed.")[:500]
        await _save(session, payment, when)
        await _event(session, payment, "payment.failed", actor, eventId=event.event_id)
        return WebhookOutcome.APPLIED, None
    before = (payment.status, payment.refunded_minor, payment.applied_minor)
    if event.capture_reference and payment.capture_reference is None:
        payment.capture_reference = event.capture_reference
    if event.kind is EventKind.SUCCEEDED and payment.status in _OPEN:
        payment.status = PaymentStatus.SUCCEEDED
        payment.succeeded_at = when
        payment.failure_message = None
    if event.kind is EventKind.REFUNDED:
        payment.refunded_minor = max(payment.refunded_minor, event.amount_minor)
    if payment.status in _PAID:
        full = payment.refunded_minor >= payment.amount_minor
        payment.status = PaymentStatus.REFUNDED if full else PaymentStatus.SUCCEEDED
    await _reconcile(session, payment, actor=actor, reference=event.event_id, when=when)
    if (payment.status, payment.refunded_minor, payment.applied_minor) == before:
        return WebhookOutcome.RECORDED, "already counted"
    await _save(session, payment, when)
    kind = "payment.refunded" if event.kind is EventKind.REFUNDED else "payment.succeeded"
    await _event(session, payment, kind, actor, eventId=event.event_id)
    return WebhookOutcome.APPLIED, None


async def _reconcile(
    session: AsyncSession, payment: Payment, *, actor: str, reference: str, when: datetime
) -> None:
    """Make what the payment counts on its invoice what it kept: paid less refunded, as far as
    the invoice still owes it (the rest stays unapplied)."""
    kept = payment.amount_minor - payment.refunded_minor if payment.status in _PAID else 0
    delta = kept - payment.applied_minor
    if delta > 0:
        invoice = await session.get(Invoice, payment.invoice_id)
        assert invoice is not None
        payable = invoice.kind == InvoiceKind.INVOICE and invoice.status in OPEN_STATUSES
        fits = min(delta, invoice.due_minor) if payable else 0
        if fits > 0:
            await apply_payment(
                session, invoice_id=payment.invoice_id, amount_minor=fits,
                currency=payment.currency, actor=actor, reference=reference, now=when,
            )  # fmt: skip
            payment.applied_minor += fits
    elif delta < 0:
        taken = min(-delta, payment.applied_minor)
        await apply_refund(
            session, invoice_id=payment.invoice_id, amount_minor=taken,
            currency=payment.currency, actor=actor, reference=reference, now=when,
        )  # fmt: skip
        payment.applied_minor -= taken


# ------------------------------------------------------------------ reads


def _with_owner() -> Select[Payment, uuid.UUID] | Select[Payment, None]:  # as sqlmodel types it
    """Payments with the patient user owning their invoice's account (for the row rules)."""
    return (
        select(Payment, BillingAccount.patient_user_id)
        .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
        .join(BillingAccount, col(BillingAccount.id) == col(Invoice.account_id))
    )


async def load_payments(
    session: AsyncSession, *, caller: Caller, payment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Payment | BaseException]:
    """Each payment the caller may read (its invoice's row rules); NOT_FOUND or FORBIDDEN
    (recorded) per id. One query for the batch (``_entities`` and ``payment(id:)``)."""
    reach = reach_of(caller)
    rows = (await session.exec(_with_owner().where(col(Payment.id).in_(list(payment_ids))))).all()
    found = {payment.id: (payment, owner) for payment, owner in rows}
    answers: dict[uuid.UUID, Payment | BaseException] = {}
    refused: list[Payment] = []
    for payment_id in payment_ids:
        pair = found.get(payment_id)
        if pair is None:
            answers[payment_id] = NotFound("No such payment.")
        elif can_read_account(caller, reach, pair[1]):
            answers[payment_id] = pair[0]
        else:
            refused.append(pair[0])
    if refused:
        error = await refuse(
            session, caller, reach,
            patient_ids=tuple(dict.fromkeys(p.patient_id for p in refused)),
            target={"type": "Payment", "ids": ",".join(str(p.id) for p in refused)[:500]},
        )  # fmt: skip
        answers.update(dict.fromkeys((p.id for p in refused), error))
    return answers


async def payments_of_invoices(
    session: AsyncSession, *, caller: Caller, invoice_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Payment]]:
    """Each invoice's payments, oldest first, for invoices the caller reads whole (else none)."""
    reach = reach_of(caller)
    query = _with_owner().where(col(Payment.invoice_id).in_(list(invoice_ids)))
    rows = (await session.exec(query.order_by(col(Payment.created_at), col(Payment.id)))).all()
    answers: dict[uuid.UUID, list[Payment]] = {i: [] for i in invoice_ids}
    for payment, owner in rows:
        if can_read_account(caller, reach, owner):
            answers[payment.invoice_id].append(payment)
    return answers
