"""Canonical printing and comparison of supergraphs and their API schemas (https://specs.apollo.dev/join/v0.5)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    ConstArgumentNode,
    ConstDirectiveNode,
    ConstValueNode,
    DefinitionNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumValueDefinitionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectValueNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    StringValueNode,
    UnionTypeDefinitionNode,
    ValueNode,
    parse,
    print_ast,
)

from router.supergraph.api_schema import api_schema_document

__all__ = [
    "SupergraphComparison",
    "canonical_api_schema",
    "canonical_supergraph",
    "compare_supergraphs",
]

_TYPE_RANK: dict[type, int] = {
    SchemaDefinitionNode: 0,
    DirectiveDefinitionNode: 1,
    ScalarTypeDefinitionNode: 2,
    EnumTypeDefinitionNode: 3,
    InputObjectTypeDefinitionNode: 4,
    InterfaceTypeDefinitionNode: 5,
    ObjectTypeDefinitionNode: 6,
    UnionTypeDefinitionNode: 7,
}


def _name(node: Any) -> str:
    name = getattr(node, "name", None)
    return name.value if name is not None else ""


def _value(value: ValueNode) -> ValueNode:
    if isinstance(value, ObjectValueNode):
        return ObjectValueNode(fields=tuple(sorted(value.fields, key=_name)))
    if isinstance(value, ListValueNode):
        return ListValueNode(values=tuple(_value(v) for v in value.values))
    if isinstance(value, StringValueNode):
        return StringValueNode(value=value.value)
    return value


def _directives(directives: Sequence[DirectiveNode] | None) -> tuple[ConstDirectiveNode, ...]:
    result = [
        ConstDirectiveNode(
            name=d.name,
            arguments=tuple(
                ConstArgumentNode(name=a.name, value=cast("ConstValueNode", _value(a.value)))
                for a in sorted(d.arguments or (), key=_name)
            ),
        )
        for d in directives or ()
    ]
    return tuple(sorted(result, key=print_ast))


def _description(node: Any) -> StringValueNode | None:
    description = getattr(node, "description", None)
    return StringValueNode(value=description.value, block=True) if description else None


def _input_values(values: Sequence[InputValueDefinitionNode] | None) -> tuple[Any, ...]:
    return tuple(
        InputValueDefinitionNode(
            name=v.name,
            type=v.type,
            default_value=(
                cast("ConstValueNode", _value(v.default_value)) if v.default_value else None
            ),
            description=_description(v),
            directives=_directives(v.directives),
        )
        for v in sorted(values or (), key=_name)
    )


def _canonical_definition(node: DefinitionNode) -> DefinitionNode:  # noqa: PLR0911 -- one return per definition kind
    """Sort everything whose order carries no meaning: fields, arguments, directives, members."""
    if isinstance(node, SchemaDefinitionNode):
        return SchemaDefinitionNode(
            directives=_directives(node.directives),
            operation_types=tuple(sorted(node.operation_types, key=lambda o: o.operation.value)),
        )
    if isinstance(node, DirectiveDefinitionNode):
        return DirectiveDefinitionNode(
            name=node.name,
            description=_description(node),
            arguments=_input_values(node.arguments),
            repeatable=node.repeatable,
            locations=tuple(sorted(node.locations, key=_name)),
        )
    common: dict[str, Any] = {
        "name": node.name,  # type: ignore[attr-defined]
        "description": _description(node),
        "directives": _directives(node.directives),  # type: ignore[attr-defined]
    }
    if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        fields = tuple(
            FieldDefinitionNode(
                name=f.name,
                type=f.type,
                description=_description(f),
                arguments=_input_values(f.arguments),
                directives=_directives(f.directives),
            )
            for f in sorted(node.fields or (), key=_name)
        )
        interfaces = tuple(sorted(node.interfaces or (), key=_name))
        cls = type(node)
        return cls(**common, fields=fields, interfaces=interfaces)
    if isinstance(node, InputObjectTypeDefinitionNode):
        return InputObjectTypeDefinitionNode(**common, fields=_input_values(node.fields))
    if isinstance(node, EnumTypeDefinitionNode):
        values = tuple(
            EnumValueDefinitionNode(
                name=v.name, description=_description(v), directives=_directives(v.directives)
            )
            for v in sorted(node.values or (), key=_name)
        )
        return EnumTypeDefinitionNode(**common, values=values)
    if isinstance(node, UnionTypeDefinitionNode):
        return UnionTypeDefinitionNode(**common, types=tuple(sorted(node.types or (), key=_name)))
    if isinstance(node, ScalarTypeDefinitionNode):
        return ScalarTypeDefinitionNode(**common)
    return node


def _print_sorted(definitions: Sequence[DefinitionNode]) -> str:
    canonical = [_canonical_definition(d) for d in definitions]
    canonical.sort(key=lambda d: (_TYPE_RANK.get(type(d), 9), _name(d)))
    return print_ast(DocumentNode(definitions=tuple(canonical))) + "\n"


def canonical_supergraph(sdl: str) -> str:
    """The supergraph with definitions, fields, directives and arguments in a canonical order."""
    return _print_sorted(parse(sdl, no_location=True).definitions)


def canonical_api_schema(sdl: str) -> str:
    """The API schema of a supergraph, printed canonically."""
    return _print_sorted(api_schema_document(parse(sdl, no_location=True)).definitions)


@dataclass(frozen=True, slots=True)
class SupergraphComparison:
    """Whether two supergraphs agree on their API schema and on their join metadata."""

    api_equal: bool
    supergraph_equal: bool
    api_diff: str
    supergraph_diff: str

    @property
    def equal(self) -> bool:
        """Both API schema and join metadata agree."""
        return self.api_equal and self.supergraph_equal


def _diff(ours: str, theirs: str) -> str:
    return "".join(
        difflib.unified_diff(
            theirs.splitlines(keepends=True),
            ours.splitlines(keepends=True),
            "reference",
            "ours",
        )
    )


def compare_supergraphs(ours: str, theirs: str) -> SupergraphComparison:
    """Compare two supergraph SDLs after canonical sorting (API schema and full supergraph)."""
    api_ours, api_theirs = canonical_api_schema(ours), canonical_api_schema(theirs)
    full_ours, full_theirs = canonical_supergraph(ours), canonical_supergraph(theirs)
    return SupergraphComparison(
        api_equal=api_ours == api_theirs,
        supergraph_equal=full_ours == full_theirs,
        api_diff=_diff(api_ours, api_theirs),
        supergraph_diff=_diff(full_ours, full_theirs),
    )
