"""A bounded loopback HTTP load generator: fixed concurrency, fixed duration, one POST body.

``wrk`` (Debian package ``wrk``) drives the load when it is installed: it is a small C program,
so on a 2-core machine it takes far less CPU from the server under test than any Python client.
Without it an asyncio/aiohttp client with the same closed-loop model (N connections, each sending
its next request as soon as the previous answer arrived) does the job.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

__all__ = ["Figures", "LoadGenerator", "load_generator"]

_WRK_SCRIPT = """
function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.body = file:read("*a")
  file:close()
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass(frozen=True, slots=True)
class Figures:
    """One measurement: requests completed in ``seconds``, latency percentiles, failures."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return math.nan
    index = min(len(sorted_values) - 1, max(0, math.ceil(percent / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


class LoadGenerator:
    """Closed-loop load: ``concurrency`` connections POST ``body`` to ``url`` for ``seconds``."""

    name = "aiohttp"

    def __init__(self, preexec: Callable[[], None] | None = None) -> None:
        self.preexec = preexec

    def run(
        self,
        url: str,
        body: bytes,
        *,
        concurrency: int,
        seconds: float,
        headers: Mapping[str, str] | None = None,
    ) -> Figures:
        _require_loopback(url)
        return asyncio.run(self._run(url, body, concurrency, seconds, headers or {}))

    async def _run(
        self,
        url: str,
        body: bytes,
        concurrency: int,
        seconds: float,
        extra_headers: Mapping[str, str],
    ) -> Figures:
        latencies: list[float] = []
        errors = 0
        headers = {
            "content-type": "application/json",
            "accept": "application/json",
            **extra_headers,
        }
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            started = time.perf_counter()
            deadline = started + seconds

            async def worker() -> None:
                nonlocal errors
                while time.perf_counter() < deadline:
                    one = time.perf_counter()
                    try:
                        async with session.post(url, data=body, headers=headers) as response:
                            await response.read()
                            ok = response.status == 200
                    except aiohttp.ClientError:
                        ok = False
                    if ok:
                        latencies.append(time.perf_counter() - one)
                    else:
                        errors += 1

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
        latencies.sort()
        return Figures(
            requests=len(latencies),
            seconds=elapsed,
            p50_ms=_percentile(latencies, 50) * 1000,
            p99_ms=_percentile(latencies, 99) * 1000,
            errors=errors,
        )


class WrkLoadGenerator(LoadGenerator):
    """The same load through ``wrk`` (one thread) and a Lua script that sets the POST body."""

    name = "wrk"

    def __init__(self, executable: str, preexec: Callable[[], None] | None = None) -> None:
        super().__init__(preexec)
        self.executable = executable

    def run(
        self,
        url: str,
        body: bytes,
        *,
        concurrency: int,
        seconds: float,
        headers: Mapping[str, str] | None = None,
    ) -> Figures:
        _require_loopback(url)
        with tempfile.TemporaryDirectory(prefix="bench-wrk-") as workdir:
            script = Path(workdir) / "post.lua"
            script.write_text(_WRK_SCRIPT, encoding="utf-8")
            body_file = Path(workdir) / "body.json"
            body_file.write_bytes(body)
            command = [
                self.executable,
                "--threads=1",
                f"--connections={concurrency}",
                f"--duration={max(1, round(seconds))}s",
                "--timeout=10s",
                f"--script={script}",
                *(f"--header={name}: {value}" for name, value in (headers or {}).items()),
                url,
                "--",
                str(body_file),
            ]
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=False,
                timeout=seconds + 30,
                preexec_fn=self.preexec,
            )
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if completed.returncode != 0 or not lines:
            raise RuntimeError(f"wrk failed: {completed.stderr.strip() or completed.stdout}")
        result = json.loads(lines[-1])
        return Figures(
            requests=int(result["requests"]),
            seconds=int(result["duration_us"]) / 1e6,
            p50_ms=int(result["p50_us"]) / 1000,
            p99_ms=int(result["p99_us"]) / 1000,
            errors=int(result["errors"]),
        )


def _require_loopback(url: str) -> None:
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"the load generator only targets loopback, not {url}")


def load_generator(preexec: Callable[[], None] | None = None) -> LoadGenerator:
    """``wrk`` when installed (unless ``BENCH_LOAD=aiohttp``), else the aiohttp client."""
    executable = shutil.which("wrk")
    if executable and os.environ.get("BENCH_LOAD", "wrk") != "aiohttp":
        return WrkLoadGenerator(executable, preexec)
    return LoadGenerator(preexec)
