"""Operation normalization: fragments inlined, @skip/@include applied, operation selection."""

from __future__ import annotations

import pytest
from graphql import parse

from router.planner.operation import (
    Field,
    InlineFragment,
    OperationError,
    condition_variables,
    normalize,
    select_operation,
)

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
