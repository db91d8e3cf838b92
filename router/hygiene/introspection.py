"""Detect introspection (`__schema`, `__type`) when it is turned off (OWASP GraphQL cheat sheet)."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

__all__ = ["INTROSPECTION_CODE", "INTROSPECTION_MESSAGE", "introspects"]

INTROSPECTION_CODE = "INTROSPECTION_DISABLED"  # Apollo Router's code
INTROSPECTION_MESSAGE = (
    "GraphQL introspection is not allowed, but the operation selects __schema or __type."
)
_INTROSPECTION = frozenset({"__schema", "__type"})  # `__typename` stays allowed


def _introspects(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str],
) -> bool:
    """Whether the root selection set, through its fragments, selects `__schema`/`__type`."""
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            if node.name.value in _INTROSPECTION:
                return True
        elif isinstance(node, InlineFragmentNode):
            if _introspects(node.selection_set, fragments, seen):
                return True
        elif isinstance(node, FragmentSpreadNode):
            name = node.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                seen.add(name)
                if _introspects(fragment.selection_set, fragments, seen):
                    return True
    return False


def introspects(document: DocumentNode, operation: OperationDefinitionNode) -> bool:
    """Whether `operation` selects `__schema` or `__type` (directly or through fragments)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _introspects(operation.selection_set, fragments, set())
