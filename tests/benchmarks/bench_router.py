"""Router benchmark: our router against @apollo/gateway on the same subgraphs, in one run.

Run: ``python -m tests.benchmarks router`` (needs Node.js and npm; installs
``tests/benchmarks/node`` once). Both gateways front the same four Node subgraphs (accounts,
reviews, products, inventory; answers memoized so the gateway is the bottleneck) and are measured
alternately (A/B, then B/A, ...) with the same closed-loop load generator (``wrk`` when installed).
Per operation it prints throughput, p50/p99 latency and the gateway process's CPU time per request
(user + system, all threads; independent of what else runs on the machine) under load for both
and the ratios ours/Apollo, then p50/p99 at concurrency 1 and our overhead over calling the
subgraph directly.

Knobs (environment): ``BENCH_ROUTER_SECONDS`` per measurement (5), ``BENCH_ROUTER_ROUNDS`` (3),
``BENCH_ROUTER_CONCURRENCY`` (16), ``BENCH_ROUTER_OPERATIONS`` (comma list, all by default),
``BENCH_ROUTER_PIN=1`` to pin the gateway under test to CPU 0 and the subgraphs and load to the
others (off by default: on a small VM the cross-CPU wake-ups of a pinned loopback setup cost more
than the gateway's own work),
``BENCH_LOAD=aiohttp`` to use the Python load generator even when wrk is installed,
``BENCH_ROUTER_PYTHONPATH`` to measure the router of another checkout (default: this one).
"""

from __future__ import annotations

import math
import os
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from tests.benchmarks.load import Figures, LoadGenerator, load_generator
from tests.benchmarks.router_peers import (
    Peers,
    check_answers,
    child_setup,
    cpu_seconds,
    print_benchmark,
    start_peers,
)

__all__ = ["OPERATIONS", "Operation", "Report", "Settings", "main", "run_benchmark"]

_USER = "fragment UserFields on User { id username name }"
_REVIEW = "fragment ReviewFields on Review { id body }"
_PRODUCT = "fragment ProductFields on Product { inStock name price shippingEstimate upc weight }"
_AUTHOR = "author { ...UserFields reviews { ...ReviewFields product { ...ProductFields } } }"


@dataclass(frozen=True, slots=True)
class Operation:
    """A client operation; ``direct`` names the subgraph that alone answers it, if one does."""

    name: str
    query: str
    direct: str | None = None

    @property
    def body(self) -> bytes:
        return orjson.dumps({"query": self.query})


OPERATIONS = (
    Operation("single", "query Single { topProducts { upc name price weight } }", "products"),
    Operation("entity", "query Entity { topProducts { upc name price reviews { id body } } }"),
    Operation(
        "nested",
        "query Nested { users { ...UserFields reviews { ...ReviewFields product { ...ProductFields"
        f" reviews {{ ...ReviewFields {_AUTHOR} }} }} }} }}"
        f" topProducts {{ ...ProductFields reviews {{ ...ReviewFields {_AUTHOR} }} }} }}"
        f" {_USER} {_REVIEW} {_PRODUCT}",
    ),
)

_ALL = tuple(op.name for op in OPERATIONS)


@dataclass(frozen=True, slots=True)
class Settings:
    seconds: float = 5.0
    rounds: int = 3
    concurrency: int = 16
    operations: tuple[str, ...] = _ALL
    pin: bool = False

    @classmethod
    def from_environment(cls) -> Settings:
        env = os.environ.get
        names = env("BENCH_ROUTER_OPERATIONS")
        return cls(
            seconds=float(env("BENCH_ROUTER_SECONDS", "5")),
            rounds=int(env("BENCH_ROUTER_ROUNDS", "3")),
            concurrency=int(env("BENCH_ROUTER_CONCURRENCY", "16")),
            operations=tuple(n.strip() for n in names.split(",")) if names else _ALL,
            pin=env("BENCH_ROUTER_PIN", "0") == "1",
        )


