"""Static cost of an operation from `@cost`/`@listSize` (https://specs.apollo.dev/cost/v0.1, IBM GraphQL Cost Directives)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    IntValueNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    SelectionSetNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    ValueNode,
    VariableNode,
    get_named_type,
    is_composite_type,
    is_list_type,
    parse,
)

from router.limits.errors import LimitExceeded, Violation

__all__ = ["COST_CODE", "SLICING_CODE", "CostLimits", "CostModel", "ListSize"]

COST_CODE = "COST_ESTIMATED_TOO_EXPENSIVE"  # Apollo Router's demand control code
SLICING_CODE = "COST_SLICING_ARGUMENT_REQUIRED"  # @listSize(requireOneSlicingArgument:) broken
_COST_SPEC = "https://specs.apollo.dev/cost/"
_MUTATION_COST = 10  # a mutation's own weight (Apollo demand control)


@dataclass(frozen=True, slots=True)
class CostLimits:
    """`max_cost` (0: no limit) and the size assumed for a list no `@listSize` sizes."""

    max_cost: int = 100_000
    list_size: int = 10


@dataclass(frozen=True, slots=True)
class ListSize:
    """One field's `@listSize`."""

    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] = ()
    sized_fields: tuple[str, ...] = ()
    require_one_slicing_argument: bool = True


class _NeedsSlicing(Exception):
    """A field with `requireOneSlicingArgument` did not get exactly one slicing argument."""


def _directive_names(document: DocumentNode) -> tuple[str, str]:
    """The names the supergraph gives `@cost` and `@listSize` (``@link`` imports and ``as``)."""
    cost, list_size = "cost", "cost__listSize"
    for node in document.definitions:
        if not isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for link in node.directives or ():
            args = {a.name.value: a.value for a in link.arguments or ()}
            url = args.get("url")
            if not isinstance(url, StringValueNode) or not url.value.startswith(_COST_SPEC):
                continue
            alias = args.get("as")
            namespace = alias.value if isinstance(alias, StringValueNode) else "cost"
            cost, list_size = namespace, f"{namespace}__listSize"
            imports = args.get("import")
            for item in imports.values if isinstance(imports, ListValueNode) else ():
                name = local = None
                if isinstance(item, StringValueNode):
                    name = local = item.value
                elif isinstance(item, ObjectValueNode):
                    fields = {f.name.value: f.value for f in item.fields}
                    given, renamed = fields.get("name"), fields.get("as")
                    name = given.value if isinstance(given, StringValueNode) else None
                    local = renamed.value if isinstance(renamed, StringValueNode) else name
                if name == "@listSize" and local:
                    list_size = local.removeprefix("@")
                elif name == "@cost" and local:
                    cost = local.removeprefix("@")
    return cost, list_size


def _argument(directive: DirectiveNode, name: str) -> ValueNode | None:
    return next((a.value for a in directive.arguments or () if a.name.value == name), None)


def _strings(value: ValueNode | None) -> tuple[str, ...]:
    items = value.values if isinstance(value, ListValueNode) else ((value,) if value else ())
    return tuple(v.value for v in items if isinstance(v, StringValueNode))


@dataclass(slots=True)
class CostModel:
    """Weights and list sizes read once from a supergraph's SDL."""

    type_weights: dict[str, int] = field(default_factory=dict)
    field_weights: dict[tuple[str, str], int] = field(default_factory=dict)
    argument_weights: dict[tuple[str, str, str], int] = field(default_factory=dict)
    list_sizes: dict[tuple[str, str], ListSize] = field(default_factory=dict)

    @classmethod
    def from_sdl(cls, sdl: str) -> CostModel:
        document = parse(sdl)
        cost, list_size = _directive_names(document)
        model = cls()

        def weight(directives: Any) -> int | None:
            for directive in directives or ():
                if directive.name.value == cost:
                    value = _argument(directive, "weight")
                    if isinstance(value, IntValueNode):
                        return int(value.value)
            return None

        def arguments(owner: str, name: str, values: Any) -> None:
            for value in values or ():
                assert isinstance(value, InputValueDefinitionNode)
                found = weight(value.directives)
                if found is not None:
                    model.argument_weights[owner, name, value.name.value] = found

        for node in document.definitions:
            if not isinstance(node, TypeDefinitionNode | TypeExtensionNode):
                continue
            type_name = node.name.value
            if (found := weight(node.directives)) is not None and isinstance(
                node, ObjectTypeDefinitionNode | ScalarTypeDefinitionNode | EnumTypeDefinitionNode
            ):
                model.type_weights[type_name] = found
            if isinstance(node, InputObjectTypeDefinitionNode):
                arguments(type_name, "", node.fields)  # input fields: (type, "", field)
                continue
            if not isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
                continue
            for definition in node.fields or ():
                assert isinstance(definition, FieldDefinitionNode)
                name = definition.name.value
                if (found := weight(definition.directives)) is not None:
                    model.field_weights[type_name, name] = found
                arguments(type_name, name, definition.arguments)
                for directive in definition.directives or ():
                    if directive.name.value == list_size:
                        model.list_sizes[type_name, name] = _list_size(directive)
        return model

    def estimate(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        limits: CostLimits,
    ) -> int:
        """The operation's static cost (raises `_NeedsSlicing` through `check`)."""
        return _Estimate(self, schema, document, variables, limits.list_size).operation(operation)

    def check(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        limits: CostLimits,
    ) -> int:
        """The cost, or `LimitExceeded` when it is over `limits.max_cost` (0: not checked)."""
        if not limits.max_cost:
            return 0
        try:
            cost = self.estimate(schema, document, operation, variables, limits)
        except _NeedsSlicing as error:
            raise LimitExceeded(
                Violation(str(error), SLICING_CODE, "max_cost", limits.max_cost)
            ) from None
        if cost > limits.max_cost:
            message = (
                f"The operation's estimated cost is {cost}, over the limit of {limits.max_cost} "
                "(max_cost)."
            )
            raise LimitExceeded(Violation(message, COST_CODE, "max_cost", limits.max_cost))
        return cost


