"""Compose Federation 2 subgraph SDLs into a supergraph SDL (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition)."""

from __future__ import annotations

from dataclasses import dataclass

from router.composition.auth import check_transitive_auth
from router.composition.build import build_subgraph
from router.composition.errors import CompositionError, CompositionFailedError
from router.composition.fed1 import check_fed1_extensions
from router.composition.merge import merge_subgraphs
from router.composition.metadata import SubgraphMetadata, analyse_subgraph
from router.composition.model import Subgraph
from router.composition.printer import print_supergraph
from router.composition.satisfiability import check_satisfiability
from router.composition.typesystem import validate_type_system

__all__ = ["CompositionResult", "SubgraphSource", "compose", "compose_or_raise"]


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    """A subgraph to compose: its name, routing URL and SDL."""

    name: str
    url: str
    sdl: str


@dataclass(frozen=True, slots=True)
class CompositionResult:
    """The supergraph SDL, or the errors that prevented composition."""

    supergraph: str | None
    errors: list[CompositionError]


def compose(
    sources: list[SubgraphSource], *, max_federation: tuple[int, int] | None = None
) -> CompositionResult:
    """Validate and merge the subgraphs; return the supergraph SDL or every error found.

    ``max_federation`` (from ``federation_version: =2.x.y``) refuses subgraphs that link a newer
    federation spec than the one pinned for composition.
    """
    names = [s.name for s in sources]
    errors = [
        CompositionError("INVALID_SUBGRAPH_NAME", f'Duplicate subgraph "{name}"', name)
        for name in sorted({n for n in names if names.count(n) > 1})
    ]
    if not sources:
        errors.append(CompositionError("NO_SUBGRAPHS", "At least one subgraph is required"))
    subgraphs: list[Subgraph] = []
    metas: list[SubgraphMetadata] = []
    for source in sorted(sources, key=lambda s: s.name):
        if source.name == "_":
            errors.append(
                CompositionError(
                    "INVALID_SUBGRAPH_NAME",
                    "Invalid name _ for a subgraph: this name is reserved",
                    source.name,
                )
            )
            continue
        subgraph, build_errors = build_subgraph(source.name, source.url, source.sdl)
        errors += build_errors
        if subgraph is None:
            continue
        version = subgraph.federation_version
        if max_federation is not None and version is not None and version > max_federation:
            errors.append(
                CompositionError(
                    "UNKNOWN_FEDERATION_LINK_VERSION",
                    f"[{source.name}] links federation v{version[0]}.{version[1]} but composition "
                    f"is pinned to federation {max_federation[0]}.{max_federation[1]}",
                    source.name,
                )
            )
        errors += validate_type_system(subgraph)
        meta, meta_errors = analyse_subgraph(subgraph)
        errors += meta_errors
        subgraphs.append(subgraph)
        metas.append(meta)
    errors += check_fed1_extensions(subgraphs)
    if errors:
        return CompositionResult(None, errors)
    supergraph, merge_errors = merge_subgraphs(subgraphs, metas)
    if merge_errors:
        return CompositionResult(None, merge_errors)
    post_merge = check_transitive_auth(supergraph, subgraphs)
    post_merge += check_satisfiability(supergraph, subgraphs, metas)
    if post_merge:
        return CompositionResult(None, post_merge)
    return CompositionResult(print_supergraph(supergraph), [])


def compose_or_raise(sources: list[SubgraphSource]) -> str:
    """Compose, raising :class:`CompositionFailedError` with every error on failure."""
    result = compose(sources)
    if result.supergraph is None:
        raise CompositionFailedError(result.errors)
    return result.supergraph
