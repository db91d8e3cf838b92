"""The live feed's log table matches what migration clinical_3001 creates."""

from __future__ import annotations

import subgraphs.clinical.live.models  # noqa: F401 (registers the table)
from tests.support.migrations import model_differences


async def test_models_match_the_migration(clinical_url: str) -> None:
    assert await model_differences(clinical_url, {"live_feed_event"}) == []
