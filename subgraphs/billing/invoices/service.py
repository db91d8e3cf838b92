"""Invoice rules: drafts gather lines, issuing numbers and freezes them, credit notes correct them.

- A DRAFT takes and loses lines; ``issue`` gives it the next gap-free number
  (:mod:`subgraphs.billing.invoices.numbering`) and from then on what was billed never changes
  (the database refuses it too). Corrections are credit notes, issued at once.
- Payments and refunds (recorded by the payments domain through :func:`apply_payment` /
  :func:`apply_refund`) move an issued invoice through PARTIALLY_PAID to PAID and back.
- VOID cancels a draft or an issued invoice nothing was paid or credited on.
- Amounts are integers of the currency's minor unit (:mod:`subgraphs.billing.money`).
- Every change writes its event to ``billing.events`` in the same transaction.
- Reads follow the billing row rules (:mod:`subgraphs.billing.access.policy`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.audit import record_reads
from subgraphs.billing.access.policy import (
    Reach,
    account_condition,
    can_read_account,
    can_read_line,
    reach_of,
    refuse,
    require_write,
)
from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.accounts.readable import load_readable
from subgraphs.billing.accounts.service import accounts_by_patient, ensure_account, get_account
from subgraphs.billing.events import record_billing_event
from subgraphs.billing.invoices.documents import InvoiceDocument
from subgraphs.billing.invoices.models import (
    OPEN_STATUSES,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from subgraphs.billing.invoices.numbering import next_number
from subgraphs.billing.keyset import older_than
from subgraphs.billing.money import check_currency, from_minor, tax_of, to_minor
from subgraphs.common.context import Caller
from subgraphs.common.errors import BadUserInput, Conflict, NotFound
from subgraphs.common.rows import locked_row

__all__ = [
    "SERIES",
    "LineDraft",
    "ReadableInvoice",
    "add_draft_line",
    "add_line",
    "apply_payment",
    "apply_refund",
    "balances_of_patients",
    "create_credit_note",
    "create_invoice",
    "get_invoice",
    "invoice_document",
    "invoices_of",
    "issue_draft",
    "issue_invoice",
    "line_for_appointment",
    "lines_for_appointments",
    "lines_of",
    "list_invoices",
    "load_invoices",
    "open_draft",
    "remove_line",
    "void_invoice",
]

SERIES = {InvoiceKind.INVOICE: "INV", InvoiceKind.CREDIT_NOTE: "CN"}
MAX_LINES = 500
MAX_PAGE = 200
MAX_QUANTITY = 10_000
_REASON = 500


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class LineDraft:
    """A line to add: prices in major units of the invoice's currency (``Decimal``, never float)."""

    service_code: str
    description: str
    unit_price: Decimal | int
    quantity: int = 1
    discount: Decimal | int = 0
    tax_rate_bp: int = 0
    appointment_id: uuid.UUID | None = None
    doctor_id: uuid.UUID | None = None
    doctor_user_id: uuid.UUID | None = None
    performed_at: datetime | None = None
    source_event_id: uuid.UUID | None = None

    def priced(self, currency: str) -> dict[str, Any]:
        """The line's columns with every amount in minor units (BAD_USER_INPUT when invalid)."""
        code = self.service_code.strip()
        description = self.description.strip()
        if not code or len(code) > 40:
            raise BadUserInput(
                "serviceCode must be 1-40 characters.", extensions={"field": "serviceCode"}
            )
        if not description or len(description) > 500:
            raise BadUserInput(
                "description must be 1-500 characters.", extensions={"field": "description"}
            )
        if not 1 <= self.quantity <= MAX_QUANTITY:
            raise BadUserInput(
                f"quantity must be between 1 and {MAX_QUANTITY}.", extensions={"field": "quantity"}
            )
        if not 0 <= self.tax_rate_bp <= 10_000:
            raise BadUserInput(
                "taxRate must be between 0 and 100 percent.", extensions={"field": "taxRate"}
            )
        unit = to_minor(self.unit_price, currency, field="unitPrice")
        discount = to_minor(self.discount, currency, field="discount")
        if unit < 0 or discount < 0:
            raise BadUserInput("Prices and discounts cannot be negative.")
        gross = unit * self.quantity
        if discount > gross:
            raise BadUserInput(
                "The discount is larger than the line's amount.", extensions={"field": "discount"}
            )
        net = gross - discount
        tax = tax_of(net, self.tax_rate_bp)
        return {
            "service_code": code,
            "description": description,
            "quantity": self.quantity,
            "unit_price_minor": unit,
            "discount_minor": discount,
            "tax_rate_bp": self.tax_rate_bp,
            "net_minor": net,
            "tax_minor": tax,
            "total_minor": net + tax,
            "appointment_id": self.appointment_id,
            "doctor_id": self.doctor_id,
            "doctor_user_id": self.doctor_user_id,
            "performed_at": self.performed_at,
            "source_event_id": self.source_event_id,
        }


