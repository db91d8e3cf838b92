"""Differential fuzzing: random valid operations through our router and @apollo/gateway.

Both gateways front the same deterministic subgraphs (tests/router/fuzz/subgraph.py); every
answer pair is compared on ``data`` and on the set of error paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from router.composition import SubgraphSource, compose_or_raise
from router.http import create_app
from router.settings import RouterSettings
from router.supergraph import parse_supergraph
from tests.benchmarks.router_peers import apollo_gateway
from tests.router.fuzz.compare import (
    Difference,
    KnownDifference,
    compare,
    coordinates,
    load_known_differences,
)
from tests.router.fuzz.generate import OperationGenerator
from tests.router.fuzz.subgraph import DeterministicSubgraphs, seed_of
from tests.router.loopback import SAMPLES, free_port, sample_sdl, serve

__all__ = ["FuzzReport", "fuzz_supergraph", "supergraphs"]

REPO = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).with_name("fixtures")
_AUTH_DIRECTIVES = re.compile(
    r"(?<!directive )@(authenticated\b|requiresScopes\([^)]*\)|policy\([^)]*\))"
)
_CONCURRENCY = 8


def _healthgraph() -> str:
    # Apollo Gateway enforces none of these: strip them so both gateways answer anonymously
    text = (REPO / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
    text = re.sub(r'\s*@link\(url: "[^"]*/(authenticated|requiresScopes|policy)/[^)]*\)', "", text)
    return _AUTH_DIRECTIVES.sub("", text)


def _fixture(directory: Path) -> str:
    sources = [
        SubgraphSource(path.stem, f"http://127.0.0.1:1/{path.stem}", path.read_text("utf-8"))
        for path in sorted(directory.glob("*.graphql"))
    ]
    return compose_or_raise(sources)


def supergraphs() -> dict[str, str]:
    """Every supergraph the fuzz test covers, by a short name."""
    found = {"healthgraph": _healthgraph(), "samples": sample_sdl()}
    for case in sorted(p for p in SAMPLES.iterdir() if (p / "supergraph.graphql").exists()):
        found[f"sample-{case.name}"] = sample_sdl(case.name)
    if FIXTURES.is_dir():
        for directory in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
            found[f"fixture-{directory.name}"] = _fixture(directory)
    return found


def _with_urls(sdl: str, base: str) -> str:
    return re.sub(
        r'(@join__graph\(\s*name:\s*"([^"]+)"\s*,\s*url:\s*)"[^"]*"',
        lambda m: f'{m.group(1)}"{base}/{m.group(2)}"',
        sdl,
    )


@dataclass
class FuzzReport:
    """What one supergraph's run covered and found."""

    supergraph: str
    operations: int = 0
    differences: list[Difference] = field(default_factory=list)
    known: list[tuple[Difference, KnownDifference]] = field(default_factory=list)
    subgraph_requests: int = 0

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for difference in self.differences:
            found[difference.kind] = found.get(difference.kind, 0) + 1
        return found


async def _post(client: httpx.AsyncClient, url: str, payload: dict[str, Any]) -> Any:
    try:
        response = await client.post(url, json=payload)
    except httpx.TransportError:  # a keep-alive connection the server closed as we reused it
        response = await client.post(url, json=payload)
    try:
        return response.json()
    except ValueError:
        return {"data": None, "errors": [{"message": f"HTTP {response.status_code}"}]}


async def _run(
    name: str, sdl: str, apollo_url: str, subgraph_port: int, seed: int, count: int
) -> FuzzReport:
    supergraph = parse_supergraph(sdl)
    subgraphs = DeterministicSubgraphs(supergraph)
    known = [k for k in load_known_differences() if k.supergraph in (name, "*")]
    report = FuzzReport(name)
    generator = OperationGenerator(supergraph.api_schema, seed_of(seed, name))
    operations = generator.operations(count)
    report.operations = len(operations)
    async with contextlib.AsyncExitStack() as stack:
        base = await stack.enter_async_context(serve(subgraphs.app(), subgraph_port))
        urls = {graph: f"{base}/{graph}" for graph in supergraph.subgraphs}
        settings = RouterSettings(subgraph_urls=urls, log_level="error")
        router = await stack.enter_async_context(serve(create_app(supergraph, settings)))
        client = await stack.enter_async_context(httpx.AsyncClient(timeout=60))
        semaphore = asyncio.Semaphore(_CONCURRENCY)

        async def one(payload: dict[str, Any]) -> None:
            async with semaphore:
                ours, reference = await asyncio.gather(
                    _post(client, f"{router}/graphql", payload), _post(client, apollo_url, payload)
                )
            difference = compare(name, payload, ours, reference)
            if difference is None:
                return
            selected = coordinates(supergraph.api_schema, payload["query"])
            match = next((k for k in known if k.matches(difference, selected)), None)
            if match is None:
                report.differences.append(difference)
            else:
                report.known.append((difference, match))

        await asyncio.gather(*(one(o.to_json()) for o in operations))
    report.subgraph_requests = subgraphs.requests
    return report


def fuzz_supergraph(name: str, sdl: str, *, seed: int, count: int) -> FuzzReport:
    """Run ``count`` random operations against both gateways over one supergraph."""
    subgraph_port = free_port()
    routed = _with_urls(sdl, f"http://127.0.0.1:{subgraph_port}")
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = Path(tmp) / "supergraph.graphql"
        path.write_text(routed, encoding="utf-8")
        with apollo_gateway(path, Path(tmp) / "apollo.log") as (url, _):
            return asyncio.run(_run(name, routed, url, subgraph_port, seed, count))
