"""Report tests (claims by status) run against a ClaimRegistry on the in-process chain."""

from tests.subgraphs.billing.chain import registry

__all__ = ["registry"]
