"""The request pipeline between HTTP and the subgraphs."""

from router.pipeline.request import RequestError, SupergraphRequest, SupergraphResponse
from router.pipeline.service import SupergraphService

__all__ = ["RequestError", "SupergraphRequest", "SupergraphResponse", "SupergraphService"]
