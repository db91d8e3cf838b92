"""Pluggable pipeline stages: where JWT auth, authorization, limits and telemetry hook in."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from graphql import DocumentNode, OperationDefinitionNode

from router.pipeline.request import SupergraphRequest, SupergraphResponse

__all__ = ["BaseStage", "Stage"]


@runtime_checkable
class Stage(Protocol):
    """One step around the core pipeline; raise `RequestError` to refuse a request."""

    async def on_request(self, request: SupergraphRequest) -> None:
        """Before parsing: authenticate, read headers, fill `request.context`."""

    def on_operation(
        self,
        request: SupergraphRequest,
        document: DocumentNode,
        operation: OperationDefinitionNode,
    ) -> None:
        """After validation, before planning: limits and authorization."""

    def on_response(self, request: SupergraphRequest, response: SupergraphResponse) -> None:
        """After execution: headers, metrics, audit."""


class BaseStage:
    """A stage that does nothing; subclass it and override the hooks you need."""

    async def on_request(self, request: SupergraphRequest) -> None:
        del request

    def on_operation(
        self,
        request: SupergraphRequest,
        document: DocumentNode,
        operation: OperationDefinitionNode,
    ) -> None:
        del request, document, operation

    def on_response(self, request: SupergraphRequest, response: SupergraphResponse) -> None:
        del request, response
