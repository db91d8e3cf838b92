"""Router under operation-shaped denial of service: fragment bombs, 10,000 aliases, deep chains.

Run: ``python -m tests.benchmarks router_limits``. It starts ``python -m router`` on the real
supergraph (``schema/supergraph.graphql``, no subgraph running: a refused operation never needs
one) and, for each hostile operation, prints the time to the answer, its status and code, the
router's peak resident memory and the slowest ``/health`` probe sent meanwhile. ``ROUTER_*``
variables reach the router, e.g. ``ROUTER_MAX_SELECTIONS=1000000000000000000000000000000``
to measure normalization and planning past the limits.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from subgraphs.stack.ports import free_port
from tests.support.hostile import aliases, chain, fragment_bomb

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[2]
ANSWER_TIMEOUT = 120.0

CASES = {
    "bomb 16": fragment_bomb(16, "prescriptionSigningKeys { __typename }"),
    "bomb 18": fragment_bomb(18, "prescriptionSigningKeys { __typename }"),
    "bomb 25": fragment_bomb(25, "prescriptionSigningKeys { __typename }"),
    "bomb 100": fragment_bomb(100, "prescriptionSigningKeys { __typename }"),
    "10k aliases me": aliases(10_000, "me { id }"),
    "10k aliases keys": aliases(10_000, "prescriptionSigningKeys { __typename }"),
    "chain 100": chain(100, ("patient", "user"), "id", "me"),
}


def _rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("the router did not become ready")


def _measure(url: str, pid: int, name: str, query: str) -> str:
    peak = [_rss_mb(pid)]
    probes: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_mb(pid))
            started = time.perf_counter()
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{url}/health", timeout=ANSWER_TIMEOUT)
            probes.append(time.perf_counter() - started)
            done.wait(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.perf_counter()
    try:
        response = httpx.post(f"{url}/graphql", json={"query": query}, timeout=ANSWER_TIMEOUT)
        codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors", [])]
        outcome = f"HTTP {response.status_code} {codes[0] if codes else ''}"
    except httpx.HTTPError as error:
        outcome = f"no answer ({type(error).__name__})"
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    slowest = max(probes, default=0.0) * 1000
    return (
        f"{name:18} {len(query):7} B {elapsed:8.3f} s  {outcome:40} peak RSS {peak[0]:6} MB  "
        f"/health slowest {slowest:6.0f} ms ({len(probes)} probes)"
    )


def main() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ROUTER_SUPERGRAPH_POLL_INTERVAL": "0"}
    command = [sys.executable, "-m", "router", "--supergraph", "schema/supergraph.graphql"]
    process = subprocess.Popen([*command, "--port", str(port)], cwd=ROOT, env=env)
    try:
        _wait_ready(url)
        for name, query in CASES.items():
            print(_measure(url, process.pid, name, query), flush=True)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
