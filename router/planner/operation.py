"""Normalize a client operation for planning (GraphQL spec 5.5 fragments, 3.13 @skip/@include)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
)

__all__ = [
    "Field",
    "InlineFragment",
    "Operation",
    "OperationError",
    "Selection",
    "condition_variables",
    "normalize",
    "select_operation",
    "selections_from_ast",
]


class OperationError(ValueError):
    """The request names no usable operation."""


@dataclass(slots=True)
class Field:
    """A field selection; `selections` is None for a leaf."""

    name: str
    alias: str | None = None
    arguments: tuple[ArgumentNode, ...] = ()
    selections: list[Selection] | None = None

    @property
    def response_key(self) -> str:
        return self.alias or self.name

    def copy_empty(self) -> Field:
        return Field(self.name, self.alias, self.arguments, None if self.selections is None else [])


@dataclass(slots=True)
class InlineFragment:
    """An inline fragment (named fragment spreads are inlined into these)."""

    type_condition: str | None
    selections: list[Selection] = field(default_factory=list)


Selection = Field | InlineFragment


@dataclass(slots=True)
class Operation:
    """The selected operation with fragments inlined and @skip/@include applied."""

    kind: str
    name: str | None
    selections: list[Selection]
    variable_definitions: dict[str, VariableDefinitionNode]


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    """Pick the operation a request names (GraphQL spec 6.1 GetOperation)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            raise OperationError(
                "Must provide operation name if query contains multiple operations."
            )
        return operations[0]
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise OperationError(f"Unknown operation named '{operation_name}'.")


def _directive_value(directive: DirectiveNode, variables: Mapping[str, Any]) -> bool:
    for argument in directive.arguments or ():
        if argument.name.value != "if":
            continue
        value = argument.value
        if isinstance(value, BooleanValueNode):
            return value.value
        if isinstance(value, VariableNode):
            return bool(variables.get(value.name.value))
    return True


def _included(node: Any, variables: Mapping[str, Any]) -> bool:
    for directive in node.directives or ():
        if directive.name.value == "skip" and _directive_value(directive, variables):
            return False
        if directive.name.value == "include" and not _directive_value(directive, variables):
            return False
    return True


def selections_from_ast(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> list[Selection]:
    result: list[Selection] = []
    for node in selection_set.selections:
        if not _included(node, variables):
            continue
        if isinstance(node, FieldNode):
            result.append(
                Field(
                    name=node.name.value,
                    alias=node.alias.value if node.alias else None,
                    arguments=tuple(node.arguments or ()),
                    selections=(
                        selections_from_ast(node.selection_set, fragments, variables)
                        if node.selection_set
                        else None
                    ),
                )
            )
        elif isinstance(node, InlineFragmentNode):
            result.append(
                InlineFragment(
                    node.type_condition.name.value if node.type_condition else None,
                    selections_from_ast(node.selection_set, fragments, variables),
                )
            )
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments[node.name.value]
            result.append(
                InlineFragment(
                    fragment.type_condition.name.value,
                    selections_from_ast(fragment.selection_set, fragments, variables),
                )
            )
    return result


def condition_variables(operation: OperationDefinitionNode, document: DocumentNode) -> list[str]:
    """Names of variables used by @skip/@include (they select which plan applies)."""
    names: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for node in selection_set.selections:
            for directive in node.directives or ():
                if directive.name.value in ("skip", "include"):
                    for argument in directive.arguments or ():
                        if isinstance(argument.value, VariableNode):
                            names.add(argument.value.name.value)
            walk(getattr(node, "selection_set", None))

    walk(operation.selection_set)
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            walk(definition.selection_set)
    return sorted(names)


def normalize(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> Operation:
    """Inline fragments and drop what @skip/@include exclude for these variable values."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return Operation(
        kind=operation.operation.value,
        name=operation.name.value if operation.name else None,
        selections=selections_from_ast(operation.selection_set, fragments, variables),
        variable_definitions={
            v.variable.name.value: v for v in operation.variable_definitions or ()
        },
    )
