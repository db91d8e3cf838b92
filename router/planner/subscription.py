"""Plan a subscription: its root field to the owning subgraph, the rest per event (Apollo Federation subscriptions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLInputType,
    GraphQLObjectType,
    NameNode,
    OperationDefinitionNode,
    Undefined,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
    parse_type,
    value_from_ast,
)

from router.planner.builder import PlanBuilder
from router.planner.errors import PlanningError
from router.planner.limits import PlanningBudget
from router.planner.nodes import FetchNode, QueryPlan, SequenceNode
from router.planner.operation import Field, Operation, normalize
from router.planner.planner import QueryPlanner

__all__ = ["POSITION_ALIAS", "SINCE_VARIABLE", "SubscriptionPlan", "plan_subscription"]

SINCE_VARIABLE = "_hgSince"  # the resume argument, always sent as this variable
POSITION_ALIAS = "_hgPosition"  # the position field, added to the subgraph's selection


@dataclass(frozen=True, slots=True)
class SubscriptionPlan:
    """The subgraph subscription and what each of its events still needs.

    ``operation`` is the client's (normalized) operation, for shaping every event; ``root`` the
    subscription sent to the owning subgraph; ``rest`` the entity fetches each event runs
    through (``QueryPlan(None)`` when the root subgraph serves everything). When the root field
    takes the resume argument (``since``) and returns the position field, ``resumable`` is true:
    ``root`` then takes ``$_hgSince`` and selects the position as ``_hgPosition``.
    """

    operation: Operation
    root: FetchNode
    rest: QueryPlan
    response_key: str
    resumable: bool
    since: ValueNode | None = None
    since_type: GraphQLInputType | None = None

    def since_value(self, variables: Mapping[str, Any]) -> Any:
        """The client's ``since`` (a literal or one of its variables), None when not given."""
        if self.since is None or self.since_type is None:
            return None
        value = value_from_ast(self.since, self.since_type, dict(variables))
        return None if value is Undefined else value


def _root_field(operation: Operation) -> Field:
    fields = [s for s in operation.selections if isinstance(s, Field) and s.name != "__typename"]
    if len(fields) != 1 or len(operation.selections) != 1:
        raise PlanningError("A subscription selects exactly one root field (no fragments).")
    return fields[0]


def _split(plan: QueryPlan) -> tuple[FetchNode, QueryPlan]:
    node = plan.node
    if isinstance(node, FetchNode) and node.operation_kind == "subscription":
        return node, QueryPlan(None)
    if isinstance(node, SequenceNode) and node.nodes:
        first = node.nodes[0]
        if isinstance(first, FetchNode) and first.operation_kind == "subscription":
            rest = node.nodes[1:]
            return first, QueryPlan(rest[0] if len(rest) == 1 else SequenceNode(rest))
    raise PlanningError("A subscription's root field must be served by a single subgraph.")


def plan_subscription(
    planner: QueryPlanner,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    *,
    resume_argument: str = "since",
    position_field: str = "position",
) -> SubscriptionPlan:
    """Plan ``operation`` (a subscription) within the planner's limits."""
    budget = PlanningBudget(planner.limits)
    normalized = normalize(document, operation, variables, budget=budget)
    field = _root_field(normalized)
    schema = planner.supergraph.api_schema
    root_type = schema.subscription_type
    definition = root_type.fields.get(field.name) if root_type is not None else None
    if definition is None:
        raise PlanningError(f"no subscription field {field.name}")
    returned = get_named_type(definition.type)
    resume = definition.args.get(resume_argument)
    resumable = (
        resume is not None
        and isinstance(returned, GraphQLObjectType)
        and position_field in returned.fields
    )
    since: ValueNode | None = None
    planned = normalized
    if resumable:
        assert resume is not None
        given = next((a for a in field.arguments if a.name.value == resume_argument), None)
        if given is not None:
            since = given.value
        arguments = tuple(a for a in field.arguments if a.name.value != resume_argument)
        arguments += (
            ArgumentNode(
                name=NameNode(value=resume_argument),
                value=VariableNode(name=NameNode(value=SINCE_VARIABLE)),
            ),
        )
        selections = list(field.selections or [])
        selections.append(Field(position_field, POSITION_ALIAS))
        root = Field(field.name, field.alias, arguments, selections)
        definitions = dict(normalized.variable_definitions)
        definitions[SINCE_VARIABLE] = VariableDefinitionNode(
            variable=VariableNode(name=NameNode(value=SINCE_VARIABLE)),
            type=parse_type(str(resume.type)),
            directives=(),
        )
        planned = Operation(normalized.kind, normalized.name, [root], definitions)
    plan = PlanBuilder(planner.view, planned, budget).build()
    fetch, rest = _split(plan)
    return SubscriptionPlan(
        normalized,
        fetch,
        rest,
        field.response_key,
        resumable,
        since,
        resume.type if resume is not None else None,
    )
