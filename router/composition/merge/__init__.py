"""Merging subgraphs into a supergraph, one Federation 2 composition rule per module (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition).

Each step is a class that extends the one before, so a rule may use every earlier one:
``context`` (shared state) > ``arguments`` > ``override`` > ``sharing`` > ``externals`` >
``fields`` > ``enums_inputs`` > ``interfaces`` > ``types`` > ``supergraph`` (the driver).
"""

from router.composition.merge.context import graph_enum_name
from router.composition.merge.supergraph import merge_subgraphs

__all__ = ["graph_enum_name", "merge_subgraphs"]
