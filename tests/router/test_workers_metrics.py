"""`--workers N`: `/metrics` on any worker counts the operations every worker served."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx

from tests.router.test_workers import _until, _workers_seen
from tests.support.router_process import router_process, stop_router

REQUESTS = 24
COUNTED = re.compile(
    r'^healthgraph_router_operations_total\{operation="Ping",outcome="ok"\} (\S+)$', re.MULTILINE
)


def _scrape(port: int) -> float:
    with httpx.Client() as client:  # a new connection: any worker may answer
        text = client.get(f"http://127.0.0.1:{port}/metrics").text
    found = COUNTED.search(text)
    return float(found.group(1)) if found else 0.0


def test_metrics_sum_every_worker(tmp_path: Path) -> None:
    env = {**os.environ, "ROUTER_WORKERS": "2"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with router_process(tmp_path, env) as router:
        port = router.port
        _until(lambda: len(_workers_seen(port, 4)) == 2, "two workers answer")
        for _ in range(REQUESTS):
            with httpx.Client() as client:  # spread over both workers
                answer = client.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json={"query": "query Ping { __typename }", "operationName": "Ping"},
                )
                assert answer.status_code == 200
        assert {_scrape(port) for _ in range(8)} == {float(REQUESTS)}
        assert stop_router(router) == 0