def _payload(invoice: Invoice, **extra: Any) -> dict[str, Any]:
    return {
        "invoiceId": str(invoice.id),
        "accountId": str(invoice.account_id),
        "patientId": str(invoice.patient_id),
        "kind": invoice.kind,
        "number": invoice.number,
        "status": invoice.status,
        "currency": invoice.currency,
        "totalMinor": invoice.total_minor,
        "paidMinor": invoice.paid_minor,
        "creditedMinor": invoice.credited_minor,
        "dueMinor": invoice.due_minor,
        "version": invoice.version,
        **extra,
    }


async def _event(
    session: AsyncSession, invoice: Invoice, type_: str, actor: str, **extra: Any
) -> None:
    await record_billing_event(
        session,
        type=type_,
        aggregate_type="invoice",
        aggregate_id=str(invoice.id),
        actor=actor,
        payload=_payload(invoice, **extra),
    )


async def _save(session: AsyncSession, invoice: Invoice, actor: str, when: datetime) -> None:
    invoice.version += 1
    invoice.updated_at = when
    invoice.updated_by = actor
    session.add(invoice)
    await session.flush()


async def _locked(session: AsyncSession, invoice_id: uuid.UUID) -> Invoice:
    return await locked_row(session, Invoice, invoice_id, missing="No such invoice.")


