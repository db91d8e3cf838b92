"""Supergraph model: the parsed join metadata and the API schema."""

from router.supergraph.model import Supergraph
from router.supergraph.parser import SupergraphError, load_supergraph, parse_supergraph

__all__ = ["Supergraph", "SupergraphError", "load_supergraph", "parse_supergraph"]
