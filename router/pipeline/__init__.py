"""The request pipeline between HTTP and the subgraphs."""

from router.pipeline.request import RequestError, SupergraphRequest, SupergraphResponse
from router.pipeline.service import SupergraphService
from router.pipeline.stages import BaseStage, Stage

__all__ = [
    "BaseStage",
    "RequestError",
    "Stage",
    "SupergraphRequest",
    "SupergraphResponse",
    "SupergraphService",
]
