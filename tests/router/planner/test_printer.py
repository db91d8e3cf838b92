"""Subgraph operation printing and variable usage."""

from __future__ import annotations

from graphql import parse

from router.planner.operation import InlineFragment, normalize, select_operation
from router.planner.printer import print_subgraph_operation


def test_prints_only_used_variables_with_defaults() -> None:
    document = parse('query Q($a: Int = 3, $b: String) { f(x: $a, y: "s") { g } }')
    operation = normalize(document, select_operation(document, None), {})
    text, used = print_subgraph_operation(
        "query", operation.selections, operation.variable_definitions, name="Q__s__0"
    )
    assert text == 'query Q__s__0($a:Int=3){f(x:$a,y:"s"){g}}'
    assert used == ("a",)


def test_entities_wrapper() -> None:
    document = parse("{ a }")
    operation = normalize(document, select_operation(document, None), {})
    fragment = InlineFragment("T", operation.selections)
    text, used = print_subgraph_operation("query", [fragment], {}, entities=True)
    assert text == (
        "query($representations:[_Any!]!){_entities(representations:$representations){... on T{a}}}"
    )
    assert used == ()
