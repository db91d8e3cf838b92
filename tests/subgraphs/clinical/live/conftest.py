"""Fixtures of the clinical test harness (database with stand-ins, people, app client)."""

from tests.subgraphs.clinical.harness import client, clinical_url, database, people

__all__ = ["client", "clinical_url", "database", "people"]
