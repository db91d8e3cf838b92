"""Payment settings: keys from the environment; a blank variable is no provider."""

from __future__ import annotations

import pytest

from subgraphs.billing.payments.providers.gateways import PaymentGateways
from subgraphs.billing.settings import BillingSettings


async def test_keys_come_from_the_environment_and_blank_means_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BILLING_STRIPE_SECRET_KEY", "sk_test_from_env")
    monkeypatch.setenv("BILLING_STRIPE_WEBHOOK_SECRET", "whsec_from_env")
    monkeypatch.setenv("BILLING_PAYPAL_CLIENT_ID", "")
    monkeypatch.setenv("BILLING_PAYPAL_CLIENT_SECRET", "  ")
    monkeypatch.setenv("BILLING_PAYPAL_RETURN_URL", "")
    monkeypatch.setenv("BILLING_PAYPAL_CANCEL_URL", "http://127.0.0.1:4000/app/paypal/cancel")
    settings = BillingSettings()
    assert settings.stripe_secret_key is not None
    assert settings.stripe_secret_key.get_secret_value() == "sk_test_from_env"
    assert "sk_test_from_env" not in repr(settings)
    assert (settings.paypal_client_id, settings.paypal_client_secret) == (None, None)
    assert settings.paypal_return_url is None
    assert settings.paypal_cancel_url == "http://127.0.0.1:4000/app/paypal/cancel"
    gateways = PaymentGateways.from_settings(settings)
    assert gateways.stripe is not None
    assert gateways.paypal is None
    await gateways.aclose()
