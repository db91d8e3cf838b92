"""The billing subgraph: accounts, invoices (and, built beside them, payments, claims and reports)."""
