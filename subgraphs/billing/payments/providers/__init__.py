"""Stripe and PayPal behind one narrow interface: create, capture, refund, verified webhooks."""
