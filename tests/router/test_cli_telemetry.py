"""`python -m router` logs JSON lines in production, and refuses an unknown trace exporter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.router.loopback import sample_sdl
from tests.router.test_workers import ROOT, _health, _until
from tests.support.router_process import router_process, stop_router


def test_production_logs_are_json_lines(tmp_path: Path) -> None:
    log = tmp_path / "router.log"
    env = {
        **os.environ,
        "HEALTHGRAPH_ENVIRONMENT": "production",
        "ROUTER_SUPERGRAPH_POLL_INTERVAL": "0.1",
    }
    with log.open("wb") as output, router_process(tmp_path, env, output) as router:
        _until(lambda: _health(router.port)["status"] == "UP", "the router is up")
        router.supergraph.write_text(sample_sdl() + "\n", encoding="utf-8")  # a reload warns
        _until(lambda: "supergraph reloaded" in log.read_text(encoding="utf-8"), "the reload")
        assert stop_router(router) == 0
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    reload = next(e for e in entries if "supergraph reloaded" in e["message"])
    assert (reload["level"], reload["service"], reload["logger"]) == (
        "WARNING",
        "router",
        "router.reload",
    )


def test_an_unknown_trace_exporter_is_refused(tmp_path: Path) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "OTEL_TRACES_EXPORTER": "zipkin"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "OTEL_TRACES_EXPORTER" in done.stderr
