"""The billing subgraph: accounts, invoices, payments, claims and reports."""