def _require_draft(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise Conflict(
            f"Invoice {invoice.number or invoice.id} is {invoice.status}: an issued invoice "
            "cannot change; correct it with a credit note.",
            extensions={"status": invoice.status},
        )


def _new_invoice(
    account: BillingAccount, *, currency: str, actor: str, when: datetime, **values: Any
) -> Invoice:
    return Invoice(
        account_id=account.id,
        patient_id=account.patient_id,
        currency=currency,
        created_at=when,
        created_by=actor,
        updated_at=when,
        updated_by=actor,
        **values,
    )


# ------------------------------------------------------------------ drafts


async def create_invoice(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    currency: str | None = None,
    default_currency: str,
    now: datetime | None = None,
) -> Invoice:
    """A new DRAFT invoice for the patient (their account is opened if they have none)."""
    require_write(caller)
    when = _now(now)
    account, _ = await ensure_account(
        session, patient_id=patient_id, actor=caller.actor, currency=default_currency, now=when
    )
    chosen = check_currency(currency or account.currency)
    if chosen != account.currency:
        raise BadUserInput(
            f"This account bills in {account.currency}.", extensions={"field": "currency"}
        )
    invoice = _new_invoice(account, currency=chosen, actor=caller.actor, when=when)
    session.add(invoice)
    await session.flush()
    await _event(session, invoice, "invoice.created", caller.actor)
    return invoice


async def open_draft(
    session: AsyncSession, *, account: BillingAccount, actor: str, now: datetime | None = None
) -> Invoice:
    """The account's open invoice (its oldest DRAFT), created when there is none; locked.

    The caller holds the account row locked (:func:`ensure_account`), so two events of the
    same patient never open two drafts.
    """
    draft = (
        await session.exec(
            select(Invoice)
            .where(
                col(Invoice.account_id) == account.id,
                col(Invoice.status) == InvoiceStatus.DRAFT,
                col(Invoice.kind) == InvoiceKind.INVOICE,
            )
            .order_by(col(Invoice.created_at), col(Invoice.id))
            .limit(1)
            .with_for_update()
        )
    ).first()
    if draft is not None:
        return draft
    when = _now(now)
    invoice = _new_invoice(account, currency=account.currency, actor=actor, when=when)
    session.add(invoice)
    await session.flush()
    await _event(session, invoice, "invoice.created", actor)
    return invoice


async def _add_line(
    session: AsyncSession, invoice: Invoice, draft: LineDraft, *, actor: str, when: datetime
) -> InvoiceLine:
    _require_draft(invoice)
    count, last = (
        await session.exec(
            select(func.count(), func.coalesce(func.max(InvoiceLine.position), 0)).where(
                col(InvoiceLine.invoice_id) == invoice.id
            )
        )
    ).one()
    if count >= MAX_LINES:
        raise BadUserInput(f"An invoice has at most {MAX_LINES} lines.")
    line = InvoiceLine(
        invoice_id=invoice.id,
        position=int(last) + 1,
        created_at=when,
        created_by=actor,
        **draft.priced(invoice.currency),
    )
    session.add(line)
    await session.flush()
    _add_to_totals(invoice, line, sign=1)
    await _save(session, invoice, actor, when)
    await _event(
        session, invoice, "invoice.line_added", actor, lineId=str(line.id),
        appointmentId=str(line.appointment_id) if line.appointment_id else None,
    )  # fmt: skip
    return line


def _add_to_totals(invoice: Invoice, line: InvoiceLine, *, sign: int) -> None:
    invoice.subtotal_minor += sign * line.quantity * line.unit_price_minor
    invoice.discount_minor += sign * line.discount_minor
    invoice.tax_minor += sign * line.tax_minor
    invoice.total_minor += sign * line.total_minor


async def add_draft_line(
    session: AsyncSession,
    invoice: Invoice,
    line: LineDraft,
    *,
    actor: str,
    now: datetime | None = None,
) -> InvoiceLine:
    """Add ``line`` to ``invoice`` (locked, e.g. by :func:`open_draft`) for an internal actor."""
    return await _add_line(session, invoice, line, actor=actor, when=_now(now))


async def add_line(
    session: AsyncSession,
    *,
    caller: Caller,
    invoice_id: uuid.UUID,
    line: LineDraft,
    now: datetime | None = None,
) -> InvoiceLine:
    """Add ``line`` to a DRAFT invoice (CONFLICT once issued)."""
    require_write(caller)
    invoice = await _locked(session, invoice_id)
    return await _add_line(session, invoice, line, actor=caller.actor, when=_now(now))


async def remove_line(
    session: AsyncSession, *, caller: Caller, line_id: uuid.UUID, now: datetime | None = None
) -> Invoice:
    """Take a line off a DRAFT invoice; the invoice comes back with its new totals."""
    require_write(caller)
    line = await session.get(InvoiceLine, line_id)
    if line is None:
        raise NotFound("No such invoice line.")
    invoice = await _locked(session, line.invoice_id)
    _require_draft(invoice)
    when = _now(now)
    await session.delete(line)
    await session.flush()
    _add_to_totals(invoice, line, sign=-1)
    await _save(session, invoice, caller.actor, when)
    await _event(session, invoice, "invoice.line_removed", caller.actor, lineId=str(line.id))
    return invoice


# ------------------------------------------------------------------ issuing and after


async def _issue(
    session: AsyncSession, invoice: Invoice, *, actor: str, when: datetime, terms_days: int
) -> Invoice:
    _require_draft(invoice)
    has_lines = (
        await session.exec(select(func.count()).where(col(InvoiceLine.invoice_id) == invoice.id))
    ).one()
    if not has_lines:
        raise BadUserInput("An invoice needs at least one line to be issued.")
    invoice.number = await next_number(
        session, series=SERIES[InvoiceKind(invoice.kind)], year=when.year
    )
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = when
    invoice.due_at = when + timedelta(days=terms_days)
    if invoice.kind == InvoiceKind.INVOICE and invoice.total_minor == 0:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = when
    await _save(session, invoice, actor, when)
    kind = "credit_note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"
    await _event(session, invoice, f"{kind}.issued", actor)
    return invoice


async def issue_invoice(
    session: AsyncSession,
    *,
    caller: Caller,
    invoice_id: uuid.UUID,
    terms_days: int = 30,
    now: datetime | None = None,
) -> Invoice:
    """Number a DRAFT invoice (gap-free per year), freeze it, and make it due in ``terms_days``.

    Run it in :meth:`Database.transact`: concurrent issues queue on the year's counter row.
    """
    require_write(caller)
    invoice = await _locked(session, invoice_id)
    return await _issue(session, invoice, actor=caller.actor, when=_now(now), terms_days=terms_days)


async def issue_draft(
    session: AsyncSession,
    invoice: Invoice,
    *,
    actor: str,
    terms_days: int,
    now: datetime | None = None,
) -> Invoice:
    """Issue ``invoice`` (locked, e.g. by :func:`open_draft`) for an internal actor."""
    return await _issue(session, invoice, actor=actor, when=_now(now), terms_days=terms_days)


def _settle(invoice: Invoice, when: datetime) -> None:
    """The status the paid and credited amounts give an issued invoice."""
    if invoice.paid_minor + invoice.credited_minor >= invoice.total_minor:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = invoice.paid_at or when
    elif invoice.paid_minor > 0:
        invoice.status = InvoiceStatus.PARTIALLY_PAID
        invoice.paid_at = None
    else:
        invoice.status = InvoiceStatus.ISSUED
        invoice.paid_at = None


async def void_invoice(
    session: AsyncSession,
    *,
    caller: Caller,
    invoice_id: uuid.UUID,
    reason: str,
    now: datetime | None = None,
) -> Invoice:
    """Cancel a draft, or an issued invoice nothing was paid or credited on (keeps its number)."""
    require_write(caller)
    stated = reason.strip()
    if not stated or len(stated) > _REASON:
        raise BadUserInput(
            f"A reason (1-{_REASON} characters) is required.", extensions={"field": "reason"}
        )
    invoice = await _locked(session, invoice_id)
    if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.ISSUED) or (
        invoice.paid_minor or invoice.credited_minor
    ):
        raise Conflict(
            f"Invoice {invoice.number or invoice.id} is {invoice.status} with payments or "
            "credits: refund or credit it instead of voiding.",
            extensions={"status": invoice.status},
        )
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        raise Conflict("A credit note cannot be voided.")
    when = _now(now)
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = when
    invoice.void_reason = stated
    await _save(session, invoice, caller.actor, when)
    await _event(session, invoice, "invoice.voided", caller.actor, reason=stated)
    return invoice


