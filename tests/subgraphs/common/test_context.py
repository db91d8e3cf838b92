"""Request loaders batch lookups, at most MAX_BATCH_SIZE keys per batch (one IN list each)."""

from __future__ import annotations

import asyncio

from subgraphs.common.context import MAX_BATCH_SIZE, LoaderRegistry


async def test_large_lookups_are_split_into_batches() -> None:
    batches: list[int] = []

    async def load(keys: list[int]) -> list[int]:
        batches.append(len(keys))
        return [key * 2 for key in keys]

    loader = LoaderRegistry().get("double", load)
    keys = range(2 * MAX_BATCH_SIZE + 500)
    assert await asyncio.gather(*(loader.load(key) for key in keys)) == [k * 2 for k in keys]
    assert batches == [MAX_BATCH_SIZE, MAX_BATCH_SIZE, 500]
