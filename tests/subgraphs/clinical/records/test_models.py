"""The tables of records and prescriptions match what migration clinical_1001 creates."""

from __future__ import annotations

import subgraphs.clinical.prescriptions.models
import subgraphs.clinical.records.models  # noqa: F401 (registers the tables)
from tests.support.migrations import model_differences

OURS = {"medical_record", "medical_record_version", "prescription", "prescription_signing_key"}


async def test_models_match_the_migration(clinical_url: str) -> None:
    assert await model_differences(clinical_url, OURS) == []
