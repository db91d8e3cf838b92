"""Parse federation `FieldSet` strings (Apollo Federation v2 `@key`/`@requires`/`@provides`)."""

from __future__ import annotations

from functools import lru_cache

from graphql import parse

from router.planner.operation import Selection, selections_from_ast

__all__ = ["parse_field_set"]


@lru_cache(maxsize=4096)
def _parsed(field_set: str) -> tuple[Selection, ...]:
    document = parse("{" + field_set + "}", no_location=True)
    operation = document.definitions[0]
    return tuple(selections_from_ast(operation.selection_set, {}, {}))  # type: ignore[attr-defined]


def parse_field_set(field_set: str) -> list[Selection]:
    """A fresh selection list for a field set (callers may mutate it)."""
    import copy

    return copy.deepcopy(list(_parsed(field_set)))
