"""Billing accounts: one per patient, with the payer and insurance details invoices are addressed to."""
