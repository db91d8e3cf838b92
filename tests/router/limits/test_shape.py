"""Operation shape: counts over the expanded operation, computed without expanding it."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

import router.limits.shape as shape_module
from router.limits import OperationShape, fragment_shapes, measure_operation
from tests.router.hostile import fragment_bomb


def _measure(text: str, name: str | None = None) -> OperationShape:
    document = parse(text)
    operation = next(
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (name is None or (d.name is not None and d.name.value == name))
    )
    return measure_operation(document, operation)


def test_counts_match_the_expanded_operation() -> None:
    shape = _measure(
        """
        query Q @a {
          first: patients { ...P ... on Query { x } }
          ...R @b
        }
        fragment P on Patient @c { id n: name @skip(if: true) visits { ...V ...V } }
        fragment V on Visit { reason priority @d }
        fragment R on Query { wards { name } openInvoices { number } }
        """
    )
    # expanded: first:patients{ id n:name visits{ reason priority reason priority } x }
    #           wards{ name } openInvoices{ number }
    # directives: @a @b @c @skip and @d twice
    assert shape == OperationShape(depth=3, fields=13, aliases=2, directives=6, root_fields=3)


def test_root_fields_count_fragments_and_depth_starts_at_one() -> None:
    assert _measure("{ __typename }") == OperationShape(1, 1, 0, 0, 1)
    shape = _measure("{ ... on Query { a b } ...F } fragment F on Query { c { d } }")
    assert (shape.root_fields, shape.depth, shape.fields) == (3, 2, 4)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("levels", [25, 50, 100])
def test_a_fragment_bomb_is_measured_in_linear_work(
    levels: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    measure = shape_module._measure

    def counting(*args: object) -> OperationShape:
        nonlocal calls
        calls += 1
        return measure(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(shape_module, "_measure", counting)
    shape = _measure(fragment_bomb(levels, "me { id }"))
    copies = 2 ** (levels - 1)
    assert shape == OperationShape(depth=2, fields=2 * copies, aliases=0, root_fields=copies)
    # each fragment, the leaf field and the operation: one walk each
    assert calls <= levels + 3


def test_cycles_and_unknown_fragments_count_nothing() -> None:
    text = "{ a ...A ...Missing } fragment A on Query { b ...B } fragment B on Query { c ...A }"
    shape = _measure(text)
    assert shape.fields == 3  # a, b, c: the spread closing the cycle adds nothing
    assert set(fragment_shapes(parse(text))) == {"A", "B"}


def test_fragments_are_measured_once_for_every_operation() -> None:
    document = parse("query A { ...F } query B { x ...F } fragment F on Query { y z }")
    fragments = fragment_shapes(document)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert [measure_operation(document, o, fragments).fields for o in operations] == [2, 3]