def _combine(runs: list[Figures]) -> Figures:
    """Several rounds as one: total requests over total time, median of the percentiles."""
    return Figures(
        requests=sum(r.requests for r in runs),
        seconds=sum(r.seconds for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        errors=sum(r.errors for r in runs),
    )


@dataclass
class Result:
    """One operation's figures: under load, and at concurrency 1 (with the subgraph direct)."""

    operation: Operation
    loaded: dict[str, Figures] = field(default_factory=dict)
    sequential: dict[str, Figures] = field(default_factory=dict)
    cpu_ms: dict[str, float] = field(default_factory=dict)  # gateway CPU per request, loaded

    def cpu_ratio(self) -> float:
        ours, theirs = self.cpu_ms.get("ours", math.nan), self.cpu_ms.get("apollo", math.nan)
        return ours / theirs if theirs else math.nan

    def ratio(self, metric: Callable[[Figures], float], phase: str = "loaded") -> float:
        figures = self.loaded if phase == "loaded" else self.sequential
        theirs = metric(figures["apollo"])
        return metric(figures["ours"]) / theirs if theirs else float("nan")

    def overhead(self, metric: Callable[[Figures], float]) -> float | None:
        if "direct" not in self.sequential:
            return None
        return metric(self.sequential["ours"]) - metric(self.sequential["direct"])


@dataclass
class Report:
    settings: Settings
    load: str
    cpus: str
    results: list[Result] = field(default_factory=list)

    def lines(self) -> list[str]:
        s = self.settings
        out = [
            (
                f"load: {self.load}, {s.concurrency} connections, {s.rounds} alternating rounds"
                f" of {s.seconds:g}s per gateway; {self.cpus}"
            ),
            "",
            (
                f"{'operation':<9} {'gateway':<7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
                f" {'CPU ms/req':>10} {'errors':>6}"
            ),
        ]
        for result in self.results:
            for who in ("ours", "apollo"):
                f = result.loaded[who]
                out.append(
                    f"{result.operation.name:<9} {who:<7} {f.throughput:>9.0f} {f.p50_ms:>8.2f}"
                    f" {f.p99_ms:>8.2f} {result.cpu_ms.get(who, math.nan):>10.3f} {f.errors:>6}"
                )
            out.append(
                f"{result.operation.name:<9} {'ratio':<7} "
                f"{result.ratio(lambda f: f.throughput):>8.2f}x"
                f" {result.ratio(lambda f: f.p50_ms):>8.2f} {result.ratio(lambda f: f.p99_ms):>8.2f}"
                f" {result.cpu_ratio():>10.2f}   (ours/Apollo)"
            )
        out += [
            "",
            "concurrency 1:",
            f"{'operation':<9} {'target':<7} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>9}",
        ]
        for result in self.results:
            for who, f in result.sequential.items():
                out.append(
                    f"{result.operation.name:<9} {who:<7} {f.p50_ms:>8.3f} {f.p99_ms:>8.3f}"
                    f" {f.throughput:>9.0f}"
                )
            p50, p99 = result.overhead(lambda f: f.p50_ms), result.overhead(lambda f: f.p99_ms)
            if p50 is not None and p99 is not None:
                out.append(
                    f"{result.operation.name:<9} overhead over the subgraph direct: "
                    f"p50 {p50:+.3f} ms, p99 {p99:+.3f} ms"
                )
        out.append("")
        out += self.targets()
        return out

    def targets(self) -> list[str]:
        out = []
        for result in self.results:
            if result.operation.name == "nested":
                ratio = result.ratio(lambda f: f.throughput)
                verdict = "met" if ratio >= 4 else "NOT met"
                out.append(f"target nested throughput >= 4x Apollo: {ratio:.2f}x, {verdict}")
            overhead = result.overhead(lambda f: f.p50_ms)
            if overhead is not None:
                verdict = "met" if overhead <= 1 else "NOT met"
                out.append(
                    f"target {result.operation.name} p50 overhead <= 1 ms: "
                    f"{overhead:.3f} ms, {verdict}"
                )
        return out


def _check(op: Operation, peers: Peers) -> None:
    """Both gateways (and the subgraph, for a direct operation) answer the same data, no errors."""
    targets = {"ours": peers.router, "apollo": peers.apollo}
    if op.direct:
        targets["direct"] = f"{peers.subgraphs}/{op.direct}"
    try:
        check_answers(op.body, targets)
    except RuntimeError as error:
        raise RuntimeError(f"{op.name}: {error}") from None


def _cpus(pin: bool) -> tuple[frozenset[int] | None, frozenset[int] | None, str]:
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if not pin or len(available) < 2:
        return None, None, f"not pinned ({len(available) or os.cpu_count()} CPUs shared)"
    gateway, others = frozenset(available[:1]), frozenset(available[1:])
    return (
        gateway,
        others,
        (
            f"each gateway pinned to CPU {available[0]}, subgraphs and load on CPU "
            f"{','.join(map(str, sorted(others)))}"
        ),
    )


def run_benchmark(settings: Settings, generator: LoadGenerator | None = None) -> Report:
    """Start everything, measure every operation, stop everything; returns the figures."""
    gateway_cpus, other_cpus, cpus = _cpus(settings.pin)
    load = generator or load_generator(child_setup(other_cpus))
    report = Report(settings, load.name, cpus)
    operations = [op for op in OPERATIONS if op.name in settings.operations]
    with (
        tempfile.TemporaryDirectory(prefix="bench-router-") as workdir,
        start_peers(Path(workdir), gateway_cpus=gateway_cpus, other_cpus=other_cpus) as peers,
    ):
        gateways = {"ours": peers.router, "apollo": peers.apollo}
        for op in operations:
            _check(op, peers)
            result = Result(op)
            warm = min(1.0, settings.seconds)
            for url in gateways.values():  # warm-up: JIT, plan and document caches, pools
                load.run(url, op.body, concurrency=settings.concurrency, seconds=warm)
            loaded: dict[str, list[Figures]] = {who: [] for who in gateways}
            cpu: dict[str, float] = dict.fromkeys(gateways, 0.0)
            sequential: dict[str, list[Figures]] = {who: [] for who in gateways}
            if op.direct:
                sequential["direct"] = []
            targets = {**gateways}
            if op.direct:
                targets["direct"] = f"{peers.subgraphs}/{op.direct}"
            for round_index in range(settings.rounds):
                order = list(gateways) if round_index % 2 == 0 else list(reversed(gateways))
                for who in order:
                    before = cpu_seconds(peers.pids[who])
                    loaded[who].append(
                        load.run(
                            gateways[who],
                            op.body,
                            concurrency=settings.concurrency,
                            seconds=settings.seconds,
                        )
                    )
                    after = cpu_seconds(peers.pids[who])
                    if before is not None and after is not None:
                        cpu[who] += after - before
                seq_order = list(targets) if round_index % 2 == 0 else list(reversed(targets))
                for who in seq_order:
                    sequential[who].append(
                        load.run(targets[who], op.body, concurrency=1, seconds=settings.seconds)
                    )
            result.loaded = {who: _combine(runs) for who, runs in loaded.items()}
            result.cpu_ms = {
                who: cpu[who] / result.loaded[who].requests * 1000
                for who in gateways
                if cpu[who] and result.loaded[who].requests
            }
            result.sequential = {who: _combine(runs) for who, runs in sequential.items()}
            report.results.append(result)
    return report


def main() -> None:
    print_benchmark("router", lambda: run_benchmark(Settings.from_environment()).lines())


if __name__ == "__main__":
    main()
