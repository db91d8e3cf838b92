"""The router scaling benchmark (tests/benchmarks/bench_router_scale.py) still runs end to end."""

from __future__ import annotations

import asyncio

import pytest

from tests.benchmarks.bench_router_scale import VARIANTS, Settings, run_benchmark
from tests.benchmarks.load import LoadGenerator
from tests.benchmarks.router_peers import node_missing

pytestmark = [
    pytest.mark.node,
    pytest.mark.slow,  # five gateways (two of them with two workers) start on a 2-core machine
    pytest.mark.skipif(node_missing() is not None, reason=f"Node.js needed: {node_missing()}"),
]


async def test_the_scaling_benchmark_measures_every_variant_briefly() -> None:
    settings = Settings(seconds=0.3, rounds=1, concurrency=(2,))
    # the Python load generator takes sub-second durations (wrk counts whole seconds)
    report = await asyncio.to_thread(run_benchmark, settings, LoadGenerator())

    level = report.results[2]
    assert list(level) == [variant.name for variant in VARIANTS]
    for measured in level.values():
        assert measured.requests > 0
        assert measured.errors == 0
        assert measured.fetches > 0
    text = "\n".join(report.lines())
    assert "target 1 worker >= 4.5x Apollo at 2 connections, as shipped (dedup on)" in text
    assert "target 2 workers >= 1.8x 1 worker at 2 connections, dedup off" in text
    assert "2 workers / 1 worker" in text