async def create_credit_note(
    session: AsyncSession,
    *,
    caller: Caller,
    invoice_id: uuid.UUID,
    reason: str,
    amount: Decimal | None = None,
    now: datetime | None = None,
) -> Invoice:
    """Credit ``amount`` (default: all not yet credited) of an issued invoice; issued at once.

    The credit note has its own number (``CN-2026-000007``); the invoice's credited amount
    grows, which may settle it (PAID) or, if it was paid already, leave a refund due.
    """
    require_write(caller)
    stated = reason.strip()
    if not stated or len(stated) > _REASON:
        raise BadUserInput(
            f"A reason (1-{_REASON} characters) is required.", extensions={"field": "reason"}
        )
    invoice = await _locked(session, invoice_id)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status in (
        InvoiceStatus.DRAFT,
        InvoiceStatus.VOID,
    ):
        raise Conflict(
            "Only an issued invoice can be credited (change a draft, or void it).",
            extensions={"status": invoice.status},
        )
    creditable = invoice.total_minor - invoice.credited_minor
    minor = creditable if amount is None else to_minor(amount, invoice.currency, field="amount")
    if minor <= 0 or minor > creditable:
        raise BadUserInput(
            f"The credit must be more than 0 and at most what is left to credit "
            f"({creditable} minor units).",
            extensions={"field": "amount"},
        )
    when = _now(now)
    account = await get_account(session, account_id=invoice.account_id)
    note = _new_invoice(
        account,
        currency=invoice.currency,
        actor=caller.actor,
        when=when,
        kind=InvoiceKind.CREDIT_NOTE,
        credited_invoice_id=invoice.id,
        reason=stated,
    )
    session.add(note)
    await session.flush()
    await _add_line(
        session,
        note,
        LineDraft(
            service_code="CREDIT",
            description=f"Credit for invoice {invoice.number}: {stated}"[:500],
            unit_price=from_minor(minor, invoice.currency),
        ),
        actor=caller.actor,
        when=when,
    )
    await _issue(session, note, actor=caller.actor, when=when, terms_days=0)
    invoice.credited_minor += minor
    _settle(invoice, when)
    await _save(session, invoice, caller.actor, when)
    await _event(
        session, invoice, "invoice.credited", caller.actor, creditNoteId=str(note.id),
        creditNoteNumber=note.number, amountMinor=minor,
    )  # fmt: skip
    return note


