"""The router benchmark harness (tests/benchmarks/bench_router.py) still runs end to end."""

from __future__ import annotations

import asyncio

import pytest

from tests.benchmarks.bench_router import Settings, run_benchmark
from tests.benchmarks.load import LoadGenerator
from tests.benchmarks.router_peers import node_missing

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(node_missing() is not None, reason=f"Node.js needed: {node_missing()}"),
]


async def test_the_benchmark_measures_both_gateways_briefly() -> None:
    settings = Settings(seconds=0.3, rounds=1, concurrency=2, operations=("single", "nested"))
    # the Python load generator takes sub-second durations (wrk counts whole seconds)
    report = await asyncio.to_thread(run_benchmark, settings, LoadGenerator())

    assert [r.operation.name for r in report.results] == ["single", "nested"]
    for result in report.results:
        for figures in (*result.loaded.values(), *result.sequential.values()):
            assert figures.requests > 0
            assert figures.errors == 0
    single = report.results[0]
    assert set(single.sequential) == {"ours", "apollo", "direct"}
    assert single.overhead(lambda f: f.p50_ms) is not None
    text = "\n".join(report.lines())
    assert "(ours/Apollo)" in text
    assert "target nested throughput >= 4x Apollo" in text
    assert "target single p50 overhead <= 1 ms" in text
