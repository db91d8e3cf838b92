"""Parse and resolve ``FieldSet`` selections of @key/@requires/@provides (https://specs.apollo.dev/federation/v2.11#FieldSet)."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from router.composition.model import Field, Kind, Subgraph

__all__ = ["FieldSetError", "Target", "base_type", "collect_targets", "parse_field_set"]


class FieldSetError(ValueError):
    """A field set that does not parse or does not match the schema."""


@dataclass(frozen=True, slots=True)
class Target:
    """A field a field set selects, and whether it was reached through a nested selection."""

    field: Field
    nested: bool
    has_args: bool
    ancestors: tuple[Field, ...] = ()
    expanded: bool = False  # added as an implementation of a selected interface field


def base_type(type_ref: str) -> str:
    """The named type at the bottom of a type reference: ``[Foo!]!`` -> ``Foo``."""
    return type_ref.replace("[", "").replace("]", "").replace("!", "")


def parse_field_set(fields: str) -> SelectionSetNode:
    """Parse a field set string as the selection set of an anonymous query."""
    try:
        document = parse(f"{{{fields}}}", no_location=True)
    except GraphQLSyntaxError as exc:
        raise FieldSetError(f"Invalid FieldSet: {exc.message}") from exc
    operation = document.definitions[0]
    if len(document.definitions) != 1 or not isinstance(operation, OperationDefinitionNode):
        raise FieldSetError("Invalid FieldSet: expected a selection set")
    return operation.selection_set


def collect_targets(
    subgraph: Subgraph,
    parent: str,
    fields: str,
    *,
    include_implementations: bool,
) -> list[Target]:
    """Every field the field set selects, starting at type ``parent`` of ``subgraph``."""
    selection_set = parse_field_set(fields)
    targets: list[Target] = []
    _walk(subgraph, parent, selection_set, targets, include_implementations, ())
    return targets


def _implementations(subgraph: Subgraph, interface: str) -> list[str]:
    return [
        t.name
        for t in subgraph.types.values()
        if t.kind is Kind.OBJECT and interface in t.interfaces
    ]


def _walk(  # noqa: PLR0912 -- mirrors the selection kinds of a field set
    subgraph: Subgraph,
    parent: str,
    selection_set: SelectionSetNode,
    targets: list[Target],
    include_implementations: bool,
    ancestors: tuple[Field, ...],
) -> None:
    typedef = subgraph.types.get(parent)
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else parent
            if condition not in subgraph.types:
                raise FieldSetError(f'Unknown type "{condition}"')
            _walk(
                subgraph,
                condition,
                selection.selection_set,
                targets,
                include_implementations,
                ancestors,
            )
            continue
        if not isinstance(selection, FieldNode):
            raise FieldSetError("fragment spreads are not allowed in a field set")
        name = selection.name.value
        if name == "__typename":
            continue
        if typedef is None or typedef.kind not in {Kind.OBJECT, Kind.INTERFACE}:
            raise FieldSetError(f'Cannot query field "{name}" on type "{parent}"')
        field = typedef.fields.get(name)
        if field is None:
            raise FieldSetError(f'Cannot query field "{name}" on type "{parent}"')
        has_args = bool(selection.arguments)
        targets.append(Target(field, bool(ancestors), has_args, ancestors))
        if typedef.kind is Kind.INTERFACE and include_implementations:
            for implementation in _implementations(subgraph, parent):
                implemented = subgraph.types[implementation].fields.get(name)
                if implemented is not None:
                    targets.append(
                        Target(implemented, bool(ancestors), has_args, ancestors, expanded=True)
                    )
        child = base_type(field.type)
        child_def = subgraph.types.get(child)
        is_composite = child_def is not None and child_def.kind in {
            Kind.OBJECT,
            Kind.INTERFACE,
            Kind.UNION,
        }
        if selection.selection_set is not None:
            if not is_composite:
                raise FieldSetError(
                    f'Field "{name}" must not have a selection since type "{field.type}" '
                    "has no subfields."
                )
            _walk(
                subgraph,
                child,
                selection.selection_set,
                targets,
                include_implementations,
                (*ancestors, field),
            )
        elif is_composite:
            raise FieldSetError(
                f'Field "{name}" of type "{field.type}" must have a selection of subfields.'
            )
