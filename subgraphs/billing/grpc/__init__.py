"""Billing's gRPC API (``billing.v1.BillingService``): a thin servicer over the domain services."""