async def apply_payment(
    session: AsyncSession,
    *,
    invoice_id: uuid.UUID,
    amount_minor: int,
    currency: str,
    actor: str,
    reference: str,
    now: datetime | None = None,
) -> Invoice:
    """Record a verified payment of ``amount_minor`` on an issued invoice (the payments domain).

    Refused (CONFLICT) in another currency, above what is due, or on an invoice that is not
    awaiting payment; the caller decides what to do with such money (e.g. refund it).
    """
    invoice = await _locked(session, invoice_id)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise Conflict(
            f"Invoice {invoice.number or invoice.id} is {invoice.status}, not awaiting payment.",
            extensions={"status": invoice.status},
        )
    if currency != invoice.currency:
        raise Conflict(
            f"The payment is in {currency}; the invoice is in {invoice.currency}.",
            extensions={"currency": invoice.currency},
        )
    if not 0 < amount_minor <= invoice.due_minor:
        raise Conflict(
            f"The payment of {amount_minor} minor units does not fit the {invoice.due_minor} due.",
            extensions={"dueMinor": invoice.due_minor},
        )
    when = _now(now)
    invoice.paid_minor += amount_minor
    _settle(invoice, when)
    await _save(session, invoice, actor, when)
    kind = "invoice.paid" if invoice.status == InvoiceStatus.PAID else "invoice.partially_paid"
    await _event(session, invoice, kind, actor, amountMinor=amount_minor, reference=reference)
    return invoice


async def apply_refund(
    session: AsyncSession,
    *,
    invoice_id: uuid.UUID,
    amount_minor: int,
    currency: str,
    actor: str,
    reference: str,
    now: datetime | None = None,
) -> Invoice:
    """Record a refund of ``amount_minor`` of what was paid (the payments domain)."""
    invoice = await _locked(session, invoice_id)
    if currency != invoice.currency:
        raise Conflict(f"The refund is in {currency}; the invoice is in {invoice.currency}.")
    if not 0 < amount_minor <= invoice.paid_minor:
        raise Conflict(
            f"The refund of {amount_minor} minor units exceeds the {invoice.paid_minor} paid.",
            extensions={"paidMinor": invoice.paid_minor},
        )
    when = _now(now)
    invoice.paid_minor -= amount_minor
    _settle(invoice, when)
    await _save(session, invoice, actor, when)
    await _event(
        session, invoice, "invoice.refunded", actor, amountMinor=amount_minor, reference=reference
    )
    return invoice


# ------------------------------------------------------------------ reads


@dataclass(frozen=True, slots=True)
class ReadableInvoice:
    """An invoice with its account (for the row rules of its lines)."""

    invoice: Invoice
    account: BillingAccount


async def load_invoices(
    session: AsyncSession, *, caller: Caller, invoice_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Invoice | BaseException]:
    """Each invoice the caller may read whole; NOT_FOUND or FORBIDDEN (recorded) per id.

    One query for the batch (``_entities`` and ``invoice(id:)`` load through it).
    """
    return await load_readable(session, caller, model=Invoice, ids=invoice_ids, kind="Invoice")


async def get_invoice(session: AsyncSession, *, caller: Caller, invoice_id: uuid.UUID) -> Invoice:
    """One invoice the caller may read (NOT_FOUND / FORBIDDEN otherwise)."""
    answer = (await load_invoices(session, caller=caller, invoice_ids=[invoice_id]))[invoice_id]
    if isinstance(answer, BaseException):
        raise answer
    return answer


