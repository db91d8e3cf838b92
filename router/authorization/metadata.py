"""Where the supergraph puts authorization directives (https://specs.apollo.dev/authenticated/v0.1,
https://specs.apollo.dev/requiresScopes/v0.1, https://specs.apollo.dev/policy/v0.1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    DirectiveNode,
    DocumentNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    ValueNode,
    parse,
)

from router.authorization.requirements import Alternatives, Requirement

__all__ = ["AuthorizationMetadata", "read_metadata"]

_SPECS = {"authenticated": "authenticated", "requiresScopes": "scopes", "policy": "policies"}


@dataclass(frozen=True, slots=True)
class AuthorizationMetadata:
    """The requirement of each type (applies to every field returning it) and of each field."""

    types: Mapping[str, Requirement]
    fields: Mapping[tuple[str, str], Requirement]

    @property
    def empty(self) -> bool:
        return not self.types and not self.fields


def _string(value: ValueNode | None) -> str | None:
    return value.value if isinstance(value, StringValueNode) else None


def _directive_names(document: DocumentNode) -> dict[str, str]:
    """Local directive name -> spec name, for the specs the supergraph links."""
    names: dict[str, str] = {}
    for node in document.definitions:
        if not isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for link in node.directives or ():
            args = {a.name.value: a.value for a in link.arguments or ()}
            url = _string(args.get("url")) or _string(args.get("feature")) or ""
            parts = url.rstrip("/").split("/")
            if "specs.apollo.dev" not in url or len(parts) < 2 or parts[-2] not in _SPECS:
                continue
            spec = parts[-2]
            names[_string(args.get("as")) or spec] = spec
            imports = args.get("import")
            for item in imports.values if isinstance(imports, ListValueNode) else ():
                if isinstance(item, StringValueNode) and item.value == f"@{spec}":
                    names[spec] = spec
    return names


def _alternatives(value: ValueNode | None) -> Alternatives:
    if not isinstance(value, ListValueNode):
        return ()
    result = []
    for inner in value.values:
        values = inner.values if isinstance(inner, ListValueNode) else (inner,)
        result.append(frozenset(v.value for v in values if isinstance(v, StringValueNode)))
    return tuple(result)


def _requirement(directives: Iterable[DirectiveNode], names: Mapping[str, str]) -> Requirement:
    requirement = Requirement()
    for directive in directives:
        spec = names.get(directive.name.value)
        if spec is None:
            continue
        if spec == "authenticated":
            requirement &= Requirement(authenticated=True)
            continue
        argument = next(
            (a.value for a in directive.arguments or () if a.name.value == _SPECS[spec]), None
        )
        alternatives = _alternatives(argument)
        if spec == "requiresScopes":
            requirement &= Requirement(scopes=(alternatives,))
        else:
            requirement &= Requirement(policies=(alternatives,))
    return requirement


def read_metadata(sdl: str | DocumentNode) -> AuthorizationMetadata:
    """The authorization directives of a supergraph, by type and by (type, field)."""
    document = parse(sdl, no_location=True) if isinstance(sdl, str) else sdl
    names = _directive_names(document)
    types: dict[str, Requirement] = {}
    fields: dict[tuple[str, str], Requirement] = {}
    if not names:
        return AuthorizationMetadata(types, fields)
    for node in document.definitions:
        if not isinstance(node, TypeDefinitionNode | TypeExtensionNode):
            continue
        name = node.name.value
        own = _requirement(node.directives or (), names)
        if not own.empty:
            types[name] = types.get(name, Requirement()) & own
        if isinstance(
            node,
            ObjectTypeDefinitionNode
            | ObjectTypeExtensionNode
            | InterfaceTypeDefinitionNode
            | InterfaceTypeExtensionNode,
        ):
            for field in node.fields or ():
                required = _requirement(field.directives or (), names)
                if not required.empty:
                    key = (name, field.name.value)
                    fields[key] = fields.get(key, Requirement()) & required
    return AuthorizationMetadata(types, fields)
