"""Account settings, mixed into the billing service's settings (prefix ``BILLING_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["AccountSettings"]


class AccountSettings(BaseSettings):
    """``BILLING_CURRENCY``: the ISO 4217 currency new accounts (and their invoices) bill in;
    ``BILLING_REGISTRATION_CONSUMER_ENABLED`` / ``_GROUP``: the consumer of registrations."""

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", frozen=True)

    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
    # Accounts opened from clinical's registration events (when the gRPC call could not).
    registration_consumer_enabled: bool = True
    registration_consumer_group: str = Field(default="billing-registrations", min_length=1)
