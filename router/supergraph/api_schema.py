"""Derive the API schema from a supergraph (Apollo Federation: no join/link, no @inaccessible)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import (
    REMOVE,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumValueDefinitionNode,
    FieldDefinitionNode,
    GraphQLSchema,
    InputValueDefinitionNode,
    NamedTypeNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    Visitor,
    build_ast_schema,
    visit,
)

__all__ = ["build_api_schema"]


def _named(type_node: Any) -> str:
    while not isinstance(type_node, NamedTypeNode):
        type_node = type_node.type
    return type_node.name.value


class _StripMachinery(Visitor):
    """Remove federation machinery and everything marked @inaccessible."""

    def __init__(self, join: str, inaccessible: str, tag: str, link: str) -> None:
        super().__init__()
        self._inaccessible = inaccessible
        self._directives = {inaccessible, tag, link}
        self._prefixes = (f"{join}__", f"{link}__")

    def _machinery(self, name: str) -> bool:
        return name in self._directives or name.startswith(self._prefixes)

    def _hidden(self, node: Any) -> bool:
        return any(d.name.value == self._inaccessible for d in node.directives or ())

    def enter_directive_definition(self, node: DirectiveDefinitionNode, *_: Any) -> Any:
        return REMOVE if self._machinery(node.name.value) else None

    def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
        return REMOVE if self._machinery(node.name.value) else None

    def enter(self, node: Any, *_: Any) -> Any:
        if isinstance(node, TypeDefinitionNode | TypeExtensionNode):
            if self._machinery(node.name.value) or self._hidden(node):
                return REMOVE
        elif isinstance(
            node, FieldDefinitionNode | EnumValueDefinitionNode | InputValueDefinitionNode
        ) and self._hidden(node):
            return REMOVE
        return None


def _prune_references(document: DocumentNode) -> DocumentNode:
    """Drop union members, interfaces and fields that point at removed types."""
    known = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
    } | {"String", "Int", "Float", "Boolean", "ID"}
    definitions = []
    for definition in document.definitions:
        node = definition
        if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            changes: dict[str, Any] = {}
            members: Any = getattr(definition, "types", None)
            if members:
                changes["types"] = tuple(t for t in members if t.name.value in known)
            interfaces: Any = getattr(definition, "interfaces", None)
            if interfaces:
                changes["interfaces"] = tuple(i for i in interfaces if i.name.value in known)
            fields: Any = getattr(definition, "fields", None)
            if fields:
                changes["fields"] = tuple(f for f in fields if _named(f.type) in known)
            node = replace(definition, **changes)
        elif isinstance(definition, SchemaDefinitionNode):
            node = replace(
                definition,
                operation_types=tuple(
                    o for o in definition.operation_types if o.type.name.value in known
                ),
            )
        definitions.append(node)
    return DocumentNode(definitions=tuple(definitions))


def build_api_schema(
    document: DocumentNode, join: str, inaccessible: str, tag: str, link: str
) -> GraphQLSchema:
    """Build the client-facing schema that validation and introspection answer from."""
    stripped = visit(document, _StripMachinery(join, inaccessible, tag, link))
    pruned = _prune_references(stripped)
    return build_ast_schema(pruned, assume_valid_sdl=True)
