"""`python -m router`: serves, reports health, exits cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.router.loopback import free_port, sample_sdl

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def _running_router(
    supergraph: Path, port: int, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m router` on `port`, healthy when the block starts; killed if still up after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    try:
        with httpx.Client() as client:
            for _ in range(200):
                try:
                    response = client.get(f"http://127.0.0.1:{port}/health")
                except httpx.ConnectError:
                    time.sleep(0.05)
                    continue
                break
            assert response.status_code == 200
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serves_health_and_stops_on_sigterm(tmp_path: Path) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    with _running_router(supergraph, free_port()) as process:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_bad_supergraph_exits_with_message(tmp_path: Path) -> None:
    broken = tmp_path / "supergraph.graphql"
    broken.write_text("type Query { a: Int }", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "router", "--supergraph", str(broken), "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "no @link to the join spec" in result.stderr


def test_reloads_the_supergraph_file(tmp_path: Path) -> None:
    port = free_port()
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    query = {"query": '{ __type(name: "Patient") { fields { name } } }'}

    def patient_fields(client: httpx.Client) -> set[str]:
        body = client.post(f"http://127.0.0.1:{port}/graphql", json=query).json()
        return {field["name"] for field in body["data"]["__type"]["fields"]}

    with (
        _running_router(supergraph, port, {"ROUTER_SUPERGRAPH_POLL_INTERVAL": "0.1"}),
        httpx.Client() as client,
    ):
        assert "ssn" not in patient_fields(client)
        supergraph.write_text(
            sample_sdl().replace(
                "ssn: String @join__field(graph: PATIENTS) @inaccessible",
                "ssn: String @join__field(graph: PATIENTS)",
            ),
            encoding="utf-8",
        )
        for _ in range(100):
            if "ssn" in patient_fields(client):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the changed supergraph was not picked up")


def test_bad_persisted_query_manifest_exits_with_message(tmp_path: Path) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"format": "other"}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, "ROUTER_PERSISTED_QUERIES_MANIFEST": str(manifest)},
    )
    assert result.returncode == 2
    assert "is not a persisted query list" in result.stderr
