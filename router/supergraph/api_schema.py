"""The API schema of a supergraph: minus linked-spec machinery and @inaccessible (https://specs.apollo.dev/inaccessible/v0.2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    DefinitionNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    GraphQLSchema,
    ListValueNode,
    NamedTypeNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    ValueNode,
    build_ast_schema,
)

__all__ = ["api_schema_document", "build_api_schema"]

# Specs every supergraph carries, whether or not its @link names them.
_ALWAYS = frozenset({"join", "link", "inaccessible", "tag"})


@dataclass(frozen=True, slots=True)
class _Features:
    """The names the supergraph's ``@link``s give to spec machinery (they may be renamed)."""

    namespaces: frozenset[str]
    directives: frozenset[str]
    types: frozenset[str]
    inaccessible: str

    def _namespaced(self, name: str) -> bool:
        namespace, separator, _ = name.partition("__")
        return bool(separator) and namespace in self.namespaces

    def is_directive(self, name: str) -> bool:
        return name in self.namespaces or name in self.directives or self._namespaced(name)

    def is_type(self, name: str) -> bool:
        return name in self.types or self._namespaced(name)

    def hidden(self, node: Any) -> bool:
        """Marked ``@inaccessible`` (under the name the supergraph gives it)."""
        return any(d.name.value == self.inaccessible for d in node.directives or ())


def _string(value: ValueNode | None) -> str | None:
    return value.value if isinstance(value, StringValueNode) else None


def _imports(value: ValueNode | None) -> Iterable[tuple[str, str]]:
    """``(name, local name)`` of each ``import:`` entry (``"@x"`` or ``{name: "@x", as: "@y"}``)."""
    for item in value.values if isinstance(value, ListValueNode) else ():
        if isinstance(item, StringValueNode):
            yield item.value, item.value
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: _string(f.value) for f in item.fields}
            name = fields.get("name")
            if name:
                yield name, fields.get("as") or name


def _features(document: DocumentNode) -> _Features:
    namespaces, directives, types = set(_ALWAYS), set[str](), set[str]()
    inaccessible = "inaccessible"
    for node in document.definitions:
        if not isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for link in node.directives or ():
            args = {a.name.value: a.value for a in link.arguments or ()}
            url = _string(args.get("url")) or _string(args.get("feature"))
            if url is None or "specs.apollo.dev" not in url:
                continue
            spec = url.rstrip("/").split("/")[-2]
            namespace = _string(args.get("as")) or spec
            namespaces.add(namespace)
            if spec == "inaccessible":
                inaccessible = namespace
            for name, local in _imports(args.get("import")):
                if local.startswith("@"):
                    directives.add(local.removeprefix("@"))
                    if name == "@inaccessible":
                        inaccessible = local.removeprefix("@")
                else:
                    types.add(local)
    return _Features(frozenset(namespaces), frozenset(directives), frozenset(types), inaccessible)


def _named(type_node: Any) -> str:
    while not isinstance(type_node, NamedTypeNode):
        type_node = type_node.type
    return type_node.name.value


class _Pruner:
    """Rewrites one definition at a time, given the features and the type names removed."""

    def __init__(self, features: _Features, removed: set[str]) -> None:
        self.features = features
        self.removed = removed

    def hidden(self, node: Any) -> bool:
        return self.features.hidden(node)

    def directives(self, nodes: Iterable[DirectiveNode] | None) -> tuple[Any, ...]:
        return tuple(d for d in nodes or () if not self.features.is_directive(d.name.value))

    def values(self, nodes: Iterable[Any] | None) -> tuple[Any, ...]:
        """Fields, arguments, input fields: drop hidden ones and those of a removed type."""
        return tuple(
            replace(
                node,
                directives=self.directives(node.directives),
                **(
                    {"arguments": self.values(node.arguments)} if hasattr(node, "arguments") else {}
                ),
            )
            for node in nodes or ()
            if not self.hidden(node) and _named(node.type) not in self.removed
        )

    def type(self, node: TypeDefinitionNode | TypeExtensionNode) -> Any:
        changes: dict[str, Any] = {"directives": self.directives(node.directives)}
        fields, interfaces, members, values = (
            getattr(node, name, None) for name in ("fields", "interfaces", "types", "values")
        )
        if fields is not None:
            changes["fields"] = self.values(fields)
        if interfaces is not None:
            changes["interfaces"] = tuple(i for i in interfaces if i.name.value not in self.removed)
        if members is not None:
            changes["types"] = tuple(t for t in members if t.name.value not in self.removed)
        if values is not None:
            changes["values"] = tuple(
                replace(v, directives=self.directives(v.directives))
                for v in values
                if not self.hidden(v)
            )
        return replace(node, **changes)

    def schema(self, node: SchemaDefinitionNode | SchemaExtensionNode) -> Any:
        return replace(
            node,
            directives=self.directives(node.directives),
            operation_types=tuple(
                o for o in node.operation_types or () if o.type.name.value not in self.removed
            ),
        )


def api_schema_document(document: DocumentNode) -> DocumentNode:
    """The supergraph minus linked-spec types and directives and minus ``@inaccessible`` elements."""
    features = _features(document)
    types = [
        d for d in document.definitions if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
    ]
    pruner = _Pruner(
        features,
        {t.name.value for t in types if features.is_type(t.name.value) or features.hidden(t)},
    )
    definitions: list[DefinitionNode] = []
    for node in document.definitions:
        if isinstance(node, TypeDefinitionNode | TypeExtensionNode):
            if node.name.value not in pruner.removed:
                definitions.append(pruner.type(node))
        elif isinstance(node, DirectiveDefinitionNode):
            if not features.is_directive(node.name.value):
                definitions.append(node)
        elif isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
            definitions.append(pruner.schema(node))
        else:
            definitions.append(node)
    return DocumentNode(definitions=tuple(definitions))


def build_api_schema(document: DocumentNode) -> GraphQLSchema:
    """Build the client-facing schema that validation and introspection answer from."""
    return build_ast_schema(api_schema_document(document), assume_valid_sdl=True)
