"""The payment gateways a running billing service has, built once from its settings."""

from __future__ import annotations

from dataclasses import dataclass

from subgraphs.billing.payments.models import PaymentProvider
from subgraphs.billing.payments.providers.base import PaymentGateway
from subgraphs.billing.payments.providers.paypal_provider import PayPalProvider
from subgraphs.billing.payments.providers.stripe_provider import StripeProvider
from subgraphs.billing.payments.settings import PaymentSettings
from subgraphs.common.errors import ServiceUnavailable

__all__ = ["PaymentGateways"]

_NAMES = {PaymentProvider.STRIPE: "Stripe", PaymentProvider.PAYPAL: "PayPal"}


@dataclass
class PaymentGateways:
    """Stripe and PayPal when their keys are configured; None for a provider without keys."""

    stripe: PaymentGateway | None = None
    paypal: PaymentGateway | None = None

    @classmethod
    def from_settings(cls, settings: PaymentSettings) -> PaymentGateways:
        stripe: PaymentGateway | None = None
        paypal: PaymentGateway | None = None
        timeout, tolerance = settings.payment_provider_timeout, settings.payment_webhook_tolerance
        if settings.stripe_secret_key is not None:
            secret = settings.stripe_webhook_secret
            stripe = StripeProvider(
                secret_key=settings.stripe_secret_key.get_secret_value(),
                webhook_secret=secret.get_secret_value() if secret else None,
                api_base=settings.stripe_api_base,
                tolerance=tolerance,
                timeout=timeout,
            )
        if settings.paypal_client_id and settings.paypal_client_secret is not None:
            paypal = PayPalProvider(
                client_id=settings.paypal_client_id,
                client_secret=settings.paypal_client_secret.get_secret_value(),
                webhook_id=settings.paypal_webhook_id,
                environment=settings.paypal_environment,
                api_base=settings.paypal_api_base,
                tolerance=tolerance,
                timeout=timeout,
                return_url=settings.paypal_return_url,
                cancel_url=settings.paypal_cancel_url,
            )
        return cls(stripe=stripe, paypal=paypal)

    def get(self, provider: PaymentProvider) -> PaymentGateway:
        """The gateway of ``provider``; SERVICE_UNAVAILABLE when it is not configured."""
        gateway = self.stripe if provider is PaymentProvider.STRIPE else self.paypal
        if gateway is None:
            raise ServiceUnavailable(
                f"{_NAMES[provider]} payments are not configured on this server.",
                retry_after=3600,
            )
        return gateway

    async def aclose(self) -> None:
        for gateway in (self.stripe, self.paypal):
            if gateway is not None:
                await gateway.aclose()
