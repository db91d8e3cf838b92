"""Billing reports: revenue, receivables ageing and claims, as GraphQL and as CSV or PDF."""
