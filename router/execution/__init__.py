"""Plan execution: subgraph fetches, entity merging and response shaping."""

from router.execution.client import SubgraphClient, SubgraphFetchError
from router.execution.executor import ExecutionContext, Executor
from router.execution.response import ResponseShaper

__all__ = ["ExecutionContext", "Executor", "ResponseShaper", "SubgraphClient", "SubgraphFetchError"]
