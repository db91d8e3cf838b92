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
    print_ast,
)

from router.planner.limits import PlanningBudget

__all__ = [
    "Field",
    "InlineFragment",
    "Operation",
    "OperationError",
    "Selection",
    "condition_variables",
    "normalize",
    "same_arguments",
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


def _key(selection: Selection) -> str | tuple[str | None]:
    """What a selection merges on: a field's response key, a fragment's type condition."""
    if isinstance(selection, Field):
        return selection.response_key
    return (selection.type_condition,)


def same_arguments(left: Field, right: Field) -> bool:
    """Whether two fields are given the same arguments (in any order)."""
    if left.arguments is right.arguments:
        return True
    if len(left.arguments) != len(right.arguments):
        return False
    printed = sorted(f"{a.name.value}:{print_ast(a.value)}" for a in left.arguments)
    return printed == sorted(f"{a.name.value}:{print_ast(a.value)}" for a in right.arguments)


def _merge(out: list[Selection], index: dict[Any, int], selection: Selection) -> None:
    """Add `selection` to `out`, merging it into a same-key one (GraphQL spec 6.3.2).

    Lists already in `out` or in `selection` may be shared with other parts of the operation
    (a fragment is normalized once): they are never changed, a merge makes a new list.
    """
    position = index.get(_key(selection))
    existing = None if position is None else out[position]
    if existing is None or (
        isinstance(existing, Field)
        and isinstance(selection, Field)
        and (existing.name != selection.name or not same_arguments(existing, selection))
    ):
        # a same-key field that cannot merge is left for validation (or the caller) to judge
        index.setdefault(_key(selection), len(out))
        out.append(selection)
        return
    assert position is not None
    if existing.selections is selection.selections or not selection.selections:
        return
    if not existing.selections:
        out[position] = selection
        return
    merged = list(existing.selections)
    merged_index = {_key(s): i for i, s in reversed(list(enumerate(merged)))}
    for child in selection.selections:
        _merge(merged, merged_index, child)
    if isinstance(existing, Field):
        out[position] = Field(existing.name, existing.alias, existing.arguments, merged)
    else:
        out[position] = InlineFragment(existing.type_condition, merged)


class _Normalizer:
    """Inlines fragments with @skip/@include applied; each fragment is normalized once.

    A fragment spread many times is one shared list, and same-key selections merge, so an
    operation whose fragments expand exponentially normalizes in linear time and space.
    """

    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        budget: PlanningBudget | None,
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.budget = budget
        self.normalized: dict[str, list[Selection]] = {}

    def fragment(self, name: str) -> list[Selection]:
        selections = self.normalized.get(name)
        if selections is None:
            selections = self.selections(self.fragments[name].selection_set)
            self.normalized[name] = selections
        return selections

    def selections(self, selection_set: SelectionSetNode) -> list[Selection]:
        if self.budget is not None:
            self.budget.check_time()
        out: list[Selection] = []
        index: dict[Any, int] = {}
        for node in selection_set.selections:
            if not _included(node, self.variables):
                continue
            selection: Selection
            if isinstance(node, FieldNode):
                selection = Field(
                    name=node.name.value,
                    alias=node.alias.value if node.alias else None,
                    arguments=tuple(node.arguments or ()),
                    selections=self.selections(node.selection_set) if node.selection_set else None,
                )
            elif isinstance(node, InlineFragmentNode):
                selection = InlineFragment(
                    node.type_condition.name.value if node.type_condition else None,
                    self.selections(node.selection_set),
                )
            else:
                assert isinstance(node, FragmentSpreadNode)
                fragment = self.fragments[node.name.value]
                selection = InlineFragment(
                    fragment.type_condition.name.value, self.fragment(node.name.value)
                )
            _merge(out, index, selection)
        return out


def selections_from_ast(
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    *,
    budget: PlanningBudget | None = None,
) -> list[Selection]:
    """The selections of `selection_set`, fragments inlined and same-key selections merged.

    Lists in the result may be shared (a fragment spread twice): treat them as read-only.
    """
    return _Normalizer(fragments, variables, budget).selections(selection_set)


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
    *,
    budget: PlanningBudget | None = None,
) -> Operation:
    """Inline fragments and drop what @skip/@include exclude for these variable values.

    The result's selection lists may be shared: the planner and the response shaper only read
    them. `budget` bounds the time it may take.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return Operation(
        kind=operation.operation.value,
        name=operation.name.value if operation.name else None,
        selections=selections_from_ast(
            operation.selection_set, fragments, variables, budget=budget
        ),
        variable_definitions={
            v.variable.name.value: v for v in operation.variable_definitions or ()
        },
    )
