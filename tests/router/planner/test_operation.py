"""Operation normalization: fragments inlined, @skip/@include applied, operation selection."""

from __future__ import annotations

import copy
import json
import tracemalloc

import pytest
from graphql import parse

from router.planner.builder import PlanBuilder
from router.planner.graph_view import GraphView
from router.planner.operation import (
    Field,
    InlineFragment,
    OperationError,
    Selection,
    condition_variables,
    normalize,
    select_operation,
)
from router.supergraph import parse_supergraph
from tests.router.loopback import SAMPLES, sample_sdl
from tests.support.hostile import fragment_bomb

SAMPLE_CASES = sorted(p.name for p in SAMPLES.iterdir() if (p / "operation.graphql").exists())

DOCUMENT = parse(
    """
    query A($s: Boolean!) { p: patient(id: "1") { ...F name @skip(if: $s) id @include(if: false) } }
    query B { patients { id } }
    fragment F on Patient { balance }
    """
)


def test_select_operation_by_name_and_errors() -> None:
    assert select_operation(DOCUMENT, "B").name is not None
    with pytest.raises(OperationError, match="Must provide operation name"):
        select_operation(DOCUMENT, None)
    with pytest.raises(OperationError, match="Unknown operation named 'C'"):
        select_operation(DOCUMENT, "C")


def test_fragments_are_inlined_and_conditions_applied() -> None:
    operation = normalize(DOCUMENT, select_operation(DOCUMENT, "A"), {"s": True})
    assert operation.kind == "query"
    root = operation.selections[0]
    assert isinstance(root, Field)
    assert root.response_key == "p"
    assert root.selections == [
        InlineFragment("Patient", [Field("balance")]),
    ]
    shown = normalize(DOCUMENT, select_operation(DOCUMENT, "A"), {"s": False})
    first = shown.selections[0]
    assert isinstance(first, Field)
    assert first.selections is not None
    assert [s.name for s in first.selections if isinstance(s, Field)] == ["name"]


def test_condition_variables() -> None:
    assert condition_variables(select_operation(DOCUMENT, "A"), DOCUMENT) == ["s"]
    assert condition_variables(select_operation(DOCUMENT, "B"), DOCUMENT) == []


def _nodes(selections: list[Selection]) -> tuple[int, int]:
    """(distinct selection objects reachable, selections in the tree they unfold to)."""
    seen: set[int] = set()
    unfolded: dict[int, int] = {}

    def walk(items: list[Selection]) -> int:
        if id(items) in unfolded:
            return unfolded[id(items)]
        total = 0
        for item in items:
            seen.add(id(item))
            total += 1 + walk(item.selections or [])
        unfolded[id(items)] = total
        return total

    total = walk(selections)
    return len(seen), total


@pytest.mark.timeout(30)
@pytest.mark.parametrize("levels", [25, 50, 100])
def test_a_fragment_bomb_normalizes_to_a_linear_operation(levels: int) -> None:
    document = parse(fragment_bomb(levels, "me { id }"))
    tracemalloc.start()
    try:
        operation = normalize(document, select_operation(document, None), {})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    distinct, unfolded = _nodes(operation.selections)
    assert (distinct, unfolded) == (levels + 2, levels + 2)  # one fragment per level, me, id
    assert peak < 1024 * 1024
    inner = operation.selections
    for _ in range(levels):
        assert len(inner) == 1
        assert isinstance(inner[0], InlineFragment)
        inner = inner[0].selections
    assert inner == [Field("me", selections=[Field("id")])]


def test_same_key_selections_merge_without_changing_shared_fragments() -> None:
    document = parse(
        """
        { p: patient(id: 1) { ...F } p: patient(id: 1) { ...F id } ... on Query { a } ... on Query { b }
          x: patient(id: 2) { id } x: patient(id: 3) { name } }
        fragment F on Patient { name visits { id } visits { reason } }
        """
    )
    operation = normalize(document, select_operation(document, None), {})
    p, query, x2, x3 = operation.selections
    assert isinstance(p, Field)
    assert p.selections == [
        InlineFragment("Patient", [Field("name"), Field("visits", selections=[Field("id"), Field("reason")])]),
        Field("id"),
    ]  # fmt: skip
    assert query == InlineFragment("Query", [Field("a"), Field("b")])
    # fields that cannot merge (validation refuses them) are kept apart
    assert [(f.response_key, f.name) for f in (x2, x3) if isinstance(f, Field)] == [
        ("x", "patient"),
        ("x", "patient"),
    ]


def test_a_fragment_spread_in_two_places_is_normalized_once() -> None:
    document = parse("{ a { ...F } b { ...F c } } fragment F on T { d }")
    a, b = normalize(document, select_operation(document, None), {}).selections
    assert isinstance(a, Field)
    assert isinstance(b, Field)
    assert a.selections is not None
    assert b.selections is not None
    assert a.selections[0].selections is b.selections[0].selections  # shared, read-only
    assert a.selections == [InlineFragment("T", [Field("d")])]


@pytest.mark.parametrize("case", SAMPLE_CASES)
def test_planning_only_reads_the_normalized_operation(case: str) -> None:
    # normalized selection lists are shared between the places a fragment is spread: the
    # planner must build its fetches from copies, never change them
    text = (SAMPLES / case / "operation.graphql").read_text(encoding="utf-8")
    variables_file = SAMPLES / case / "variables.json"
    variables = json.loads(variables_file.read_text()) if variables_file.exists() else {}
    document = parse(text)
    operation = normalize(document, select_operation(document, None), variables)
    before = copy.deepcopy(operation.selections)
    view = GraphView(parse_supergraph(sample_sdl(case)))
    PlanBuilder(view, operation).build()
    assert operation.selections == before