async def list_invoices(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID | None = None,
    statuses: Sequence[InvoiceStatus] | None = None,
    limit: int = 50,
    before: datetime | None = None,
    after_id: uuid.UUID | None = None,
) -> list[Invoice]:
    """Invoices the caller may read, newest first: staff and admin any patient's (or all), a
    patient their own. ``before`` (and ``after_id``, the last id seen at that instant) pages on
    ``created_at``."""
    reach = reach_of(caller)
    if not 1 <= limit <= MAX_PAGE:
        raise BadUserInput(
            f"first must be between 1 and {MAX_PAGE}.", extensions={"field": "first"}
        )
    if reach in (Reach.NONE, Reach.OWN_LINES):
        raise await refuse(
            session,
            caller,
            reach,
            patient_ids=(patient_id,) if patient_id else (),
            target={"field": "invoices"},
        )
    query = (
        select(Invoice)
        .join(BillingAccount, col(BillingAccount.id) == col(Invoice.account_id))
        .where(account_condition(caller, reach, col(BillingAccount.patient_user_id)))
    )
    if patient_id is not None:
        query = query.where(col(Invoice.patient_id) == patient_id)
    if statuses:
        query = query.where(col(Invoice.status).in_([s.value for s in statuses]))
    if before is not None:
        query = query.where(older_than(col(Invoice.created_at), col(Invoice.id), before, after_id))
    query = query.order_by(col(Invoice.created_at).desc(), col(Invoice.id)).limit(limit)
    invoices = list((await session.exec(query)).all())
    await record_reads(session, caller, reach, [("invoice", i.id, i.patient_id) for i in invoices])
    return invoices


async def invoices_of(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_ids: Sequence[uuid.UUID],
    statuses: Sequence[InvoiceStatus] | None = None,
) -> dict[uuid.UUID, list[Invoice] | BaseException]:
    """Each patient's invoices (newest first) when the caller may read them; FORBIDDEN otherwise."""
    reach = reach_of(caller)
    accounts = (await accounts_by_patient(session, patient_ids=patient_ids)).values()
    readable = {
        a.patient_id for a in accounts if can_read_account(caller, reach, a.patient_user_id)
    }
    answers: dict[uuid.UUID, list[Invoice] | BaseException] = {}
    known = {a.patient_id for a in accounts}
    for patient_id in patient_ids:
        if (patient_id in known and patient_id not in readable) or (
            patient_id not in known and reach not in (Reach.ALL, Reach.OWN)
        ):
            answers[patient_id] = await refuse(
                session, caller, reach, patient_ids=(patient_id,),
                target={"field": "invoices", "patientId": str(patient_id)},
            )  # fmt: skip
        else:
            answers[patient_id] = []
    if readable:
        query = select(Invoice).where(col(Invoice.patient_id).in_(list(readable)))
        if statuses:
            query = query.where(col(Invoice.status).in_([s.value for s in statuses]))
        query = query.order_by(col(Invoice.created_at).desc(), col(Invoice.id))
        invoices = (await session.exec(query)).all()
        for invoice in invoices:
            bucket = answers[invoice.patient_id]
            if isinstance(bucket, list):
                bucket.append(invoice)
        await record_reads(
            session, caller, reach, [("invoice", i.id, i.patient_id) for i in invoices]
        )
    return answers


async def balances_of_patients(
    session: AsyncSession, *, caller: Caller, patient_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, str] | BaseException | None]:
    """What each patient owes, ``(minor units, currency)`` of their account, or None without one.

    The sum over issued invoices of total - paid - credited (a negative balance is a credit).
    """
    reach = reach_of(caller)
    accounts = (await accounts_by_patient(session, patient_ids=patient_ids)).values()
    by_patient = {a.patient_id: a for a in accounts}
    readable = [a.id for a in accounts if can_read_account(caller, reach, a.patient_user_id)]
    sums: dict[uuid.UUID, int] = {}
    if readable:
        due = col(Invoice.total_minor) - col(Invoice.paid_minor) - col(Invoice.credited_minor)
        rows = (
            await session.exec(
                select(Invoice.account_id, func.coalesce(func.sum(due), 0))
                .where(
                    col(Invoice.account_id).in_(readable),
                    col(Invoice.kind) == InvoiceKind.INVOICE,
                    col(Invoice.status).in_(
                        [InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID]
                    ),
                )
                .group_by(col(Invoice.account_id))
            )
        ).all()
        sums = {account_id: int(total) for account_id, total in rows}
    answers: dict[uuid.UUID, tuple[int, str] | BaseException | None] = {}
    for patient_id in patient_ids:
        account = by_patient.get(patient_id)
        if account is None:
            answers[patient_id] = None
        elif account.id in readable:
            answers[patient_id] = (sums.get(account.id, 0), account.currency)
        else:
            answers[patient_id] = await refuse(
                session, caller, reach, patient_ids=(patient_id,),
                target={"field": "balance", "patientId": str(patient_id)},
            )  # fmt: skip
    return answers


