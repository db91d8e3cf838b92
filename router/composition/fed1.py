"""Checks Apollo runs while upgrading Federation 1 subgraphs (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/moving-to-federation-2)."""

from __future__ import annotations

from router.composition.errors import CompositionError
from router.composition.model import Kind, Subgraph

__all__ = ["check_fed1_extensions"]

_ROOTS = frozenset({"Query", "Mutation", "Subscription"})


def check_fed1_extensions(subgraphs: list[Subgraph]) -> list[CompositionError]:
    """EXTENSION_WITH_NO_BASE for fed1 ``extend type``/``@extends`` no subgraph defines."""
    errors = []
    for subgraph in subgraphs:
        if subgraph.is_fed2:
            continue
        for typedef in subgraph.types.values():
            if typedef.kind not in {Kind.OBJECT, Kind.INTERFACE} or typedef.name in _ROOTS:
                continue
            is_extension = (typedef.has_extension or typedef.extends) and (
                typedef.extends or not typedef.has_definition
            )
            if not is_extension:
                continue
            based = any(
                other is not subgraph
                and typedef.name in other.types
                and other.types[typedef.name].has_definition
                for other in subgraphs
            )
            if not based:
                errors.append(
                    CompositionError(
                        "EXTENSION_WITH_NO_BASE",
                        f'[{subgraph.name}] Type "{typedef.name}" is an extension type, but there '
                        f'is no type definition for "{typedef.name}" in any subgraph.',
                        subgraph.name,
                        typedef.name,
                    )
                )
    return errors
