"""Apollo Federation v2 composition: subgraph SDLs to a supergraph (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition)."""

from router.composition.canonical import (
    SupergraphComparison,
    canonical_api_schema,
    canonical_supergraph,
    compare_supergraphs,
)
from router.composition.compose import (
    CompositionResult,
    SubgraphSource,
    compose,
    compose_or_raise,
)
from router.composition.errors import CompositionError, CompositionFailedError
from router.composition.project import ProjectComposition, compose_project

__all__ = [
    "CompositionError",
    "CompositionFailedError",
    "CompositionResult",
    "ProjectComposition",
    "SubgraphSource",
    "SupergraphComparison",
    "canonical_api_schema",
    "canonical_supergraph",
    "compare_supergraphs",
    "compose",
    "compose_or_raise",
    "compose_project",
]
