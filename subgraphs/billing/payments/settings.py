"""Payment provider settings, mixed into the billing service's settings (prefix ``BILLING_``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["PaymentSettings"]


class PaymentSettings(BaseSettings):
    """``BILLING_STRIPE_SECRET_KEY``, ``BILLING_PAYPAL_CLIENT_ID`` and friends.

    A provider without its key is not offered. ``*_API_BASE`` points a provider's SDK at another
    address: ``healthgraph up`` sets them to its local fakes when no real keys are configured;
    unset, the SDKs talk to Stripe and PayPal themselves. Keys and secrets come from the
    environment (or a secrets manager filling it), never from code.
    """

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", frozen=True)

    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str | None = None

    paypal_client_id: str | None = None
    paypal_client_secret: SecretStr | None = None
    paypal_webhook_id: str | None = None
    paypal_environment: Literal["sandbox", "production"] = "sandbox"
    paypal_api_base: str | None = None
    # Where PayPal sends the buyer's browser after approving or cancelling (the web app's pages).
    paypal_return_url: str | None = None
    paypal_cancel_url: str | None = None

    # Webhooks signed longer ago than this (seconds) are refused as replays (Stripe's default).
    payment_webhook_tolerance: int = Field(default=300, ge=1, le=86_400)
    # Seconds a call to a provider may take before the payment fails with a retryable error.
    payment_provider_timeout: float = Field(default=15.0, gt=0, le=120)

    @field_validator(
        "stripe_secret_key", "stripe_webhook_secret", "stripe_api_base", "paypal_client_id",
        "paypal_client_secret", "paypal_webhook_id", "paypal_api_base", "paypal_return_url",
        "paypal_cancel_url", mode="before",
    )  # fmt: skip
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """An empty variable (``BILLING_STRIPE_SECRET_KEY=``) means "not configured"."""
        return None if isinstance(value, str) and not value.strip() else value
