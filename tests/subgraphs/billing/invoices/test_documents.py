"""The invoice PDF parses back with its header, lines, totals and a QR code; the CSV adds up."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pypdf
import zxingcpp
from PIL import Image

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.invoices.documents import (
    InvoiceDocument,
    render_invoice_csv,
    render_invoice_pdf,
)
from subgraphs.billing.invoices.models import Invoice, InvoiceLine
from subgraphs.billing.invoices.service import LineDraft
from subgraphs.billing.invoices.settings import InvoiceSettings

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _document() -> InvoiceDocument:
    account = BillingAccount(
        patient_id=uuid.uuid4(), currency="GBP", payer_name="Pat Patient (synthetic)",
        insurer="Acme Health", policy_number="POL-1", created_at=NOW, created_by="t",
        updated_at=NOW, updated_by="t",
    )  # fmt: skip
    invoice = Invoice(
        account_id=account.id, patient_id=account.patient_id, currency="GBP", status="ISSUED",
        number="INV-2026-000042", issued_at=NOW, due_at=NOW, created_at=NOW, created_by="t",
        updated_at=NOW, updated_by="t",
    )  # fmt: skip
    drafts = [
        LineDraft("CONSULT", "Consultation with Dr Dana Doctor", unit_price=Decimal("65.00")),
        LineDraft("XRAY", "Chest X-ray, two views", unit_price=Decimal("42.50"), quantity=2,
                  discount=Decimal("5.00"), tax_rate_bp=2000),
    ]  # fmt: skip
    lines = []
    for position, draft in enumerate(drafts, start=1):
        line = InvoiceLine(
            invoice_id=invoice.id, position=position, created_at=NOW, created_by="t",
            **draft.priced("GBP"),
        )  # fmt: skip
        lines.append(line)
        invoice.subtotal_minor += line.quantity * line.unit_price_minor
        invoice.discount_minor += line.discount_minor
        invoice.tax_minor += line.tax_minor
        invoice.total_minor += line.total_minor
    invoice.paid_minor = 1000
    return InvoiceDocument(invoice=invoice, account=account, lines=lines)


def test_pdf_reads_back_with_totals_and_a_qr_code_to_pay() -> None:
    document = _document()
    settings = InvoiceSettings(hospital_name="St Example (synthetic)")
    reader = pypdf.PdfReader(io.BytesIO(render_invoice_pdf(document, settings)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "St Example (synthetic)" in text
    assert "INVOICE INV-2026-000042" in text
    assert "Chest X-ray, two views" in text
    assert "Total: 161.00 GBP" in text  # 65.00 + (85.00 - 5.00) x 1.2
    assert "Amount due: 151.00 GBP" in text
    images = [image for page in reader.pages for image in page.images]
    assert images, "the PDF carries the QR code"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].data)))
    assert decoded[0].text == settings.payment_url.format(invoice_id=document.invoice.id)


def test_csv_lines_add_up_to_the_total() -> None:
    document = _document()
    rows = list(csv.DictReader(io.StringIO(render_invoice_csv(document))))
    lines = [row for row in rows if row["line"].isdigit()]
    totals = {row["line"]: Decimal(row["total"]) for row in rows if not row["line"].isdigit()}
    assert len(lines) == 2
    assert sum(Decimal(row["total"]) for row in lines) == totals["TOTAL"] == Decimal("161.00")
    assert totals["DUE"] == Decimal("151.00")
    assert totals["SUBTOTAL"] - totals["DISCOUNT"] + totals["TAX"] == totals["TOTAL"]
