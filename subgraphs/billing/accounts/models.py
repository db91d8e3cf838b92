"""The billing account table: one per patient (migration billing_0001)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

__all__ = ["BillingAccount"]


class BillingAccount(SQLModel, table=True):
    """A patient's account: who pays (the patient or a guarantor) and their insurance.

    ``patient_id`` is clinical's patient id (unique: one account per patient);
    ``patient_user_id`` is the patient's auth account, which lets them read their own invoices.
    The balance is derived from the invoices (see :func:`subgraphs.billing.invoices.service.balances`).
    """

    __tablename__ = "billing_account"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    patient_id: uuid.UUID = Field(nullable=False, unique=True)
    patient_user_id: uuid.UUID | None = Field(default=None, index=True)
    payer_name: str | None = Field(default=None, max_length=200)
    payer_email: str | None = Field(default=None, max_length=254)
    payer_address: str | None = Field(default=None, max_length=500)
    insurer: str | None = Field(default=None, max_length=200)
    policy_number: str | None = Field(default=None, max_length=100)
    currency: str = Field(max_length=3, nullable=False)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)
    updated_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    updated_by: str = Field(max_length=200, nullable=False)
