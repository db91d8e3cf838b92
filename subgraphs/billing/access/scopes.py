"""Which scopes of the shared role table (:mod:`subgraphs.common.tokens.scopes`) open billing fields.

A field needs any one scope of its :class:`ScopeRule`; the row rules of
:mod:`subgraphs.billing.access.policy` then decide whose invoices that reaches.
"""

from __future__ import annotations

from subgraphs.common.tokens.rules import ScopeRule
from subgraphs.common.tokens.scopes import Scope

__all__ = [
    "ACCOUNT_POLICY",
    "INVOICE_POLICY",
    "LINE_POLICY",
    "PAY_BILLING",
    "READ_BILLING",
    "WRITE_BILLING",
]

READ_BILLING = ScopeRule(Scope.BILLING_READ, Scope.BILLING_READ_OWN)
WRITE_BILLING = ScopeRule(Scope.BILLING_WRITE)
# Paying an invoice: a patient their own (billing:pay:own), the desk anyone's (billing:write).
PAY_BILLING = ScopeRule(Scope.BILLING_PAY_OWN, Scope.BILLING_WRITE)

# The row-level rules (``@policy`` names), enforced by :mod:`subgraphs.billing.access.policy`.
ACCOUNT_POLICY = "billing.account_access"
INVOICE_POLICY = "billing.invoice_access"
LINE_POLICY = "billing.line_access"
