"""Introspection detection: `__schema`/`__type` at the root, through fragments; `__typename` is fine."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

from router.hygiene import introspects


def _introspects(text: str) -> bool:
    document = parse(text)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return introspects(document, operation)


@pytest.mark.parametrize(
    "text",
    [
        "{ __schema { queryType { name } } }",
        '{ __type(name: "Query") { name } }',
        "{ ... on Query { __schema { types { name } } } }",
        '{ ...F } fragment F on Query { ...G } fragment G on Query { __type(name: "X") { name } }',
    ],
)
def test_introspection_is_found(text: str) -> None:
    assert _introspects(text)


@pytest.mark.parametrize(
    "text",
    [
        "{ __typename patients { __typename } }",
        "{ ...F } fragment F on Query { ...F a }",  # a cycle (validation refuses it) ends
    ],
)
def test_other_operations_are_not_introspection(text: str) -> None:
    assert not _introspects(text)