def _list_size(directive: DirectiveNode) -> ListSize:
    assumed = _argument(directive, "assumedSize")
    require = _argument(directive, "requireOneSlicingArgument")
    return ListSize(
        assumed_size=int(assumed.value) if isinstance(assumed, IntValueNode) else None,
        slicing_arguments=_strings(_argument(directive, "slicingArguments")),
        sized_fields=_strings(_argument(directive, "sizedFields")),
        require_one_slicing_argument=not isinstance(require, BooleanValueNode) or require.value,
    )


class _Estimate:
    """One operation's cost: `count * (weight + children) + arguments` for every field."""

    def __init__(
        self,
        model: CostModel,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        list_size: int,
    ) -> None:
        self.model = model
        self.schema = schema
        self.variables = variables
        self.list_size = list_size
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[str, int] = {}  # fragment name -> cost (when no sized field applies)
        self.active: set[str] = set()  # fragments being costed (cycles count nothing)

    def operation(self, operation: OperationDefinitionNode) -> int:
        kind = operation.operation.value
        root = self.schema.get_root_type(operation.operation)
        own = _MUTATION_COST if kind == "mutation" else 0
        if root is None:
            return own
        return own + self.selections(operation.selection_set, root.name, None)

    def value(self, node: ValueNode) -> Any:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, ListValueNode):
            return [self.value(item) for item in node.values]
        if isinstance(node, ObjectValueNode):
            return {f.name.value: self.value(f.value) for f in node.fields}
        return None

    def input_cost(self, value: Any, input_type: GraphQLInputType) -> int:
        """Weights of the input fields set in `value` (lists: each item)."""
        while isinstance(input_type, GraphQLNonNull):
            input_type = input_type.of_type
        if isinstance(input_type, GraphQLList):
            items = value if isinstance(value, list) else [value]
            return sum(self.input_cost(item, input_type.of_type) for item in items)
        if not isinstance(input_type, GraphQLInputObjectType) or not isinstance(value, dict):
            return 0
        total = 0
        for name, item in value.items():
            definition = input_type.fields.get(name)
            if definition is None:
                continue
            total += self.model.argument_weights.get((input_type.name, "", name), 0)
            total += self.input_cost(item, definition.type)
        return total

    def arguments(self, parent: str, node: FieldNode, argument_types: Mapping[str, Any]) -> int:
        total = 0
        for argument in node.arguments or ():
            name = argument.name.value
            total += self.model.argument_weights.get((parent, node.name.value, name), 0)
            definition = argument_types.get(name)
            if definition is not None:
                total += self.input_cost(self.value(argument.value), definition.type)
        return total

    def slicing_size(self, size: ListSize, arguments: tuple[ArgumentNode, ...]) -> int | None:
        given = [
            value
            for argument in arguments
            if argument.name.value in size.slicing_arguments
            and isinstance(value := self.value(argument.value), int)
        ]
        if size.require_one_slicing_argument and size.slicing_arguments and len(given) != 1:
            names = ", ".join(size.slicing_arguments)
            raise _NeedsSlicing(f"Exactly one of the slicing arguments ({names}) is required.")
        if given:
            return max(given)
        return size.assumed_size

    def field(self, parent: str, node: FieldNode, upstream: int | None) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        parent_type = self.schema.get_type(parent)
        if not isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent_type.fields.get(name)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        size = self.model.list_sizes.get((parent, name))
        expected = self.slicing_size(size, tuple(node.arguments or ())) if size else None
        weight = self.model.field_weights.get((parent, name))
        if weight is None:
            weight = self.model.type_weights.get(named.name, 1 if is_composite_type(named) else 0)
        children = 0
        if node.selection_set is not None:
            sized = expected if size is not None and size.sized_fields else None
            children = self.selections(node.selection_set, named.name, (size, sized))
        count = 1
        if _is_list(definition.type):
            if upstream is not None:
                count = upstream
            elif expected is not None and not (size and size.sized_fields):
                count = expected
            else:
                count = self.list_size
        return count * (weight + children) + self.arguments(parent, node, definition.args)

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: str,
        sizing: tuple[ListSize | None, int | None] | None,
    ) -> int:
        """Sum over the selections (fragments on every possible type counted, a bound)."""
        size, sized = sizing or (None, None)
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                upstream = sized if size and node.name.value in size.sized_fields else None
                total += self.field(parent, node, upstream)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else parent
                total += self.selections(node.selection_set, condition, sizing)
            elif isinstance(node, FragmentSpreadNode):
                total += self.spread(node.name.value, sizing)
        return total

    def spread(self, name: str, sizing: tuple[ListSize | None, int | None] | None) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:
            return 0
        plain = sizing is None or sizing[0] is None or not sizing[0].sized_fields
        if plain and name in self.memo:
            return self.memo[name]
        self.active.add(name)
        try:
            cost = self.selections(
                fragment.selection_set, fragment.type_condition.name.value, sizing
            )
        finally:
            self.active.discard(name)
        if plain:
            self.memo[name] = cost
        return cost


def _is_list(graphql_type: Any) -> bool:
    while isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return is_list_type(graphql_type)
