"""Operation shape: counts over the expanded operation, computed without expanding it."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

import router.limits.shape as shape_module
from router.limits import OperationShape, fragment_shapes, measure_operation
from tests.support.hostile import fragment_bomb


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
    # directives: @a @b @c @skip and @d twice; selections: 13 fields and 5 fragments
    assert shape == OperationShape(
        depth=3, selections=18, aliases=2, directives=6, root_fields=3, field_directives=1
    )


def test_root_fields_count_fragments_and_depth_starts_at_one() -> None:
    shape = _measure("{ ... on Query { a b } ...F } fragment F on Query { c { d } }")
    assert (shape.root_fields, shape.depth, shape.selections) == (3, 2, 6)


def test_introspection_fields_count_for_everything_but_depth() -> None:
    assert _measure("{ __typename }") == OperationShape(0, 1, 0, 0, 1)
    shape = _measure("{ a { __typename } s: __schema { types { fields { type { name } } } } }")
    assert shape == OperationShape(depth=1, selections=7, aliases=1, root_fields=2)


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
    spreads = 2**levels - 1
    assert shape == OperationShape(depth=2, selections=spreads + 2 * copies, root_fields=copies)
    # each fragment, the leaf field and the operation: one walk each
    assert calls <= levels + 3


def test_cycles_and_unknown_fragments_count_nothing() -> None:
    text = "{ a ...A ...Missing } fragment A on Query { b ...B } fragment B on Query { c ...A }"
    shape = _measure(text)
    # a, ...A, ...Missing, b, ...B, c, ...A: the spread closing the cycle adds nothing more
    assert shape.selections == 7
    assert set(fragment_shapes(parse(text))) == {"A", "B"}


def test_fragments_are_measured_once_for_every_operation() -> None:
    document = parse("query A { ...F } query B { x ...F } fragment F on Query { y z }")
    fragments = fragment_shapes(document)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert [measure_operation(document, o, fragments).selections for o in operations] == [3, 4]


@pytest.mark.timeout(10)
def test_a_long_chain_of_fragments_does_not_recurse() -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(5000))
    assert _measure("{ ...F0 } " + chain + " fragment F5000 on Query { x }").selections == 5002
