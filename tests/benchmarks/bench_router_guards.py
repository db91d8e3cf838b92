"""The router's front guards: how fast refusals are, and what APQ saves.

Run: ``python -m tests.benchmarks router_guards``. It serves the router in this process in front
of a fake subgraph (``tests/router/wards.py``, with ``@cost``/``@listSize``) on loopback and, for
each case, sends it ``ROUNDS`` times and prints the median and p95 time to the answer, its status
and code:

* refusals before planning: 10,000 aliases (``MAX_TOKENS_EXCEEDED``), a 1 MB query (the parser
  stops at ``max_tokens``), a 3 MB body over ``max_request_bytes`` (413), a costly operation
  (``COST_ESTIMATED_TOO_EXPENSIVE``), a CSRF-blocked GET;
* an executed 4 KB query sent in full vs as an APQ hash (the body shrinks to ~120 B).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx

from router.persisted import query_hash
from tests.router.loopback import serve_router
from tests.router.wards import build_wards, wards_supergraph
from tests.support.hostile import aliases

__all__ = ["main"]

ROUNDS = 50

# an executed query of about 4 KB: padding comments and whitespace a client tool might send
FULL = (
    "query Wards($n: Int) {\n"
    + "".join(f"  # note {i:04d}: {'synthetic padding ' * 3}\n" for i in range(60))
    + "  wards(first: $n) { id name }\n}\n"
)


def _cases() -> dict[str, dict[str, Any]]:
    megabyte = "{ " + "wards { name } " * (1024 * 1024 // 16) + "}"
    return {
        "10k aliases": {"json": {"query": aliases(10_000, "wards { name }")}},
        "1 MB query": {"json": {"query": megabyte}},
        "3 MB body": {"json": {"query": "{ wards { name } }", "pad": "x" * 3 * 1024 * 1024}},
        "costly (cost 5000)": {"json": {"query": "{ wards(first: 1000) { name } }"}},
        "CSRF GET": {"method": "GET", "params": {"query": "{ wards { name } }"}},
        "full query 4 KB": {"json": {"query": FULL, "variables": {"n": 2}}},
        "APQ hit": {
            "json": {
                "variables": {"n": 2},
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": query_hash(FULL)}},
            }
        },
    }


async def _measure(http: httpx.AsyncClient, name: str, case: dict[str, Any]) -> str:
    method = case.get("method", "POST")
    times = []
    response = None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = await http.request(
            method, "/graphql", json=case.get("json"), params=case.get("params")
        )
        times.append(time.perf_counter() - started)
    assert response is not None
    errors = response.json().get("errors", []) if response.content else []
    code = errors[0]["extensions"]["code"] if errors else ""
    median = statistics.median(times) * 1000
    p95 = sorted(times)[int(len(times) * 0.95) - 1] * 1000
    return (
        f"{name:20} median {median:8.2f} ms  p95 {p95:8.2f} ms  HTTP {response.status_code} {code}"
    )


async def main() -> None:
    async with (
        serve_router(wards_supergraph(), build_wards(), max_cost=1_000) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as http,
    ):
        # register the APQ hash (and warm the document cache) before measuring
        register = {
            "query": FULL,
            "variables": {"n": 2},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": query_hash(FULL)}},
        }
        assert (await http.post("/graphql", json=register)).status_code == 200
        print(f"{ROUNDS} rounds each, router and client in one process", flush=True)
        for name, case in _cases().items():
            print(await _measure(http, name, case), flush=True)


if __name__ == "__main__":
    import asyncio

    asyncio.run(main())
