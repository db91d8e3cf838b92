"""`--workers N`: `/metrics` on any worker counts the operations every worker served."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.router.loopback import free_port, sample_sdl
from tests.router.test_workers import ROOT, _until, _workers_seen

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
    port = free_port()
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    env = {**os.environ, "ROUTER_WORKERS": "2"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        _until(lambda: len(_workers_seen(port, 4)) == 2, "two workers answer")
        for _ in range(REQUESTS):
            with httpx.Client() as client:  # spread over both workers
                answer = client.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json={"query": "query Ping { __typename }", "operationName": "Ping"},
                )
                assert answer.status_code == 200
        assert {_scrape(port) for _ in range(8)} == {float(REQUESTS)}
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
