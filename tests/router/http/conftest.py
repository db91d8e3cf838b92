"""A router in front of a fake subscription subgraph, shared by a module's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.router.live import LiveWorld, live_world


@pytest.fixture(scope="module")
async def live_router() -> AsyncIterator[LiveWorld]:
    async with live_world(ws_init_timeout=1.0, subscription_heartbeat=0.2) as running:
        yield running


@pytest.fixture
def world(live_router: LiveWorld) -> LiveWorld:
    """The shared router, its fake subgraphs' records cleared."""
    live_router.live.reset()
    live_router.records.requests.clear()
    return live_router
