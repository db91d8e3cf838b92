"""Payments: patients pay their invoices through Stripe or PayPal; verified webhooks settle them."""
