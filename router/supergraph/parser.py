"""Parse an Apollo Federation v2 supergraph SDL (join v0.3/v0.5, https://specs.apollo.dev/join/v0.5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    StringValueNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    is_abstract_type,
    parse,
    print_ast,
)

from router.supergraph.api_schema import build_api_schema
from router.supergraph.model import (
    EntityKey,
    FieldGraph,
    FieldInfo,
    Subgraph,
    Supergraph,
    TypeGraph,
    TypeInfo,
)

__all__ = ["SupergraphError", "load_supergraph", "parse_supergraph"]

_SUPPORTED_JOIN = ("v0.1", "v0.2", "v0.3", "v0.4", "v0.5")


class SupergraphError(ValueError):
    """The supergraph SDL cannot be parsed or is inconsistent."""


@dataclass(frozen=True, slots=True)
class _Names:
    """Directive names as imported through `@link` (they may be renamed with `as`)."""

    join: str = "join"
    inaccessible: str = "inaccessible"


def _arg(directive: DirectiveNode, name: str) -> Any:
    for argument in directive.arguments or ():
        if argument.name.value == name:
            value = argument.value
            if isinstance(value, StringValueNode):
                return value.value
            if isinstance(value, BooleanValueNode):
                return value.value
            return getattr(value, "value", None)
    return None


def _unwrap(type_node: TypeNode) -> tuple[str, int, bool]:
    non_null = isinstance(type_node, NonNullTypeNode)
    depth = 0
    node: TypeNode = type_node
    while not isinstance(node, NamedTypeNode):
        if isinstance(node, ListTypeNode):
            depth += 1
        node = node.type  # type: ignore[attr-defined]
    return node.name.value, depth, non_null


def _link_names(document: DocumentNode) -> _Names:
    join, inaccessible = "join", "inaccessible"
    found_join = False
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode):
            continue
        for directive in definition.directives or ():
            url = _arg(directive, "url")
            if not isinstance(url, str):
                continue
            spec = url.rstrip("/").split("/")
            alias = _arg(directive, "as")
            if "specs.apollo.dev" not in url:
                continue
            kind, version = spec[-2], spec[-1]
            if kind == "join":
                if version not in _SUPPORTED_JOIN:
                    raise SupergraphError(f"unsupported join spec version {version} in @link")
                found_join = True
                join = alias or "join"
            elif kind == "inaccessible":
                inaccessible = alias or "inaccessible"
    if not found_join:
        raise SupergraphError(
            "the supergraph has no @link to the join spec (specs.apollo.dev/join)"
        )
    return _Names(join=join, inaccessible=inaccessible)


def _is_inaccessible(node: Any, names: _Names) -> bool:
    return any(d.name.value == names.inaccessible for d in getattr(node, "directives", ()) or ())


def _subgraphs(document: DocumentNode, names: _Names) -> tuple[dict[str, Subgraph], dict[str, str]]:
    graph_enum = f"{names.join}__Graph"
    subgraphs: dict[str, Subgraph] = {}
    by_enum: dict[str, str] = {}
    for definition in document.definitions:
        if not isinstance(definition, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            continue
        if definition.name.value != graph_enum:
            continue
        for value in definition.values or ():
            directive = next(
                (d for d in value.directives or () if d.name.value == f"{names.join}__graph"), None
            )
            if directive is None:
                raise SupergraphError(f"{graph_enum}.{value.name.value} lacks @join__graph")
            name, url = _arg(directive, "name"), _arg(directive, "url")
            if not isinstance(name, str) or not isinstance(url, str):
                raise SupergraphError(f"@join__graph on {value.name.value} needs name and url")
            subgraphs[name] = Subgraph(enum_value=value.name.value, name=name, url=url)
            by_enum[value.name.value] = name
    if not subgraphs:
        raise SupergraphError(f"the supergraph defines no subgraphs (enum {graph_enum})")
    return subgraphs, by_enum


def _graph_of(directive: DirectiveNode, by_enum: dict[str, str], where: str) -> str | None:
    enum_value = _arg(directive, "graph")
    if enum_value is None:
        return None
    if enum_value not in by_enum:
        raise SupergraphError(f"{where} names unknown subgraph {enum_value}")
    return by_enum[enum_value]


_COMPOSITE = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
)


def _kind(definition: Any) -> str:
    if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
        return "OBJECT"
    if isinstance(definition, InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode):
        return "INTERFACE"
    if isinstance(definition, UnionTypeDefinitionNode | UnionTypeExtensionNode):
        return "UNION"
    return "OTHER"


def _type_directive(
    directive: DirectiveNode,
    type_name: str,
    names: _Names,
    by_enum: dict[str, str],
    entry: dict[str, Any],
) -> None:
    directive_name = directive.name.value
    where = f"type {type_name}"
    if directive_name == f"{names.join}__type":
        graph = _graph_of(directive, by_enum, where)
        if graph is None:
            raise SupergraphError(f"@join__type on {type_name} lacks graph")
        info = entry["graphs"].setdefault(graph, {"keys": [], "io": False, "ext": False})
        key = _arg(directive, "key")
        if key is not None:
            info["keys"].append(EntityKey(graph, key, _arg(directive, "resolvable") is not False))
        info["io"] = info["io"] or _arg(directive, "isInterfaceObject") is True
        info["ext"] = info["ext"] or _arg(directive, "extension") is True
    elif directive_name == f"{names.join}__implements":
        graph = _graph_of(directive, by_enum, where)
        interface = _arg(directive, "interface")
        if graph is not None and isinstance(interface, str):
            entry["implements"].setdefault(graph, []).append(interface)
    elif directive_name == f"{names.join}__unionMember":
        graph = _graph_of(directive, by_enum, where)
        member = _arg(directive, "member")
        if graph is not None and isinstance(member, str):
            entry["members"].setdefault(graph, []).append(member)


def _field_info(
    field_node: Any, type_name: str, names: _Names, by_enum: dict[str, str]
) -> FieldInfo:
    joins: list[FieldGraph] = []
    for directive in field_node.directives or ():
        if directive.name.value != f"{names.join}__field":
            continue
        where = f"field {type_name}.{field_node.name.value}"
        joins.append(
            FieldGraph(
                graph=_graph_of(directive, by_enum, where),
                requires=_arg(directive, "requires"),
                provides=_arg(directive, "provides"),
                type=_arg(directive, "type"),
                external=_arg(directive, "external") is True,
                override=_arg(directive, "override"),
                used_overridden=_arg(directive, "usedOverridden") is True,
                override_label=_arg(directive, "overrideLabel"),
            )
        )
    named, depth, non_null = _unwrap(field_node.type)
    return FieldInfo(
        name=field_node.name.value,
        type_name=named,
        list_depth=depth,
        non_null=non_null,
        joins=tuple(joins),
        inaccessible=_is_inaccessible(field_node, names),
        type_string=print_ast(field_node.type),
    )


def _collect_type(
    definition: Any, names: _Names, by_enum: dict[str, str], acc: dict[str, dict[str, Any]]
) -> None:
    type_name = definition.name.value
    entry = acc.setdefault(
        type_name,
        {
            "kind": "",
            "graphs": {},
            "fields": {},
            "interfaces": [],
            "implements": {},
            "members": {},
            "inaccessible": False,
        },
    )
    kind = _kind(definition)
    entry["kind"] = kind if kind != "OTHER" else entry["kind"] or kind
    entry["inaccessible"] = entry["inaccessible"] or _is_inaccessible(definition, names)
    for directive in definition.directives or ():
        _type_directive(directive, type_name, names, by_enum, entry)
    for interface in getattr(definition, "interfaces", None) or ():
        entry["interfaces"].append(interface.name.value)
    for field_node in getattr(definition, "fields", None) or ():
        if hasattr(field_node, "type") and not hasattr(field_node, "default_value"):
            entry["fields"][field_node.name.value] = _field_info(
                field_node, type_name, names, by_enum
            )


def _root_types(document: DocumentNode) -> dict[str, str]:
    roots = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            roots = {}
            for operation_type in definition.operation_types:
                roots[operation_type.operation.value] = operation_type.type.name.value
    return roots


def parse_supergraph(sdl: str) -> Supergraph:
    """Parse and check a supergraph SDL, returning the immutable model with its API schema."""
    try:
        document = parse(sdl)
    except GraphQLError as error:
        raise SupergraphError(
            f"the supergraph is not valid GraphQL SDL: {error.message}"
        ) from error
    names = _link_names(document)
    subgraphs, by_enum = _subgraphs(document, names)
    try:
        full_schema: GraphQLSchema = build_ast_schema(document, assume_valid_sdl=False)
    except (GraphQLError, TypeError) as error:
        raise SupergraphError(f"the supergraph schema is inconsistent: {error}") from error
    acc: dict[str, dict[str, Any]] = {}
    for definition in document.definitions:
        name = getattr(getattr(definition, "name", None), "value", None)
        if isinstance(definition, SchemaDefinitionNode) or name is None:
            continue
        if isinstance(definition, _COMPOSITE) or name in full_schema.type_map:
            _collect_type(definition, names, by_enum, acc)
    types: dict[str, TypeInfo] = {}
    for type_name, entry in acc.items():
        types[type_name] = TypeInfo(
            name=type_name,
            kind=entry["kind"],
            graphs=tuple(
                TypeGraph(
                    graph=g, keys=tuple(i["keys"]), is_interface_object=i["io"], extension=i["ext"]
                )
                for g, i in entry["graphs"].items()
            ),
            fields=entry["fields"],
            interfaces=tuple(entry["interfaces"]),
            implements_by_graph={g: tuple(v) for g, v in entry["implements"].items()},
            union_members_by_graph={g: tuple(v) for g, v in entry["members"].items()},
            inaccessible=entry["inaccessible"],
        )
    possible: dict[str, frozenset[str]] = {}
    for type_name, graphql_type in full_schema.type_map.items():
        if is_abstract_type(graphql_type):
            possible[type_name] = frozenset(
                t.name for t in full_schema.get_possible_types(graphql_type)
            )
    roots = _root_types(document)
    if "query" not in roots or roots["query"] not in types:
        raise SupergraphError("the supergraph has no query root type")
    for type_info in types.values():
        for field_info in type_info.fields.values():
            if field_info.type_name not in full_schema.type_map:
                raise SupergraphError(
                    f"field {type_info.name}.{field_info.name} "
                    f"has unknown type {field_info.type_name}"
                )
    api_schema = build_api_schema(document)
    return Supergraph(
        sdl=sdl,
        subgraphs=subgraphs,
        types=types,
        root_types=roots,
        api_schema=api_schema,
        possible_types=possible,
    )


def load_supergraph(path: str) -> Supergraph:
    """Read and parse a supergraph file."""
    from pathlib import Path

    try:
        sdl = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise SupergraphError(f"cannot read supergraph {path}: {error.strerror}") from error
    return parse_supergraph(sdl)
