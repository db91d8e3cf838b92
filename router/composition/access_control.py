"""Access-control propagation to interfaces (https://www.apollographql.com/docs/graphos/routing/security/authorization)."""

from __future__ import annotations

from functools import partial

from router.composition.metadata import SubgraphMetadata
from router.composition.model import Applied, Kind, Subgraph

__all__ = ["access_control_sources"]


def _record_access_control(
    result: dict[str, dict[str, list[Applied]]], coordinate: str, applied: Applied
) -> None:
    """File ``applied`` under ``coordinate`` for each access-control directive it carries."""
    for name, present in (
        ("authenticated", applied.authenticated),
        ("requiresScopes", applied.scopes is not None),
        ("policy", applied.policies is not None),
    ):
        if present:
            result.setdefault(coordinate, {}).setdefault(name, []).append(applied)


def access_control_sources(
    subgraphs: list[Subgraph],
    metas: list[SubgraphMetadata],
    impl_to_itf: dict[str, list[str]],
    itf_to_impl: dict[str, list[str]],
) -> dict[str, dict[str, list[Applied]]]:
    """Extra sources of @authenticated/@requiresScopes/@policy per supergraph coordinate.

    Object types pass their requirements to the interfaces they implement, object fields to
    the same field of those interfaces, and ``@interfaceObject`` fields to the implementations.
    Keyed by coordinate (``Interface`` or ``Type.field``), then by directive name.
    """
    result: dict[str, dict[str, list[Applied]]] = {}
    record = partial(_record_access_control, result)
    for i, subgraph in enumerate(subgraphs):
        for typedef in subgraph.types.values():
            if typedef.kind is not Kind.OBJECT:
                continue
            for itf in impl_to_itf.get(typedef.name, []):
                record(itf, typedef.applied)
            for f in typedef.fields.values():
                if metas[i].is_external(f):
                    continue
                if not typedef.interface_object:
                    targets = impl_to_itf.get(typedef.name, [])
                else:  # to the implementations and their other interfaces
                    impls = itf_to_impl.get(typedef.name, [])
                    targets = impls + [
                        j for impl in impls for j in impl_to_itf[impl] if j != typedef.name
                    ]
                for target in dict.fromkeys(targets):
                    record(f"{target}.{f.name}", f.applied)
    return result