async def lines_of(
    session: AsyncSession, *, caller: Caller, invoice_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[InvoiceLine]]:
    """Each invoice's lines in order, those the caller may read (all, for a whole-invoice reader)."""
    reach = reach_of(caller)
    rows = (
        await session.exec(
            select(InvoiceLine, BillingAccount)
            .join(Invoice, col(Invoice.id) == col(InvoiceLine.invoice_id))
            .join(BillingAccount, col(BillingAccount.id) == col(Invoice.account_id))
            .where(col(InvoiceLine.invoice_id).in_(list(invoice_ids)))
            .order_by(col(InvoiceLine.invoice_id), col(InvoiceLine.position))
        )
    ).all()
    answers: dict[uuid.UUID, list[InvoiceLine]] = {i: [] for i in invoice_ids}
    for line, account in rows:
        if can_read_line(caller, reach, account.patient_user_id, line.doctor_user_id):
            answers[line.invoice_id].append(line)
    return answers


async def lines_for_appointments(
    session: AsyncSession, *, caller: Caller, appointment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[InvoiceLine, str] | BaseException | None]:
    """Each appointment's invoice line and currency (None: not billed), or FORBIDDEN.

    A doctor reads the lines of their own appointments, a patient those on their account,
    staff and admin all. Lines of void invoices count as not billed.
    """
    reach = reach_of(caller)
    rows = (
        await session.exec(
            select(InvoiceLine, BillingAccount, Invoice.currency)
            .join(Invoice, col(Invoice.id) == col(InvoiceLine.invoice_id))
            .join(BillingAccount, col(BillingAccount.id) == col(Invoice.account_id))
            .where(
                col(InvoiceLine.appointment_id).in_(list(appointment_ids)),
                col(Invoice.status) != InvoiceStatus.VOID,
            )
        )
    ).all()
    answers: dict[uuid.UUID, tuple[InvoiceLine, str] | BaseException | None] = dict.fromkeys(
        appointment_ids
    )
    refused: list[tuple[uuid.UUID, uuid.UUID]] = []
    for line, account, currency in rows:
        assert line.appointment_id is not None
        if can_read_line(caller, reach, account.patient_user_id, line.doctor_user_id):
            answers[line.appointment_id] = (line, currency)
        else:
            refused.append((line.appointment_id, account.patient_id))
    if refused:
        error = await refuse(
            session, caller, reach, patient_ids=tuple(dict.fromkeys(p for _, p in refused)),
            target={"field": "invoiceLine", "appointmentIds": ",".join(str(a) for a, _ in refused)[:500]},
        )  # fmt: skip
        answers.update(dict.fromkeys((a for a, _ in refused), error))
    return answers


async def line_for_appointment(
    session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID
) -> InvoiceLine | None:
    """One appointment's invoice line (None: not billed; FORBIDDEN: not the caller's)."""
    answer = (
        await lines_for_appointments(session, caller=caller, appointment_ids=[appointment_id])
    )[appointment_id]
    if isinstance(answer, BaseException):
        raise answer
    return answer[0] if answer else None


async def invoice_document(
    session: AsyncSession, *, caller: Caller, invoice_id: uuid.UUID
) -> InvoiceDocument:
    """An invoice the caller may read whole, with its account and lines (for PDF and CSV)."""
    invoice = await get_invoice(session, caller=caller, invoice_id=invoice_id)
    account = await get_account(session, account_id=invoice.account_id)
    lines = (await lines_of(session, caller=caller, invoice_ids=[invoice.id]))[invoice.id]
    return InvoiceDocument(invoice=invoice, account=account, lines=lines)
