"""The supergraph service: parse, validate, plan, execute, shape (GraphQL spec sections 6 and 7)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import replace
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    SelectionSetNode,
    execute_sync,
    validate,
)
from graphql.execution.values import get_variable_values

from router.authorization import UNAUTHORIZED, Authorizer, Filtered
from router.execution import ExecutionContext, ResponseShaper, SubgraphClient
from router.execution import Executor as PlanExecutor
from router.limits import LimitExceeded, OperationLimits, check_document, parse_document
from router.pipeline.request import RequestError, SupergraphRequest, SupergraphResponse
from router.pipeline.stages import Stage
from router.planner import PlannedOperation, PlanningError, PlanningLimits, QueryPlanner
from router.planner.operation import OperationError, select_operation
from router.supergraph.model import Supergraph

__all__ = ["SupergraphService"]

logger = logging.getLogger("router.pipeline")

T = TypeVar("T")

_INTROSPECTION = frozenset({"__schema", "__type"})


def _graphql_errors(errors: list[GraphQLError], code: str) -> list[dict[str, Any]]:
    result = []
    for error in errors:
        formatted = error.formatted
        formatted.setdefault("extensions", {})["code"] = code
        result.append(dict(formatted))
    return result


def _limit_error(error: LimitExceeded) -> RequestError:
    return RequestError(error.message, error.code, extra=error.errors())


class SupergraphService:
    """One request through the stages: parse -> limits -> validate -> plan -> execute -> shape.

    Parsing, checking and validating a new document, planning a new operation and executing
    introspection are CPU work a hostile request can make long: with `offload` (a thread pool)
    they run there, so the event loop keeps serving (`/health` included) meanwhile. Caches are
    only touched on the event loop.
    """

    def __init__(
        self,
        supergraph: Supergraph,
        client: SubgraphClient,
        *,
        plan_cache_size: int = 1024,
        subgraph_timeout: float = 30.0,
        subgraph_timeouts: dict[str, float] | None = None,
        stages: Sequence[Stage] = (),
        operation_limits: OperationLimits | None = None,
        planning_limits: PlanningLimits | None = None,
        offload: Executor | None = None,
        authorizer: Authorizer | None = None,
    ) -> None:
        self.stages = tuple(stages)
        # directive authorization (router/authorization/); None: every field is forwarded
        self.authorizer = authorizer if authorizer is not None and authorizer.active else None
        self.supergraph = supergraph
        self.limits = operation_limits or OperationLimits()
        self.offload = offload
        self.planner = QueryPlanner(supergraph, cache_size=plan_cache_size, limits=planning_limits)
        self.executor = PlanExecutor(
            self.planner.view, client, timeout=subgraph_timeout, timeouts=subgraph_timeouts
        )
        self.shaper = ResponseShaper(supergraph.api_schema, self.planner.view)
        self._documents: dict[str, DocumentNode] = {}

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in the offload pool (inline without one)."""
        if self.offload is None:
            return function(*args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.offload, functools.partial(function, *args))

    # ------------------------------------------------------------------ stages
    def compile(self, query: str) -> DocumentNode:
        """Parse within the limits, check the operations' limits, then validate."""
        try:
            document = parse_document(query, self.limits)
            check_document(document, self.limits)
        except LimitExceeded as error:
            raise _limit_error(error) from None
        except GraphQLError as error:
            raise RequestError(
                error.message,
                "GRAPHQL_PARSE_FAILED",
                extra=_graphql_errors([error], "GRAPHQL_PARSE_FAILED"),
            ) from error
        errors = validate(self.supergraph.api_schema, document)
        if errors:
            raise RequestError(
                errors[0].message,
                "GRAPHQL_VALIDATION_FAILED",
                extra=_graphql_errors(errors, "GRAPHQL_VALIDATION_FAILED"),
            )
        return document

    async def parse(self, request: SupergraphRequest) -> DocumentNode:
        """The request's valid document (cached by query text)."""
        document = self._documents.get(request.query)
        if document is not None:
            return document
        document = await self._run(self.compile, request.query)
        if len(self._documents) > 4096:
            self._documents.clear()
        self._documents[request.query] = document
        return document

    def operation(
        self, document: DocumentNode, request: SupergraphRequest
    ) -> OperationDefinitionNode:
        try:
            operation = select_operation(document, request.operation_name)
        except OperationError as error:
            raise RequestError(str(error), "GRAPHQL_VALIDATION_FAILED") from error
        if request.method == "GET" and operation.operation.value != "query":
            raise RequestError(
                "Only queries may be sent with GET.", "METHOD_NOT_ALLOWED", status=405
            )
        if operation.operation.value == "subscription":
            raise RequestError(
                "Subscriptions are not supported over this transport.", "SUBSCRIPTION_NOT_SUPPORTED"
            )
        return operation

    def coerce_variables(
        self, operation: OperationDefinitionNode, request: SupergraphRequest
    ) -> dict[str, Any]:
        coerced = get_variable_values(
            self.supergraph.api_schema,
            operation.variable_definitions or (),
            dict(request.variables or {}),
        )
        if isinstance(coerced, list):  # graphql-core 3.2 returns errors as a list
            raise RequestError(
                coerced[0].message,
                "BAD_USER_INPUT",
                extra=_graphql_errors(coerced, "BAD_USER_INPUT"),
            )
        # subgraphs receive the client's values (coercion only validates them) plus defaults
        values = dict(request.variables or {})
        coerced_values: dict[str, Any] = coerced.coerced
        for name, value in coerced_values.items():
            values.setdefault(name, value)
        return values

    def introspect(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
        selections: tuple[FieldNode, ...],
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Execute the operation's introspection root `selections` against the API schema."""
        only = replace(operation, selection_set=SelectionSetNode(selections=selections))
        definitions = tuple(only if d is operation else d for d in document.definitions)
        result = execute_sync(
            self.supergraph.api_schema,
            DocumentNode(definitions=definitions),
            variable_values=variables,
            operation_name=operation.name.value if operation.name else None,
        )
        errors = [dict(e.formatted) for e in result.errors or ()]
        return result.data or {}, errors

    async def plan(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        request: SupergraphRequest,
        variables: dict[str, Any],
        *,
        variant: str = "",
    ) -> PlannedOperation:
        """The operation's plan (cached; a new one is built within the planning limits).

        ``variant`` tells apart the plans of rewritten forms of the request's document (the
        parts authorization left of it).
        """
        planner = self.planner
        key = planner.cache_key(
            document,
            operation,
            text=request.query + variant,
            operation_name=request.operation_name,
            variables=variables,
        )
        planned = planner.cache.get(key)
        if planned is not None:
            return planned
        try:
            planned = await self._run(planner.build, document, operation, variables)
        except LimitExceeded as error:
            raise _limit_error(error) from None
        except PlanningError as error:
            # a valid operation this supergraph cannot serve: the same answer every time
            logger.warning("query planning failed: %s", error)
            raise RequestError(str(error), "QUERY_PLANNING_FAILED") from error
        planner.cache.put(key, planned)
        return planned

    def authorize(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        request: SupergraphRequest,
    ) -> Filtered | None:
        """What directive authorization leaves of the operation (None: all of it), or a 403
        ``UNAUTHORIZED_FIELD_OR_TYPE`` refusal in reject mode."""
        if self.authorizer is None:
            return None
        key = (request.query, request.operation_name)
        filtered = self.authorizer.authorize(key, document, operation, request.claims)
        if filtered is not None and self.authorizer.reject_unauthorized:
            raise RequestError(
                "Unauthorized field or type", UNAUTHORIZED, status=403, extra=filtered.errors
            )
        return filtered

    async def handle(self, request: SupergraphRequest) -> SupergraphResponse:
        for stage in self.stages:
            await stage.on_request(request)
        document = await self.parse(request)
        operation = self.operation(document, request)
        variables = self.coerce_variables(operation, request)
        for stage in self.stages:
            stage.on_operation(request, document, operation)
        filtered = self.authorize(document, operation, request)
        if filtered is None:
            planned = shaped = await self.plan(document, operation, request, variables)
        else:
            # shaped to the client's operation minus removed fragments: removed fields are null
            variant = f"\x00authorization#{filtered.serial}"
            shaped = await self.plan(
                filtered.shape_document,
                filtered.shape_operation,
                request,
                variables,
                variant=variant + "shape",
            )
            planned = shaped
            if filtered.document is not None and filtered.operation is not None:
                planned = await self.plan(
                    filtered.document, filtered.operation, request, variables, variant=variant
                )
        context = ExecutionContext(variables=variables, headers=request.headers)
        if filtered is not None:
            context.errors.extend({**e, "path": list(e["path"])} for e in filtered.errors)
        introspection = tuple(
            s
            for s in operation.selection_set.selections
            if isinstance(s, FieldNode) and s.name.value in _INTROSPECTION
        )
        if introspection:
            introspected, errors = await self._run(
                self.introspect, document, operation, variables, introspection
            )
            context.data.update(introspected)
            context.errors.extend(errors)
        if filtered is None or filtered.operation is not None:
            await self.executor.execute(planned.plan, context)
        root = self.supergraph.root_types[shaped.operation.kind]
        data = self.shaper.shape(root, shaped.operation.selections, context.data, context.errors)
        response = SupergraphResponse(data=data, errors=context.errors)
        if request.context.get("expose_query_plan"):
            response.extensions["queryPlan"] = planned.plan.to_json()
        for stage in self.stages:
            stage.on_response(request, response)
        return response
