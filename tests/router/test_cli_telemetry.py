"""`python -m router` logs JSON lines in production, and refuses an unknown trace exporter."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.router.loopback import free_port, sample_sdl
from tests.router.test_workers import ROOT, _health, _until


def test_production_logs_are_json_lines(tmp_path: Path) -> None:
    port = free_port()
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    log = tmp_path / "router.log"
    env = {
        **os.environ,
        "HEALTHGRAPH_ENVIRONMENT": "production",
        "ROUTER_SUPERGRAPH_POLL_INTERVAL": "0.1",
    }
    with log.open("wb") as output:
        router = subprocess.Popen(
            [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", str(port)],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _until(lambda: _health(port)["status"] == "UP", "the router is up")
        supergraph.write_text(sample_sdl() + "\n", encoding="utf-8")  # a reload logs a warning
        _until(lambda: "supergraph reloaded" in log.read_text(encoding="utf-8"), "the reload")
        router.send_signal(signal.SIGTERM)
        assert router.wait(timeout=30) == 0
    finally:
        if router.poll() is None:
            router.kill()
            router.wait()
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
