"""Account settings, mixed into the billing service's settings (prefix ``BILLING_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["AccountSettings"]


class AccountSettings(BaseSettings):
    """``BILLING_CURRENCY``: the ISO 4217 currency new accounts (and their invoices) bill in."""

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", frozen=True)

    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
