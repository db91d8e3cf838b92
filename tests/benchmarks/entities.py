"""Timing ``_entities`` of a subgraph app in process (ASGI): the latency of one batched lookup."""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import FastAPI

__all__ = ["entities_latency", "report"]

WARM_UP = 5  # runs excluded from the figures


async def entities_latency(
    app: FastAPI, *, headers: Mapping[str, str], payload: Mapping[str, Any], runs: int
) -> list[float]:
    """Milliseconds of ``runs`` POSTs of ``payload`` (an ``_entities`` operation) after a warm-up;
    each answer must have no errors and one entity per representation."""
    expected = len(payload["variables"]["r"])
    timings: list[float] = []
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://subgraph") as http,
    ):
        for run in range(runs + WARM_UP):
            began = time.perf_counter()
            response = await http.post("/graphql", json=dict(payload), headers=dict(headers))
            took = time.perf_counter() - began
            body = response.json()
            assert "errors" not in body, body
            assert len(body["data"]["_entities"]) == expected
            if run >= WARM_UP:
                timings.append(took * 1000)
    return timings


def report(label: str, timings: list[float]) -> None:
    """One line: the median and 95th percentile of ``timings``."""
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"  {label:<38} median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms")
