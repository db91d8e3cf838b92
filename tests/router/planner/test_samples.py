"""Data-driven planner cases: tests/samples/<case>/{operation.graphql,plan.json}."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from router.planner import QueryPlanner
from router.planner.operation import select_operation
from router.supergraph import parse_supergraph
from tests.router.loopback import SAMPLES, sample_sdl

CASES = sorted(p.name for p in SAMPLES.iterdir() if (p / "operation.graphql").exists())


def _plan(case: Path) -> Any:
    planner = QueryPlanner(parse_supergraph(sample_sdl(case.name)))
    text = (case / "operation.graphql").read_text(encoding="utf-8")
    variables_file = case / "variables.json"
    variables = json.loads(variables_file.read_text()) if variables_file.exists() else {}
    document = parse(text)
    operation = select_operation(document, None)
    planned = planner.plan(document, operation, text=text, operation_name=None, variables=variables)
    return planned.plan.to_json()


@pytest.mark.parametrize("case", CASES)
def test_sample_plan(case: str) -> None:
    directory = SAMPLES / case
    plan = _plan(directory)
    expected_file = directory / "plan.json"
    if os.environ.get("UPDATE_PLANS") == "1":
        expected_file.write_text(json.dumps(plan, indent=2) + "\n", encoding="utf-8")
    assert plan == json.loads(expected_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_sample_plan_is_deterministic(case: str) -> None:
    assert _plan(SAMPLES / case) == _plan(SAMPLES / case)


def test_samples_exist() -> None:
    assert len(CASES) >= 8
