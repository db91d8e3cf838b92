"""The router's hot path with tracing off and on: ``python -m tests.benchmarks telemetry``.

A federated query (three subgraph fetches) through the router served on loopback, in rounds
that alternate off / on so drift on a shared machine hits both alike. "on" traces every request
into a batch processor whose exporter drops the spans (the cost of making spans, not of
shipping them). Also the per-request cost of the instrumentation left when tracing is off
(metrics and the "is tracing on?" checks), measured on its own.
"""

from __future__ import annotations

import statistics
import time

import httpx
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from router.telemetry.router_metrics import PLAN_CACHE_HITS, observe_fetch
from router.telemetry.tracing import tracing
from tests.router.hospital import build_hospital
from tests.support.tracing import serve_traced_hospital

__all__ = ["main"]

QUERY = 'query Chart { patient(id: "p1") { name visits { reason } balance } }'
REQUESTS = 1500
ROUNDS = 4


class _Drop(SpanExporter):
    def export(self, spans: object) -> SpanExportResult:
        del spans
        return SpanExportResult.SUCCESS


async def _latencies(client: httpx.AsyncClient, url: str, count: int) -> list[float]:
    payload = {"query": QUERY, "operationName": "Chart"}
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.post(url, json=payload)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return timings


async def _round(traced: bool) -> list[float]:
    hospital = build_hospital()
    if traced:
        tracing.enable("bench", BatchSpanProcessor(_Drop()))
    try:
        async with serve_traced_hospital(hospital) as router, httpx.AsyncClient() as client:
            await _latencies(client, f"{router}/graphql", 100)  # warm: plans, connections
            return await _latencies(client, f"{router}/graphql", REQUESTS)
    finally:
        tracing.disable()


def _off_path_cost(iterations: int = 200_000) -> float:
    """Microseconds per request of what stays when tracing is off (one operation, 3 fetches)."""
    from router.pipeline.telemetry import observe

    headers: dict[str, str] = {}
    started = time.perf_counter()
    for _ in range(iterations):
        with observe(headers, "Chart") as observation:
            observation.outcome = "ok"
        PLAN_CACHE_HITS.inc()
        for subgraph in ("patients", "clinical", "billing"):
            if tracing.tracer is None:
                observe_fetch(subgraph, "ok", 0.001)
    return (time.perf_counter() - started) / iterations * 1e6


async def main() -> None:
    figures: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(ROUNDS):
        for traced in (False, True):
            figures[traced].extend(await _round(traced))
    for traced, timings in figures.items():
        timings.sort()
        p50 = statistics.median(timings) * 1000
        p99 = timings[int(len(timings) * 0.99)] * 1000
        print(
            f"tracing {'on ' if traced else 'off'}: {len(timings)} requests, "
            f"p50 {p50:.3f} ms, p99 {p99:.3f} ms, mean {statistics.fmean(timings) * 1000:.3f} ms"
        )
    off, on = (statistics.median(figures[t]) * 1000 for t in (False, True))
    print(f"tracing on costs {on - off:+.3f} ms at p50 ({(on / off - 1) * 100:+.1f}%)")
    print(f"instrumentation left when off: {_off_path_cost():.2f} us per request")
