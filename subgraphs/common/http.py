"""GraphQL over HTTP for every service: a time budget per operation, 400 for refused requests.

GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/): a request error may be
answered with a 4xx status under ``application/graphql-response+json``; a client that accepts
only ``application/json`` keeps getting 200.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from graphql import GraphQLError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from router.limits import LIMIT_CODES
from subgraphs.common.errors import ErrorCode

__all__ = ["ServiceGraphQLRouter", "refusal_status"]

logger = logging.getLogger(__name__)

_GRAPHQL_RESPONSE = "application/graphql-response+json"
# Refused before execution: the whole request is the client's mistake.
_REQUEST_ERROR_CODES = frozenset(
    {*LIMIT_CODES, ErrorCode.OPERATION_TOO_COMPLEX.value, ErrorCode.BAD_USER_INPUT.value}
)


def refusal_status(result: ExecutionResult, accept: str | None) -> int | None:
    """400 when ``result`` refuses the request before execution and ``accept`` allows a 4xx."""
    if result.data is not None or not result.errors:
        return None
    if any(error.path for error in result.errors):
        return None  # a field failed while executing: the request itself was fine
    codes = {(error.extensions or {}).get("code") for error in result.errors}
    if not codes <= _REQUEST_ERROR_CODES:
        return None
    accepted = (accept or "").lower()
    if "application/json" in accepted and _GRAPHQL_RESPONSE not in accepted:
        return None  # a legacy client: 200 with the errors
    return 400


class ServiceGraphQLRouter(GraphQLRouter[Any, Any]):
    """Strawberry's router with a ``timeout`` (seconds) on every HTTP operation."""

    def __init__(self, *args: Any, timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout = timeout

    def decode_json(self, data: str | bytes) -> object:
        """JSON of the request; nesting too deep for the decoder is a malformed body (400)."""
        try:
            return super().decode_json(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None

    async def execute_single(
        self,
        request: Any,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        deadline = asyncio.timeout(self.timeout)
        try:
            async with deadline:
                result = await super().execute_single(
                    request, request_adapter, sub_response, context, root_value, request_data
                )
        except TimeoutError:
            if not deadline.expired():
                raise
            logger.warning(
                "operation %s timed out after %ss (request %s)",
                request_data.operation_name or "(anonymous)",
                self.timeout,
                getattr(context, "request_id", "-"),
            )
            error = GraphQLError(
                f"The operation did not finish within {self.timeout:g} seconds.",
                extensions={"code": ErrorCode.OPERATION_TIMEOUT.value},
            )
            return ExecutionResult(data=None, errors=[error])
        status = refusal_status(result, request_adapter.headers.get("accept"))
        if status is not None:
            sub_response.status_code = status
        return result
