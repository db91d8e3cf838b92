"""Build the normalised model of a subgraph from its SDL (https://specs.apollo.dev/federation/v2.11)."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import (
    BooleanValueNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    EnumValueDefinitionNode,
    FieldDefinitionNode,
    GraphQLSyntaxError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    IntValueNode,
    ListTypeNode,
    ListValueNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    ValueNode,
    parse,
)

from router.composition.errors import CompositionError
from router.composition.links import (
    LinkError,
    SubgraphLinks,
    UnknownFederationVersionError,
    resolve_links,
)
from router.composition.model import (
    Applied,
    Argument,
    DirectiveDef,
    EnumValue,
    Field,
    Key,
    Kind,
    ListSizeArgs,
    Subgraph,
    TypeDef,
)

__all__ = ["build_subgraph"]

_BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
#: Types and fields a subgraph exposes for the router only (https://specs.apollo.dev/federation/v2.11).
_FEDERATION_TYPES = frozenset(
    {"_Any", "_Entity", "_Service", "_FieldSet", "FieldSet", "link__Import", "link__Purpose"}
)
_FEDERATION_QUERY_FIELDS = frozenset({"_service", "_entities"})
_KEPT_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "oneOf"})
_EXECUTABLE_LOCATIONS = frozenset(
    {
        "QUERY",
        "MUTATION",
        "SUBSCRIPTION",
        "FIELD",
        "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD",
        "INLINE_FRAGMENT",
        "VARIABLE_DEFINITION",
    }
)
_CARRIED = frozenset(
    {"inaccessible", "tag", "authenticated", "requiresScopes", "policy", "cost", "listSize"}
)
_DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}

_TypeNodeDef = (
    ObjectTypeDefinitionNode
    | ObjectTypeExtensionNode
    | InterfaceTypeDefinitionNode
    | InterfaceTypeExtensionNode
    | UnionTypeDefinitionNode
    | UnionTypeExtensionNode
    | EnumTypeDefinitionNode
    | EnumTypeExtensionNode
    | InputObjectTypeDefinitionNode
    | InputObjectTypeExtensionNode
    | ScalarTypeDefinitionNode
    | ScalarTypeExtensionNode
)
_KINDS: dict[type, Kind] = {
    ObjectTypeDefinitionNode: Kind.OBJECT,
    ObjectTypeExtensionNode: Kind.OBJECT,
    InterfaceTypeDefinitionNode: Kind.INTERFACE,
    InterfaceTypeExtensionNode: Kind.INTERFACE,
    UnionTypeDefinitionNode: Kind.UNION,
    UnionTypeExtensionNode: Kind.UNION,
    EnumTypeDefinitionNode: Kind.ENUM,
    EnumTypeExtensionNode: Kind.ENUM,
    InputObjectTypeDefinitionNode: Kind.INPUT_OBJECT,
    InputObjectTypeExtensionNode: Kind.INPUT_OBJECT,
    ScalarTypeDefinitionNode: Kind.SCALAR,
    ScalarTypeExtensionNode: Kind.SCALAR,
}
_EXTENSIONS = (
    ObjectTypeExtensionNode,
    InterfaceTypeExtensionNode,
    UnionTypeExtensionNode,
    EnumTypeExtensionNode,
    InputObjectTypeExtensionNode,
    ScalarTypeExtensionNode,
)


def _arg(directive: DirectiveNode, name: str) -> ValueNode | None:
    for argument in directive.arguments or ():
        if argument.name.value == name:
            return argument.value
    return None


def _str_arg(directive: DirectiveNode, name: str) -> str | None:
    value = _arg(directive, name)
    return value.value if isinstance(value, StringValueNode) else None


def _string_matrix(value: ValueNode | None) -> list[list[str]]:
    """Read ``[[String]]`` (single strings and lists are coerced as GraphQL input coercion does)."""
    outer = value.values if isinstance(value, ListValueNode) else ((value,) if value else ())
    result: list[list[str]] = []
    for item in outer:
        inner = item.values if isinstance(item, ListValueNode) else (item,)
        result.append([v.value for v in inner if isinstance(v, StringValueNode)])
    return result


_BUILTIN_DIRECTIVES = frozenset(
    {"deprecated", "specifiedBy", "oneOf", "include", "skip", "defer", "stream"}
)


def _applied_directives(document: DocumentNode) -> list[DirectiveNode]:
    """Every directive application of a type-system document."""
    found: list[DirectiveNode] = []
    for definition in document.definitions:
        found.extend(getattr(definition, "directives", None) or ())
        children = [
            *(getattr(definition, "fields", None) or ()),
            *(getattr(definition, "values", None) or ()),
        ]
        for child in children:
            found.extend(child.directives or ())
            for arg in getattr(child, "arguments", None) or ():
                found.extend(arg.directives or ())
    return found


class _Builder:
    """Walks one subgraph document, collecting types and errors."""

    def __init__(self, name: str, url: str, document: DocumentNode, links: SubgraphLinks) -> None:
        self.name = name
        self.url = url
        self.document = document
        self.links = links
        self.errors: list[CompositionError] = []
        self.rename: dict[str, str] = {}
        self.types: dict[str, TypeDef] = {}
        self.composed_local: dict[str, str] = {}  # local directive name -> supergraph name
        self.carried_names: dict[str, str] = {}  # carried directive -> its name in this subgraph

    def error(self, code: str, message: str, coordinate: str | None = None) -> None:
        self.errors.append(
            CompositionError(code, f"[{self.name}] {message}", self.name, coordinate)
        )

    # ------------------------------------------------------------------ names and types
    def type_name(self, name: str) -> str:
        return self.rename.get(name, name)

    def type_ref(self, node: TypeNode) -> str:
        if isinstance(node, NonNullTypeNode):
            return f"{self.type_ref(node.type)}!"
        if isinstance(node, ListTypeNode):
            return f"[{self.type_ref(node.type)}]"
        assert isinstance(node, NamedTypeNode)
        return self.type_name(node.name.value)

    def canonical(self, directive: DirectiveNode) -> str | None:
        return self.links.canonical.get(directive.name.value)

    # ------------------------------------------------------------------ directives
    def applied(self, directives: Sequence[DirectiveNode], coordinate: str) -> Applied:
        applied = Applied()
        for directive in directives:
            local = directive.name.value
            name = self.canonical(directive)
            if name in _CARRIED:
                self.carried_names.setdefault(name, local)
            ordered = name if name in _CARRIED else self.composed_local.get(local, local)
            if (name in _CARRIED or local in _KEPT_DIRECTIVES or local in self.composed_local) and (
                ordered not in applied.order
            ):
                applied.order.append(ordered)
            if name == "inaccessible":
                applied.inaccessible = True
            elif name == "tag":
                tag = _str_arg(directive, "name")
                if tag is None:
                    self.error("INVALID_GRAPHQL", f'@tag on "{coordinate}" needs a string `name`')
                elif tag not in applied.tags:
                    applied.tags.append(tag)
            elif name == "authenticated":
                applied.authenticated = True
            elif name == "requiresScopes":
                applied.scopes = _string_matrix(_arg(directive, "scopes"))
            elif name == "policy":
                applied.policies = _string_matrix(_arg(directive, "policies"))
            elif name in {"cost", "listSize"}:
                self.demand_control(applied, name, directive, coordinate)
            elif name is None and (local in _KEPT_DIRECTIVES or local in self.composed_local):
                applied.others.append(
                    directive
                    if local in _KEPT_DIRECTIVES
                    else DirectiveNode(
                        name=NameNode(value=self.composed_local[local]),
                        arguments=directive.arguments,
                    )
                )
        return applied

    def demand_control(
        self, applied: Applied, name: str, directive: DirectiveNode, coordinate: str
    ) -> None:
        """Read @cost / @listSize (https://specs.apollo.dev/cost/v0.1)."""
        if name == "listSize":
            applied.list_size = _list_size(directive)
            return
        weight = _arg(directive, "weight")
        if isinstance(weight, IntValueNode):
            applied.cost = int(weight.value)
        else:
            self.error("INVALID_GRAPHQL", f'@cost on "{coordinate}" needs an Int `weight`')

    # ------------------------------------------------------------------ schema
    def read_roots(self) -> dict[str, str]:
        roots: dict[str, str] = {}
        for definition in self.document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                for op in definition.operation_types or ():
                    roots[op.operation.value] = op.type.name.value
        for operation, type_name in roots.items():
            default = _DEFAULT_ROOTS[operation]
            if type_name != default:
                self.rename[type_name] = default
        present = {
            self.type_name(d.name.value)
            for d in self.document.definitions
            if isinstance(d, _TypeNodeDef)
        }
        return {op: default for op, default in _DEFAULT_ROOTS.items() if default in present}

    def check_known_directives(self) -> None:
        """Applications of undefined directives are invalid GraphQL, as Apollo reports them."""
        defined = {
            d.name.value
            for d in self.document.definitions
            if isinstance(d, DirectiveDefinitionNode)
        }
        known = defined | set(self.links.canonical) | self.links.link_names | _BUILTIN_DIRECTIVES
        reported: set[str] = set()
        for directive in _applied_directives(self.document):
            name = directive.name.value
            if name not in known and name not in reported:
                reported.add(name)
                self.error("INVALID_GRAPHQL", f'Unknown directive "@{name}".')

    def read_executable_directives(self) -> dict[str, DirectiveDef]:
        """Custom directives usable in operations (https://spec.graphql.org/October2021/#ExecutableDirectiveLocation)."""
        result: dict[str, DirectiveDef] = {}
        for definition in self.document.definitions:
            if not isinstance(definition, DirectiveDefinitionNode):
                continue
            name = definition.name.value
            if (
                name in self.links.canonical
                or name in self.links.link_names
                or name in self.composed_local
                or name.startswith(("federation__", "link__", "join__"))
            ):
                continue
            locations = sorted(
                loc.value for loc in definition.locations if loc.value in _EXECUTABLE_LOCATIONS
            )
            if not locations:
                continue
            result[name] = DirectiveDef(
                name=name,
                args={
                    arg.name.value: Argument(
                        name=arg.name.value,
                        type=self.type_ref(arg.type),
                        default=arg.default_value,
                        description=arg.description.value if arg.description else None,
                    )
                    for arg in definition.arguments or ()
                },
                repeatable=definition.repeatable,
                locations=locations,
                description=definition.description.value if definition.description else None,
            )
        return result

    def read_composed(self) -> tuple[dict[str, DirectiveDefinitionNode], dict[str, str]]:
        """``@composeDirective`` (https://specs.apollo.dev/federation/v2.1#@composeDirective)."""
        definitions = {
            d.name.value: d
            for d in self.document.definitions
            if isinstance(d, DirectiveDefinitionNode)
        }
        composed: dict[str, DirectiveDefinitionNode] = {}
        urls: dict[str, str] = {}
        for definition in self.document.definitions:
            if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                continue
            for directive in definition.directives or ():
                if self.canonical(directive) != "composeDirective":
                    continue
                raw = _str_arg(directive, "name") or ""
                local = raw.removeprefix("@")
                link = next((c for c in self.links.custom if local in c.imports), None)
                if not raw.startswith("@") or local not in definitions:
                    self.error(
                        "DIRECTIVE_COMPOSITION_ERROR",
                        f"Could not find matching directive definition for argument to "
                        f'@composeDirective "{raw}" in subgraph "{self.name}".',
                    )
                    continue
                if link is None:
                    self.error(
                        "DIRECTIVE_COMPOSITION_ERROR",
                        f'Directive "{raw}" in subgraph "{self.name}" cannot be composed because '
                        "it is not a member of a core feature",
                    )
                    continue
                self.composed_local[local] = local
                composed[local] = definitions[local]
                urls[local] = link.url
        return composed, urls

    # ------------------------------------------------------------------ types
    def build_types(self) -> None:
        for definition in self.document.definitions:
            if not isinstance(definition, _TypeNodeDef):
                continue
            name = self.type_name(definition.name.value)
            if name in _FEDERATION_TYPES or name.startswith(("federation__", "link__", "join__")):
                continue
            if name in _BUILTIN_SCALARS:
                continue
            kind = _KINDS[type(definition)]
            directives = definition.directives or ()
            if any(self.canonical(d) == "interfaceObject" for d in directives):
                kind = Kind.OBJECT
            current = self.types.get(name)
            if current is None:
                current = TypeDef(name=name, kind=kind)
                self.types[name] = current
            elif current.kind != kind:
                self.error(
                    "INVALID_GRAPHQL",
                    f'Type "{name}" is defined both as {current.kind} and {kind}',
                    name,
                )
                continue
            is_ext = isinstance(definition, _EXTENSIONS)
            current.has_extension |= is_ext
            current.has_definition |= not is_ext
            description = getattr(definition, "description", None)
            if description is not None and current.description is None:
                current.description = description.value
            self.read_type_directives(current, directives, is_ext)
            self.read_members(current, definition, is_ext)

    def read_type_directives(
        self, typedef: TypeDef, directives: Sequence[DirectiveNode], is_ext: bool
    ) -> None:
        merged = self.applied(directives, typedef.name)
        applied = typedef.applied
        applied.inaccessible |= merged.inaccessible
        applied.tags += [t for t in merged.tags if t not in applied.tags]
        applied.authenticated |= merged.authenticated
        applied.scopes = merged.scopes if merged.scopes is not None else applied.scopes
        applied.policies = merged.policies if merged.policies is not None else applied.policies
        applied.cost = merged.cost if merged.cost is not None else applied.cost
        applied.others += merged.others
        applied.order += [n for n in merged.order if n not in applied.order]
        for directive in directives:
            name = self.canonical(directive)
            if name == "key":
                fields = _str_arg(directive, "fields")
                if fields is None:
                    self.error(
                        "KEY_INVALID_FIELDS", f'@key on "{typedef.name}" needs a string `fields`'
                    )
                    continue
                resolvable = _arg(directive, "resolvable")
                typedef.keys.append(
                    Key(
                        fields=fields,
                        resolvable_arg=(
                            resolvable.value if isinstance(resolvable, BooleanValueNode) else None
                        ),
                        of_extension=is_ext,
                    )
                )
            elif name == "extends":
                typedef.extends = True
            elif name == "shareable":
                typedef.shareable_on.add(is_ext)
            elif name == "external":
                typedef.external_on_type = True
            elif name == "interfaceObject":
                typedef.interface_object = True
            elif name in {"context", "fromContext", "cacheTag"}:
                self.error(
                    "UNSUPPORTED_FEATURE",
                    f'@{name} on "{typedef.name}" is not supported by healthgraph composition',
                    typedef.name,
                )

    def read_members(self, typedef: TypeDef, definition: _TypeNodeDef, is_ext: bool) -> None:
        if isinstance(definition, UnionTypeDefinitionNode | UnionTypeExtensionNode):
            for member in definition.types or ():
                name = self.type_name(member.name.value)
                if name not in typedef.members:
                    typedef.members.append(name)
            return
        if isinstance(definition, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            for value in definition.values or ():
                typedef.values[value.name.value] = self.enum_value(typedef, value)
            return
        if isinstance(definition, ScalarTypeDefinitionNode | ScalarTypeExtensionNode):
            return
        if not isinstance(definition, InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode):
            for interface in definition.interfaces or ():
                name = self.type_name(interface.name.value)
                if name not in typedef.interfaces:
                    typedef.interfaces.append(name)
        for node in definition.fields or ():
            name = node.name.value
            if typedef.name == "Query" and name in _FEDERATION_QUERY_FIELDS:
                continue
            if name in typedef.fields:
                self.error(
                    "INVALID_GRAPHQL",
                    f'Field "{typedef.name}.{name}" can only be defined once.',
                    f"{typedef.name}.{name}",
                )
                continue
            typedef.fields[name] = self.field(typedef, node, is_ext)

    def enum_value(self, typedef: TypeDef, node: EnumValueDefinitionNode) -> EnumValue:
        coordinate = f"{typedef.name}.{node.name.value}"
        return EnumValue(
            name=node.name.value,
            description=node.description.value if node.description else None,
            applied=self.applied(node.directives or (), coordinate),
        )

    def field(
        self,
        typedef: TypeDef,
        node: FieldDefinitionNode | InputValueDefinitionNode,
        is_ext: bool,
    ) -> Field:
        coordinate = f"{typedef.name}.{node.name.value}"
        directives = node.directives or ()
        result = Field(
            name=node.name.value,
            type=self.type_ref(node.type),
            parent=typedef.name,
            description=node.description.value if node.description else None,
            applied=self.applied(directives, coordinate),
            of_extension=is_ext,
        )
        if isinstance(node, InputValueDefinitionNode):
            result.default = node.default_value
            return result
        for arg in node.arguments or ():
            result.args[arg.name.value] = Argument(
                name=arg.name.value,
                type=self.type_ref(arg.type),
                default=arg.default_value,
                description=arg.description.value if arg.description else None,
                applied=self.applied(arg.directives or (), f"{coordinate}({arg.name.value}:)"),
            )
        for directive in directives:
            name = self.canonical(directive)
            if name == "external":
                result.external = True
            elif name == "shareable":
                result.shareable = True
            elif name in {"requires", "provides"}:
                fields = _str_arg(directive, "fields")
                if fields is None:
                    self.error(
                        f"{name.upper()}_INVALID_FIELDS",
                        f'@{name} on "{coordinate}" needs a string `fields`',
                        coordinate,
                    )
                elif name == "requires":
                    result.requires = fields
                else:
                    result.provides = fields
            elif name == "override":
                result.override_from = _str_arg(directive, "from")
                result.override_label = _str_arg(directive, "label")
            elif name in {"context", "fromContext", "cacheTag"}:
                self.error(
                    "UNSUPPORTED_FEATURE",
                    f'@{name} on "{coordinate}" is not supported by healthgraph composition',
                    coordinate,
                )
        if result.applied.list_size is not None:
            self.check_list_size(result, node, result.applied.list_size)
        return result

    def check_list_size(self, result: Field, node: FieldDefinitionNode, size: ListSizeArgs) -> None:
        """Apollo's @listSize validations (https://specs.apollo.dev/cost/v0.1#@listSize)."""
        coordinate = f"{result.parent}.{result.name}"
        if size.assumed_size is not None and size.assumed_size < 0:
            self.error(
                "LIST_SIZE_INVALID_ASSUMED_SIZE",
                f'Assumed size of "{coordinate}" cannot be negative',
                coordinate,
            )
        for name in size.slicing_arguments or ():
            argument = next((a for a in node.arguments or () if a.name.value == name), None)
            if argument is None:
                self.error(
                    "LIST_SIZE_INVALID_SLICING_ARGUMENT",
                    f'Slicing argument "{name}" is not an argument of "{coordinate}"',
                    coordinate,
                )


def _list_size(directive: DirectiveNode) -> ListSizeArgs:
    assumed = _arg(directive, "assumedSize")
    require = _arg(directive, "requireOneSlicingArgument")
    slicing = _arg(directive, "slicingArguments")
    sized = _arg(directive, "sizedFields")

    def strings(value: ValueNode | None) -> list[str] | None:
        if value is None:
            return None
        items = value.values if isinstance(value, ListValueNode) else (value,)
        return [v.value for v in items if isinstance(v, StringValueNode)]

    return ListSizeArgs(
        assumed_size=int(assumed.value) if isinstance(assumed, IntValueNode) else None,
        slicing_arguments=strings(slicing),
        sized_fields=strings(sized),
        require_one=require.value if isinstance(require, BooleanValueNode) else None,
        order=[argument.name.value for argument in directive.arguments or ()],
    )


def build_subgraph(name: str, url: str, sdl: str) -> tuple[Subgraph | None, list[CompositionError]]:
    """Parse and normalise one subgraph's SDL; return the model or the errors found."""
    try:
        document = parse(sdl)
    except GraphQLSyntaxError as exc:
        return None, [CompositionError("INVALID_GRAPHQL", f"[{name}] {exc.message}", name)]
    try:
        links = resolve_links(document)
    except UnknownFederationVersionError as exc:
        return None, [CompositionError("UNKNOWN_FEDERATION_LINK_VERSION", f"[{name}] {exc}", name)]
    except LinkError as exc:
        return None, [CompositionError("INVALID_LINK_DIRECTIVE_USAGE", f"[{name}] {exc}", name)]
    builder = _Builder(name, url, document, links)
    builder.check_known_directives()
    roots = builder.read_roots()
    composed, composed_links = builder.read_composed()
    builder.build_types()
    types = builder.types
    # Every subgraph answers `_entities`/`_service` on Query, so Query exists in all of them.
    if "Query" not in types:
        types["Query"] = TypeDef(name="Query", kind=Kind.OBJECT, has_definition=True)
    roots.setdefault("query", "Query")
    subgraph = Subgraph(
        name=name,
        url=url,
        federation_version=links.federation_version,
        types=types,
        root_types=roots,
        composed=composed,
        composed_links=composed_links,
        carried_names=builder.carried_names,
        executable_directives=builder.read_executable_directives(),
    )
    return subgraph, builder.errors
