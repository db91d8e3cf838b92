"""GraphQL ``ID`` values of clinical entities are UUIDs (:func:`subgraphs.common.ids.parse_id`)."""

from subgraphs.common.ids import parse_id

__all__ = ["parse_id"]
