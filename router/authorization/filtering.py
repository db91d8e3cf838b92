"""Removing the fields and fragments a request may not see before planning (Apollo Router's
authorization filtering: unauthorized paths get ``UNAUTHORIZED_FIELD_OR_TYPE``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
)

from router.authorization.metadata import AuthorizationMetadata
from router.authorization.requirements import Requirement

__all__ = ["UNAUTHORIZED", "Filtered", "RequirementWalker"]

UNAUTHORIZED = "UNAUTHORIZED_FIELD_OR_TYPE"
_INTROSPECTION = frozenset({"__schema", "__type"})
_EMPTY = Requirement()
_SERIALS = itertools.count(1)

Path = tuple[str, ...]


def _unwrap(graphql_type: GraphQLOutputType) -> tuple[GraphQLNamedType, int]:
    depth = 0
    node: Any = graphql_type
    while isinstance(node, GraphQLNonNull | GraphQLList):
        depth += isinstance(node, GraphQLList)
        node = node.of_type
    return node, depth


@dataclass(slots=True)
class Filtered:
    """An operation with its unauthorized parts removed.

    ``document``/``operation`` is what is planned (None when nothing is left to fetch);
    ``shape_document``/``shape_operation`` is what the response is shaped to: the client's
    operation minus the removed fragments, so that each removed field comes back ``null``.
    """

    document: DocumentNode | None
    operation: OperationDefinitionNode | None
    shape_document: DocumentNode
    shape_operation: OperationDefinitionNode
    errors: list[dict[str, Any]] = field(default_factory=list)
    # unique for the process's life: plans of filtered documents are cached under it
    serial: int = field(default_factory=lambda: next(_SERIALS))


def _with(
    document: DocumentNode, operation: OperationDefinitionNode, selection_set: SelectionSetNode
) -> tuple[DocumentNode, OperationDefinitionNode]:
    if selection_set is operation.selection_set:
        return document, operation
    new = replace(operation, selection_set=selection_set)
    definitions = tuple(new if d is operation else d for d in document.definitions)
    return DocumentNode(definitions=definitions), new


# What a selection becomes: (for planning or None, for shaping or None).
_Pair = tuple[Any, Any]


class RequirementWalker:
    """Walks an operation (fragments expanded) and asks ``allowed`` about each requirement.

    A field needs its own requirement (on an interface: also every implementation's, and each
    implementing type's) and its return type's; a fragment on an object type needs that type's.
    Introspection (``__schema``, ``__type``) and ``__typename`` are never filtered.
    """

    def __init__(self, schema: GraphQLSchema, metadata: AuthorizationMetadata) -> None:
        self.schema = schema
        self.metadata = metadata
        self._field_cache: dict[tuple[str, str], Requirement] = {}

    def field_requirement(self, parent: GraphQLNamedType, name: str, returns: str) -> Requirement:
        key = (parent.name, name)
        cached = self._field_cache.get(key)
        if cached is not None:
            return cached
        fields, types = self.metadata.fields, self.metadata.types
        required = fields.get(key, _EMPTY) & types.get(returns, _EMPTY)
        if isinstance(parent, GraphQLInterfaceType):
            for implementation in self.schema.get_possible_types(parent):
                required &= types.get(implementation.name, _EMPTY)
                required &= fields.get((implementation.name, name), _EMPTY)
        self._field_cache[key] = required
        return required

    def walk(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        allowed: Callable[[Requirement], bool],
    ) -> Filtered:
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        root = self.schema.get_root_type(operation.operation)
        assert root is not None, "validation admits only operations of a root type"
        run = _Run(self, fragments, allowed)
        planned, shaped = run.selection_set(operation.selection_set, root, ())
        if not run.errors:
            return Filtered(document, operation, document, operation)
        plan_document: DocumentNode | None = None
        plan_operation: OperationDefinitionNode | None = None
        if planned is not None:
            plan_document, plan_operation = _with(document, operation, planned)
        shape_document, shape_operation = _with(
            document, operation, shaped if shaped is not None else operation.selection_set
        )
        errors = [
            {
                "message": "Unauthorized field or type",
                "path": list(path),
                "extensions": {"code": UNAUTHORIZED},
            }
            for path in run.errors
        ]
        return Filtered(plan_document, plan_operation, shape_document, shape_operation, errors)


class _Run:
    """One walk: the errors found so far and the rewritten selection sets."""

    def __init__(
        self,
        walker: RequirementWalker,
        fragments: dict[str, FragmentDefinitionNode],
        allowed: Callable[[Requirement], bool],
    ) -> None:
        self.walker = walker
        self.schema = walker.schema
        self.fragments = fragments
        self.allowed = allowed
        self.errors: list[Path] = []

    def selection_set(self, node: SelectionSetNode, parent: GraphQLNamedType, path: Path) -> _Pair:
        """The selection set without its unauthorized parts, for planning and for shaping
        (None when nothing is left)."""
        planned: list[SelectionNode] = []
        shaped: list[SelectionNode] = []
        for selection in node.selections:
            plan, shape = self.selection(selection, parent, path)
            if plan is not None:
                planned.append(plan)
            if shape is not None:
                shaped.append(shape)
        return self._set(node, planned), self._set(node, shaped)

    @staticmethod
    def _set(node: SelectionSetNode, kept: list[SelectionNode]) -> SelectionSetNode | None:
        if not kept:
            return None
        same = len(kept) == len(node.selections) and all(
            a is b for a, b in zip(kept, node.selections, strict=True)
        )
        return node if same else replace(node, selections=tuple(kept))

    def selection(self, selection: SelectionNode, parent: GraphQLNamedType, path: Path) -> _Pair:
        if isinstance(selection, FieldNode):
            return self.field(selection, parent, path)
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = self.schema.get_type(condition.name.value) if condition else parent
            return self.fragment(
                selection, selection.selection_set, target or parent, path, condition
            )
        assert isinstance(selection, FragmentSpreadNode)
        definition = self.fragments[selection.name.value]
        target = self.schema.get_type(definition.type_condition.name.value) or parent
        return self.fragment(
            selection, definition.selection_set, target, path, definition.type_condition
        )

    def fragment(
        self,
        node: InlineFragmentNode | FragmentSpreadNode,
        selection_set: SelectionSetNode,
        target: GraphQLNamedType,
        path: Path,
        condition: NamedTypeNode | None,
    ) -> _Pair:
        if isinstance(target, GraphQLObjectType):
            required = self.walker.metadata.types.get(target.name, _EMPTY)
            if not required.empty and not self.allowed(required):
                self.errors.append((*path, f"... on {target.name}"))
                return None, None
        planned, shaped = self.selection_set(selection_set, target, path)
        return (
            self._fragment(node, selection_set, planned, condition),
            self._fragment(node, selection_set, shaped, condition),
        )

    @staticmethod
    def _fragment(
        node: InlineFragmentNode | FragmentSpreadNode,
        original: SelectionSetNode,
        inner: SelectionSetNode | None,
        condition: NamedTypeNode | None,
    ) -> SelectionNode | None:
        if inner is None:
            return None
        if inner is original:
            return node
        if isinstance(node, InlineFragmentNode):
            return replace(node, selection_set=inner)
        # a spread whose fragment lost parts here: that fragment's rest, inline, for this place
        return InlineFragmentNode(
            type_condition=condition,
            directives=node.directives,
            selection_set=inner,
        )

    def field(self, node: FieldNode, parent: GraphQLNamedType, path: Path) -> _Pair:
        name = node.name.value
        if name == "__typename" or name in _INTROSPECTION:
            return node, node
        field_def = parent.fields[name]  # type: ignore[attr-defined]
        returns, depth = _unwrap(field_def.type)
        here = (*path, node.alias.value if node.alias else name)
        required = self.walker.field_requirement(parent, name, returns.name)
        if not required.empty and not self.allowed(required):
            self.errors.append(here)
            return None, node  # not fetched, answered null
        if node.selection_set is None:
            return node, node
        mark = len(self.errors)
        planned, shaped = self.selection_set(node.selection_set, returns, here + ("@",) * depth)
        shape = (
            node
            if shaped is None or shaped is node.selection_set
            else replace(node, selection_set=shaped)
        )
        if planned is None:
            # nothing left below: the field itself goes, with one error instead of its children's
            del self.errors[mark:]
            self.errors.append(here)
            return None, node
        plan = node if planned is node.selection_set else replace(node, selection_set=planned)
        return plan, shape
