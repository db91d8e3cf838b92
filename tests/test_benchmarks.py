"""Benchmarks are not collected by pytest; this keeps them importable and runnable by name."""

from __future__ import annotations

import importlib
import inspect

import pytest

from tests.benchmarks.__main__ import available, main


def test_benchmarks_are_discovered() -> None:
    assert "outbox" in available()


@pytest.mark.parametrize("name", available())
def test_each_benchmark_imports_and_exposes_main(name: str) -> None:
    module = importlib.import_module(f"tests.benchmarks.bench_{name}")
    assert callable(module.main)
    assert not inspect.signature(module.main).parameters, "main() takes no arguments"


def test_unknown_names_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-benchmark"]) == 2
    assert "available: " in capsys.readouterr().out
