"""The supergraph service: parse, validate, plan, execute, shape (GraphQL spec sections 6 and 7)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
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
from router.hygiene import INTROSPECTION_CODE, INTROSPECTION_MESSAGE, introspects
from router.hygiene import without_suggestions as _without_suggestions
from router.limits import (
    CostLimits,
    CostModel,
    LimitExceeded,
    OperationLimits,
    check_document,
    parse_document,
)
from router.pipeline.request import RequestError, SupergraphRequest, SupergraphResponse
from router.pipeline.stages import Stage
from router.planner import PlannedOperation, PlanningError, PlanningLimits, QueryPlanner
from router.planner.cache import LRUCache
from router.planner.operation import OperationError, select_operation
from router.planner.subscription import (
    POSITION_ALIAS,
    SINCE_VARIABLE,
    SubscriptionPlan,
    plan_subscription,
)
from router.supergraph.model import Supergraph
from router.telemetry.router_metrics import PLAN_CACHE_HITS, PLAN_CACHE_MISSES
from router.telemetry.tracing import tracing

__all__ = ["PreparedSubscription", "SupergraphService"]

logger = logging.getLogger("router.pipeline")

T = TypeVar("T")
P = TypeVar("P")

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


@dataclass(frozen=True, slots=True)
class PreparedSubscription:
    """A planned client subscription: the subgraph subscription and how to finish each event."""

    service: SupergraphService
    plan: SubscriptionPlan
    variables: dict[str, Any]
    headers: dict[str, str]
    url: str
    timeout: float

    @property
    def since(self) -> Any:
        """Where the client asked to resume (None: from now on)."""
        return self.variables.get(SINCE_VARIABLE)

    def upstream_payload(self, since: Any) -> dict[str, Any]:
        """The subgraph's ``subscribe`` payload, resuming after ``since`` when resumable."""
        fetch = self.plan.root
        variables = {
            name: self.variables[name] for name in fetch.variable_usages if name in self.variables
        }
        if self.plan.resumable:
            variables[SINCE_VARIABLE] = since
        payload: dict[str, Any] = {"query": fetch.operation, "variables": variables}
        return payload


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
        cost_limits: CostLimits | None = None,
        introspection: bool = True,
        suggestions: bool = True,
    ) -> None:
        self.stages = tuple(stages)
        # directive authorization (router/authorization/); None: every field is forwarded
        self.authorizer = authorizer if authorizer is not None and authorizer.active else None
        self.supergraph = supergraph
        self.limits = operation_limits or OperationLimits()
        self.cost_limits = cost_limits or CostLimits()
        self.cost = CostModel.from_sdl(supergraph.sdl)
        self.introspection = introspection
        self.suggestions = suggestions
        self.offload = offload
        self.planner = QueryPlanner(supergraph, cache_size=plan_cache_size, limits=planning_limits)
        self.executor = PlanExecutor(
            self.planner.view, client, timeout=subgraph_timeout, timeouts=subgraph_timeouts
        )
        self.shaper = ResponseShaper(supergraph.api_schema, self.planner.view)
        self._documents: dict[str, DocumentNode] = {}
        self._subscriptions: LRUCache[SubscriptionPlan] = LRUCache(plan_cache_size)
        self.subgraph_timeout = subgraph_timeout
        self.subgraph_timeouts = dict(subgraph_timeouts or {})

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
            formatted = _graphql_errors(errors, "GRAPHQL_VALIDATION_FAILED")
            if not self.suggestions:
                formatted = _without_suggestions(formatted)
            raise RequestError(
                formatted[0]["message"], "GRAPHQL_VALIDATION_FAILED", extra=formatted
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
        self, document: DocumentNode, request: SupergraphRequest, *, subscription: bool = False
    ) -> OperationDefinitionNode:
        try:
            operation = select_operation(document, request.operation_name)
        except OperationError as error:
            raise RequestError(str(error), "GRAPHQL_VALIDATION_FAILED") from error
        kind = operation.operation.value
        # GET never changes anything: queries, and subscriptions on a streaming transport
        if request.method == "GET" and not (
            kind == "query" or (kind == "subscription" and subscription)
        ):
            raise RequestError(
                "Only queries may be sent with GET.", "METHOD_NOT_ALLOWED", status=405
            )
        if operation.operation.value == "subscription" and not subscription:
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

    def check_cost(
        self, document: DocumentNode, operation: OperationDefinitionNode, variables: dict[str, Any]
    ) -> None:
        """Refuse an operation whose static cost (`@cost`/`@listSize`) is over `max_cost`."""
        schema = self.supergraph.api_schema
        try:
            self.cost.check(schema, document, operation, variables, self.cost_limits)
        except LimitExceeded as error:
            raise _limit_error(error) from None

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
        return await self._cached(planner.cache, key, planner.build, document, operation, variables)

    async def _cached(
        self, cache: LRUCache[P], key: Hashable, build: Callable[..., P], *args: Any
    ) -> P:
        """A plan from `cache`, or `build(*args)` within the planning limits, then cached."""
        found = cache.get(key)
        if found is not None:
            PLAN_CACHE_HITS.inc()
            return found
        PLAN_CACHE_MISSES.inc()
        try:
            with tracing.span("graphql.plan"):
                built = await self._run(build, *args)
        except LimitExceeded as error:
            raise _limit_error(error) from None
        except PlanningError as error:
            # a valid operation this supergraph cannot serve: the same answer every time
            logger.warning("query planning failed: %s", error)
            raise RequestError(str(error), "QUERY_PLANNING_FAILED") from error
        cache.put(key, built)
        return built

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

    async def prepare(
        self, request: SupergraphRequest, *, subscription: bool = False
    ) -> tuple[DocumentNode, OperationDefinitionNode, dict[str, Any]]:
        """Stages, parse, limits, validation, operation and variables (subscriptions only on
        a transport that carries them)."""
        for stage in self.stages:
            await stage.on_request(request)
        document = await self.parse(request)
        operation = self.operation(document, request, subscription=subscription)
        if not self.introspection and introspects(document, operation):
            raise RequestError(INTROSPECTION_MESSAGE, INTROSPECTION_CODE)
        variables = self.coerce_variables(operation, request)
        self.check_cost(document, operation, variables)
        for stage in self.stages:
            stage.on_operation(request, document, operation)
        return document, operation, variables

    async def prepare_subscription(
        self,
        request: SupergraphRequest,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> PreparedSubscription:
        """Plan a subscription (cached): the subgraph owning its root field, then per event.

        Directive authorization runs once, at subscribe time: a subscription selecting any field
        its caller may not see is refused whole (events are never filtered one by one).
        """
        filtered = self.authorize(document, operation, request)
        if filtered is not None:
            raise RequestError(
                "Unauthorized field or type", UNAUTHORIZED, status=403, extra=filtered.errors
            )
        key = (
            "subscription",
            self.planner.cache_key(
                document,
                operation,
                text=request.query,
                operation_name=request.operation_name,
                variables=variables,
            ),
        )
        plan = await self._cached(
            self._subscriptions,
            key,
            plan_subscription,
            self.planner,
            document,
            operation,
            variables,
        )
        service = plan.root.service_name
        return PreparedSubscription(
            service=self,
            plan=plan,
            variables={**variables, SINCE_VARIABLE: plan.since_value(variables)},
            headers=dict(request.headers),
            url=self.executor.urls[service],
            timeout=self.subgraph_timeouts.get(service, self.subgraph_timeout),
        )

    async def resolve_event(
        self, prepared: PreparedSubscription, event: dict[str, Any]
    ) -> tuple[dict[str, Any], Any]:
        """One subscription event as the client sees it, and its position (None if unknown).

        The event is the root data of the rest of the plan: entity fetches resolve the fields
        other subgraphs own, then the response is shaped like any query's.
        """
        plan = prepared.plan
        context = ExecutionContext(variables=prepared.variables, headers=prepared.headers)
        self.executor.merge_root(event, plan.root.service_name, context)
        root_value = context.data.get(plan.response_key)
        position = root_value.get(POSITION_ALIAS) if isinstance(root_value, dict) else None
        if root_value is not None:
            await self.executor.execute(plan.rest, context)
        root = self.supergraph.root_types["subscription"]
        data = self.shaper.shape(root, plan.operation.selections, context.data, context.errors)
        response = SupergraphResponse(data=data, errors=context.errors)
        return response.body(), position

    async def handle(self, request: SupergraphRequest) -> SupergraphResponse:
        document, operation, variables = await self.prepare(request)
        return await self.execute(request, document, operation, variables)

    async def execute(
        self,
        request: SupergraphRequest,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> SupergraphResponse:
        """Authorize, plan and run a query or mutation that :meth:`prepare` accepted."""
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
