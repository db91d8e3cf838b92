"""The analytics benchmark (tests/benchmarks/bench_analytics.py) still runs end to end, briefly."""

from __future__ import annotations

from tests.benchmarks.bench_analytics import run_benchmark


async def test_the_benchmark_measures_backlog_burst_and_rebuild(
    postgres_server_url: str, kafka_bootstrap: str
) -> None:
    figures = await run_benchmark(postgres_server_url, kafka_bootstrap, events=300)
    assert figures.backlog_seconds > 0
    assert figures.burst_drain_seconds >= 0
    assert 0 <= figures.burst_max_lag <= 300
    text = "\n".join(figures.lines())
    assert "events/s" in text
    assert "max lag" in text
