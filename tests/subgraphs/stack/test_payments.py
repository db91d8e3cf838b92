"""Which payment provider fakes ``healthgraph up`` starts, and how billing is pointed at them."""

from __future__ import annotations

from pathlib import Path

import orjson

from subgraphs.stack.payments import payment_fakes
from subgraphs.stack.settings import StackSettings


def test_without_keys_both_fakes_start_and_billing_shares_their_secrets(tmp_path: Path) -> None:
    settings = StackSettings(billing_port=5003, stripe_fake_port=5013, paypal_fake_port=5014)
    stripe, paypal = payment_fakes(settings, tmp_path, {})

    assert stripe.url == "http://127.0.0.1:5013"
    assert stripe.env["STRIPE_FAKE_WEBHOOK_URL"] == "http://127.0.0.1:5003/webhooks/stripe"
    assert stripe.env["STRIPE_FAKE_API_KEY"] == stripe.billing_env["BILLING_STRIPE_SECRET_KEY"]
    assert stripe.env["STRIPE_FAKE_API_KEY"].startswith("sk_test_")
    assert (
        stripe.env["STRIPE_FAKE_WEBHOOK_SECRET"]
        == stripe.billing_env["BILLING_STRIPE_WEBHOOK_SECRET"]
    )
    assert stripe.billing_env["BILLING_STRIPE_API_BASE"] == stripe.url
    assert paypal.env["PAYPAL_FAKE_WEBHOOK_URL"] == "http://127.0.0.1:5003/webhooks/paypal"
    assert paypal.env["PAYPAL_FAKE_WEBHOOK_ID"] == paypal.billing_env["BILLING_PAYPAL_WEBHOOK_ID"]
    assert paypal.billing_env["BILLING_PAYPAL_API_BASE"] == paypal.url
    # the web app's browser calls Stripe's fake, and PayPal's fake sends the buyer back to it
    origins = ["http://127.0.0.1:4000", "http://localhost:4000"]
    assert orjson.loads(stripe.env["STRIPE_FAKE_ALLOWED_ORIGINS"]) == origins
    assert (
        paypal.billing_env["BILLING_PAYPAL_RETURN_URL"] == "http://127.0.0.1:4000/app/paypal/return"
    )
    assert (
        paypal.billing_env["BILLING_PAYPAL_CANCEL_URL"] == "http://127.0.0.1:4000/app/paypal/cancel"
    )
    # generated once, kept private, the same on the next start
    again = payment_fakes(settings, tmp_path, {})
    assert again[0].env == stripe.env
    assert again[1].env == paypal.env
    assert oct((tmp_path / "keys" / "stripe-fake-webhook.secret").stat().st_mode & 0o777) == "0o600"


def test_real_keys_and_production_start_no_fake(tmp_path: Path) -> None:
    real = {"BILLING_STRIPE_SECRET_KEY": "sk_live_x", "BILLING_PAYPAL_CLIENT_ID": "live-app"}
    assert payment_fakes(StackSettings(), tmp_path, real) == []
    only_paypal = payment_fakes(StackSettings(), tmp_path, {"BILLING_STRIPE_SECRET_KEY": "sk"})
    assert [fake.name for fake in only_paypal] == ["paypal-fake"]
    assert payment_fakes(StackSettings(environment="production"), tmp_path, {}) == []
