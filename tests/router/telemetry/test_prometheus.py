"""Operation-name labels stay bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from router.telemetry.prometheus import OTHER, BoundedLabel, forget_worker_metrics


def test_names_past_the_limit_collapse_to_other() -> None:
    label = BoundedLabel(limit=2)
    assert label("GetPatient") == "GetPatient"
    assert label("Book") == "Book"
    assert label("Third") == OTHER
    assert label("GetPatient") == "GetPatient"  # known names keep their series


def test_anything_but_a_graphql_name_is_other() -> None:
    label = BoundedLabel()
    assert label(None) == "anonymous"
    assert label("") == "anonymous"
    assert label("query { patient }") == OTHER
    assert label("x" * 101) == OTHER
    assert label(42) == OTHER
    assert label("Ünïcode") == OTHER


def test_a_dead_workers_live_gauges_are_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import os; from router.telemetry.router_metrics import WEBSOCKETS; "
                "WEBSOCKETS.inc(); print(os.getpid())"
            ),
        ],
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    pid = int(worker.stdout.strip())
    assert [p.name for p in tmp_path.glob("gauge_livesum_*")] == [f"gauge_livesum_{pid}.db"]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    forget_worker_metrics(pid)
    assert not list(tmp_path.glob("gauge_livesum_*"))
