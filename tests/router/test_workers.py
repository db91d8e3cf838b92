"""`python -m router --workers N`: every worker serves, reloads, is restarted; SIGTERM stops all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.router.loopback import free_port, sample_sdl

ROOT = Path(__file__).resolve().parents[2]
_SSN_QUERY = {"query": '{ __type(name: "Patient") { fields { name } } }'}


def _health(port: int) -> dict[str, object]:
    """`/health` on a new connection (so that the kernel picks a worker afresh)."""
    with httpx.Client() as client:
        body: dict[str, object] = client.get(f"http://127.0.0.1:{port}/health").json()
        return body


def _until(check: object, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if callable(check) and check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds}s: {what}")


def _workers_seen(port: int, tries: int = 40) -> dict[int, int]:
    """Worker number -> pid, from `tries` fresh connections."""
    seen: dict[int, int] = {}
    for _ in range(tries):
        body = _health(port)
        seen[int(str(body["worker"]))] = int(str(body["pid"]))
    return seen


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_two_workers_serve_reload_restart_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    log = tmp_path / "router.log"
    with log.open("wb") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", str(port)],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ROUTER_WORKERS": "2", "ROUTER_SUPERGRAPH_POLL_INTERVAL": "0.1"},
        )
    try:
        # both workers answer, each its own process under the supervisor
        _until(lambda: len(_workers_seen(port, 4)) == 2, "two workers answer")
        workers = _workers_seen(port)
        assert sorted(workers) == [1, 2]
        assert set(workers.values()) == _children(supervisor.pid)

        # a reload of the supergraph file reaches every worker
        supergraph.write_text(
            sample_sdl().replace(
                "ssn: String @join__field(graph: PATIENTS) @inaccessible",
                "ssn: String @join__field(graph: PATIENTS)",
            ),
            encoding="utf-8",
        )
        _until(
            lambda: log.read_text(encoding="utf-8").count("supergraph reloaded") == 2,
            "both workers log the reload",
        )
        for _ in range(20):  # and whichever worker a new connection meets serves the new one
            with httpx.Client() as client:
                body = client.post(f"http://127.0.0.1:{port}/graphql", json=_SSN_QUERY).json()
            assert "ssn" in {field["name"] for field in body["data"]["__type"]["fields"]}

        # a worker that dies is replaced by a fresh one under the same number
        os.kill(workers[1], signal.SIGKILL)
        _until(
            lambda: _workers_seen(port, 8).get(1) not in (None, workers[1]),
            "worker 1 is restarted",
        )
        assert _workers_seen(port)[2] == workers[2]  # the other one was left alone

        # SIGTERM stops them all: status 0, no worker left behind
        pids = _children(supervisor.pid)
        assert len(pids) == 2
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
        assert not [pid for pid in pids if _alive(pid)]
        assert "exited with status" in log.read_text(encoding="utf-8")
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
