"""The front-guard benchmark (tests/benchmarks/bench_router_guards.py) still runs end to end."""

from __future__ import annotations

import pytest

from tests.benchmarks import bench_router_guards


async def test_the_guard_benchmark_runs_briefly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench_router_guards, "ROUNDS", 1)
    await bench_router_guards.main()
    lines = capsys.readouterr().out.splitlines()
    codes = {line.split()[0]: line.rsplit("HTTP ", 1)[1] for line in lines[1:]}
    assert codes == {
        "10k": "400 MAX_TOKENS_EXCEEDED",
        "1": "400 MAX_TOKENS_EXCEEDED",
        "3": "413 REQUEST_TOO_LARGE",
        "costly": "400 COST_ESTIMATED_TOO_EXPENSIVE",
        "CSRF": "400 CSRF_ERROR",
        "full": "200 ",
        "APQ": "200 ",
    }
