"""The booking-key table matches what migration clinical_0003 creates."""

from __future__ import annotations

import subgraphs.clinical.appointments.models  # noqa: F401 (registers the tables)
from tests.support.migrations import model_differences


async def test_booking_keys_match_the_migration(clinical_url: str) -> None:
    assert await model_differences(clinical_url, {"appointment_booking_key"}) == []
