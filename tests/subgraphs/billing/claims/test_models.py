"""Migration billing_3001 creates exactly the claim tables the models describe."""

from __future__ import annotations

import subgraphs.billing.models  # noqa: F401 (registers every billing table on SQLModel.metadata)
from tests.support.migrations import model_differences


async def test_no_drift_between_claim_models_and_migration(billing_url: str) -> None:
    assert await model_differences(billing_url, {"claim", "claim_status_change"}) == []
