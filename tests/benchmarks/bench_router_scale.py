"""Router scaling: 1 and 2 workers, deduplication off and on, against @apollo/gateway, in one run.

Run: ``python -m tests.benchmarks router_scale`` (needs Node.js and npm, like the ``router``
benchmark whose subgraphs, gateway and load generator it shares). Five gateways front the same
four memoized Node subgraphs at once: @apollo/gateway and ``python -m router`` with 1 worker and
with ``ROUTER_WORKERS=2``, each with ``ROUTER_QUERY_DEDUPLICATION`` off and on. Each is measured
on the nested query in turn (the order rotates every round) at each concurrency; it prints
throughput, p50/p99, gateway CPU per request (every worker counted), subgraph fetches per answer
(all the subgraph requests of the measurement over the answers completed in it, so slightly high),
the ratios to Apollo and of 2 workers to 1, and the targets.

Knobs (environment): ``BENCH_SCALE_SECONDS`` per measurement (5), ``BENCH_SCALE_ROUNDS`` (2),
``BENCH_SCALE_CONCURRENCY`` (comma list, ``50,4``), ``BENCH_LOAD=aiohttp`` for the Python load
generator even when wrk is installed, ``BENCH_ROUTER_PYTHONPATH`` to measure another checkout.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.benchmarks.bench_router import OPERATIONS
from tests.benchmarks.load import Figures, LoadGenerator, load_generator
from tests.benchmarks.router_peers import (
    apollo_gateway,
    benchmark_subgraphs,
    check_answers,
    child_setup,
    our_router,
    print_benchmark,
    tree_cpu_seconds,
)

__all__ = ["VARIANTS", "Report", "Settings", "Variant", "main", "run_benchmark"]

NESTED = next(op for op in OPERATIONS if op.name == "nested")


@dataclass(frozen=True, slots=True)
class Variant:
    """One gateway under test; ``env`` configures our router (None: @apollo/gateway)."""

    name: str
    env: dict[str, str] | None


VARIANTS = (
    Variant("apollo", None),
    Variant("1w", {"ROUTER_WORKERS": "1", "ROUTER_QUERY_DEDUPLICATION": "false"}),
    Variant("1w+dedup", {"ROUTER_WORKERS": "1", "ROUTER_QUERY_DEDUPLICATION": "true"}),
    Variant("2w", {"ROUTER_WORKERS": "2", "ROUTER_QUERY_DEDUPLICATION": "false"}),
    Variant("2w+dedup", {"ROUTER_WORKERS": "2", "ROUTER_QUERY_DEDUPLICATION": "true"}),
)


@dataclass(frozen=True, slots=True)
class Settings:
    seconds: float = 5.0
    rounds: int = 2
    concurrency: tuple[int, ...] = (50, 4)

    @classmethod
    def from_environment(cls) -> Settings:
        env = os.environ.get
        levels = env("BENCH_SCALE_CONCURRENCY", "50,4")
        return cls(
            seconds=float(env("BENCH_SCALE_SECONDS", "5")),
            rounds=int(env("BENCH_SCALE_ROUNDS", "2")),
            concurrency=tuple(int(level) for level in levels.split(",")),
        )


@dataclass
class Measured:
    """Every round of one gateway at one concurrency, summed."""

    requests: int = 0
    seconds: float = 0.0
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: int = 0
    cpu: float = 0.0
    fetches: int = 0

    def add(self, figures: Figures, cpu: float | None, fetches: int) -> None:
        self.requests += figures.requests
        self.seconds += figures.seconds
        self.p50.append(figures.p50_ms)
        self.p99.append(figures.p99_ms)
        self.errors += figures.errors
        self.cpu += cpu or 0.0
        self.fetches += fetches

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def median(self, values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[len(ordered) // 2] if ordered else math.nan


@dataclass
class Report:
    settings: Settings
    load: str
    results: dict[int, dict[str, Measured]] = field(default_factory=dict)

    def ratio(self, concurrency: int, ours: str, theirs: str) -> float:
        level = self.results[concurrency]
        base = level[theirs].throughput
        return level[ours].throughput / base if base else math.nan

    def lines(self) -> list[str]:
        s = self.settings
        out = [
            (
                f"nested query; load: {self.load}; {s.rounds} rotating rounds of {s.seconds:g}s"
                f" per gateway and concurrency; {os.cpu_count()} CPUs shared by everything"
            ),
        ]
        for concurrency, level in self.results.items():
            out += [
                "",
                f"{concurrency} connections:",
                (
                    f"{'gateway':<9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>10}"
                    f" {'fetches/answer':>14} {'xApollo':>8} {'errors':>6}"
                ),
            ]
            for name, measured in level.items():
                requests = measured.requests or 1
                out.append(
                    f"{name:<9} {measured.throughput:>8.0f} {measured.median(measured.p50):>8.2f}"
                    f" {measured.median(measured.p99):>8.2f} {measured.cpu / requests * 1000:>10.3f}"
                    f" {measured.fetches / requests:>14.2f}"
                    f" {self.ratio(concurrency, name, 'apollo'):>7.2f}x {measured.errors:>6}"
                )
            out.append(
                f"2 workers / 1 worker: {self.ratio(concurrency, '2w', '1w'):.2f}x,"
                f" with dedup {self.ratio(concurrency, '2w+dedup', '1w+dedup'):.2f}x"
            )
        out.append("")
        out += self.targets()
        return out

    def targets(self) -> list[str]:
        """Both targets for the router as shipped (query deduplication on, the default) and with
        deduplication off (every subgraph fetch sent, so the subgraphs share the CPUs too)."""
        loaded = max(self.results)
        out: list[str] = []
        for label, one_worker, two_workers in (
            ("as shipped (dedup on)", "1w+dedup", "2w+dedup"),
            ("dedup off", "1w", "2w"),
        ):
            one = self.ratio(loaded, one_worker, "apollo")
            two = self.ratio(loaded, two_workers, one_worker)
            out += [
                (
                    f"target 1 worker >= 4.5x Apollo at {loaded} connections, {label}:"
                    f" {one:.2f}x, {'met' if one >= 4.5 else 'NOT met'}"
                ),
                (
                    f"target 2 workers >= 1.8x 1 worker at {loaded} connections, {label}:"
                    f" {two:.2f}x, {'met' if two >= 1.8 else 'NOT met'}"
                ),
            ]
        return out


def _served(stats: str) -> int:
    requests: int = httpx.get(stats, timeout=10).json()["requests"]
    return requests


def run_benchmark(settings: Settings, generator: LoadGenerator | None = None) -> Report:
    """Start the subgraphs and every gateway, measure, stop everything; returns the figures."""
    load = generator or load_generator(child_setup(None))
    report = Report(settings, load.name)
    with (
        tempfile.TemporaryDirectory(prefix="bench-router-scale-") as workdir,
        contextlib.ExitStack() as stack,
    ):
        folder = Path(workdir)
        base, supergraph, _ = stack.enter_context(benchmark_subgraphs(folder))
        urls: dict[str, str] = {}
        pids: dict[str, int] = {}
        for variant in VARIANTS:
            log = folder / f"{variant.name}.log"
            if variant.env is None:
                url, process = stack.enter_context(apollo_gateway(supergraph, log))
            else:
                url, process = stack.enter_context(our_router(supergraph, log, env=variant.env))
            urls[variant.name], pids[variant.name] = url, process.pid
        check_answers(NESTED.body, urls)
        for url in urls.values():  # warm-up: JIT, plan and document caches, pools, workers
            load.run(url, NESTED.body, concurrency=max(settings.concurrency), seconds=1)
        names = list(urls)
        for concurrency in settings.concurrency:
            level = report.results[concurrency] = {name: Measured() for name in names}
            for round_index in range(settings.rounds):
                shift = round_index % len(names)
                for name in names[shift:] + names[:shift]:
                    cpu_before = tree_cpu_seconds(pids[name])
                    served_before = _served(f"{base}/stats")
                    figures = load.run(
                        urls[name], NESTED.body, concurrency=concurrency, seconds=settings.seconds
                    )
                    time.sleep(0.3)  # fetches of the requests wrk left in flight count here too
                    served = _served(f"{base}/stats") - served_before
                    cpu_after = tree_cpu_seconds(pids[name])
                    cpu = (
                        cpu_after - cpu_before
                        if cpu_before is not None and cpu_after is not None
                        else None
                    )
                    level[name].add(figures, cpu, served)
    return report


def main() -> None:
    print_benchmark("router_scale", lambda: run_benchmark(Settings.from_environment()).lines())


if __name__ == "__main__":
    main()
