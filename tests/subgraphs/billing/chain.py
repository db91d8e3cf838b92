"""The ``registry`` fixture: a ClaimRegistry on the in-process chain, one per test module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from subgraphs.billing.claims.chain import ChainSettings, ClaimRegistry

__all__ = ["registry"]


@pytest.fixture(scope="module")
async def registry() -> AsyncIterator[ClaimRegistry]:
    registry = ClaimRegistry(ChainSettings())
    await registry.start()
    yield registry
    await registry.close()
