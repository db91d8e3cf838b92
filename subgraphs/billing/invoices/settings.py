"""Invoice settings, mixed into the billing service's settings (prefix ``BILLING_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["InvoiceSettings"]


class InvoiceSettings(BaseSettings):
    """``BILLING_CONSULTATION_PRICE_MINOR``, ``BILLING_HOSPITAL_NAME``, ...

    The billing service's settings class inherits these fields; its ``env_prefix`` applies.
    """

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", frozen=True)

    # What a completed appointment costs, in minor units of the account's currency, and its tax rate in
    # basis points (outpatient care is VAT-exempt in the UK: 0).
    consultation_service_code: str = "CONSULT"
    consultation_price_minor: int = Field(default=6500, ge=0)
    consultation_tax_rate_bp: int = Field(default=0, ge=0, le=10_000)
    # Days from issue until an invoice is due.
    payment_terms_days: int = Field(default=30, ge=0, le=365)
    # The header of printed invoices, and where the QR code sends a patient to pay.
    hospital_name: str = "Healthgraph Demo Hospital"
    hospital_address: str = "1 Example Street, London EC1A 1AA, United Kingdom"
    payment_url: str = "http://127.0.0.1:4000/pay/{invoice_id}"
    # Completed appointments (clinical.appointments) become invoice lines: the consumer group.
    appointment_consumer_enabled: bool = True
    appointment_consumer_group: str = Field(default="billing-appointments", min_length=1)
    pdf_font: Path | None = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
