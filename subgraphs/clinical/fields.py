"""The typed federation field decorator (:func:`subgraphs.common.fields.field`)."""

from subgraphs.common.fields import field

__all__ = ["field"]
