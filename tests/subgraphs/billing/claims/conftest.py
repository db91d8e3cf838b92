"""A ClaimRegistry on the in-process chain, shared by this folder's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from subgraphs.billing.claims.chain import ChainSettings, ClaimRegistry


@pytest.fixture(scope="module")
async def registry() -> AsyncIterator[ClaimRegistry]:
    registry = ClaimRegistry(ChainSettings())
    await registry.start()
    yield registry
    await registry.close()
