"""The payment tables match what migration billing_4001 creates."""

from __future__ import annotations

import subgraphs.billing.payments.models  # noqa: F401 (registers the tables)
from tests.support.migrations import model_differences


async def test_models_match_the_migration(billing_url: str) -> None:
    assert await model_differences(billing_url, {"payment", "payment_webhook"}) == []
