"""Invoice rules on a real database: totals in minor units, issuing, immutability, credit notes."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from subgraphs.billing.accounts.service import ensure_account
from subgraphs.billing.invoices import service
from subgraphs.billing.invoices.models import InvoiceLine, InvoiceStatus
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden
from subgraphs.common.outbox.models import OutboxEvent

LINE = service.LineDraft(
    service_code="XRAY", description="Chest X-ray", unit_price=Decimal("42.50"), quantity=2,
    discount=Decimal("5.00"), tax_rate_bp=2000,
)  # fmt: skip


async def _draft(database: Database, staff: Caller, patient_id: uuid.UUID) -> uuid.UUID:
    async with database.transaction() as session:
        invoice = await service.create_invoice(
            session, caller=staff, patient_id=patient_id, default_currency="GBP"
        )
        await service.add_line(session, caller=staff, invoice_id=invoice.id, line=LINE)
        return invoice.id


async def test_a_line_is_priced_in_minor_units(database: Database, staff: Caller) -> None:
    invoice_id = await _draft(database, staff, uuid.uuid4())
    async with database.transaction() as session:
        invoice = await service.get_invoice(session, caller=staff, invoice_id=invoice_id)
        line = (await session.exec(select(InvoiceLine))).one()
    # 2 x 42.50 - 5.00 = 80.00 net; 20 % tax = 16.00; total 96.00
    assert (line.net_minor, line.tax_minor, line.total_minor) == (8000, 1600, 9600)
    assert (invoice.subtotal_minor, invoice.discount_minor) == (8500, 500)
    assert (invoice.tax_minor, invoice.total_minor, invoice.status) == (1600, 9600, "DRAFT")


async def test_issue_numbers_and_freezes(database: Database, staff: Caller) -> None:
    first = await _draft(database, staff, uuid.uuid4())
    second = await _draft(database, staff, uuid.uuid4())
    numbers = []
    for invoice_id in (first, second):
        issued = await database.transact(
            lambda s, i=invoice_id: service.issue_invoice(s, caller=staff, invoice_id=i)
        )
        numbers.append(issued.number)
        assert issued.status == InvoiceStatus.ISSUED
    year = issued.issued_at.year if issued.issued_at else 0
    assert numbers == [f"INV-{year}-000001", f"INV-{year}-000002"]
    with pytest.raises(Conflict, match="credit note"):
        async with database.transaction() as session:
            await service.add_line(session, caller=staff, invoice_id=first, line=LINE)
    # the database refuses it too, whoever asks
    async with database.session() as session:
        invoice = await service.get_invoice(session, caller=staff, invoice_id=first)
        invoice.total_minor = 1
        session.add(invoice)
        with pytest.raises(DBAPIError, match="immutable"):
            await session.flush()
    async with database.session() as session:
        types = (
            await session.exec(select(OutboxEvent.type).order_by(col(OutboxEvent.position)))
        ).all()
    assert types.count("invoice.issued") == 2


async def test_credit_note_settles_and_payments_move_status(
    database: Database, staff: Caller
) -> None:
    invoice_id = await _draft(database, staff, uuid.uuid4())
    await database.transact(lambda s: service.issue_invoice(s, caller=staff, invoice_id=invoice_id))
    async with database.transaction() as session:
        paid = await service.apply_payment(
            session, invoice_id=invoice_id, amount_minor=5000, currency="GBP", actor="t",
            reference="pi_1",
        )  # fmt: skip
        assert (paid.status, paid.due_minor) == (InvoiceStatus.PARTIALLY_PAID, 4600)
        with pytest.raises(Conflict):
            await service.apply_payment(
                session, invoice_id=invoice_id, amount_minor=100, currency="EUR", actor="t",
                reference="pi_2",
            )  # fmt: skip
    async with database.transaction() as session:
        note = await service.create_credit_note(
            session, caller=staff, invoice_id=invoice_id, reason="Discount agreed",
            amount=Decimal("46.00"),
        )  # fmt: skip
        original = await service.get_invoice(session, caller=staff, invoice_id=invoice_id)
    assert (note.number or "").startswith("CN-")
    assert note.total_minor == 4600
    assert (original.status, original.due_minor) == (InvoiceStatus.PAID, 0)


async def test_patients_read_only_their_own(database: Database, staff: Caller) -> None:
    from subgraphs.common.context import Role
    from tests.support.callers import make_caller

    mine, theirs = make_caller(Role.PATIENT), make_caller(Role.PATIENT)
    patient = uuid.uuid4()
    async with database.transaction() as session:
        await ensure_account(
            session, patient_id=patient, patient_user_id=mine.user_id, actor="t", currency="GBP"
        )
    invoice_id = await _draft(database, staff, patient)
    async with database.transaction() as session:
        assert (await service.get_invoice(session, caller=mine, invoice_id=invoice_id)).id
        with pytest.raises(Forbidden):
            await service.get_invoice(session, caller=theirs, invoice_id=invoice_id)
        assert await service.list_invoices(session, caller=theirs) == []
        with pytest.raises(Forbidden):
            await service.create_invoice(
                session, caller=mine, patient_id=patient, default_currency="GBP"
            )
    with pytest.raises(BadUserInput):
        service.LineDraft("X", "y", unit_price=Decimal("1.001")).priced("GBP")
