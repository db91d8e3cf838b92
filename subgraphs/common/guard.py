"""The schema extension that holds every operation to its service's limits before it runs.

Parsing stops at ``max_tokens``; then, before graphql-core's own validation (whose cost grows
with the expanded operation), the operation is measured on its fragment graph
(:mod:`router.limits`, shared with the router) and its inputs checked (:mod:`subgraphs.common.inputs`). A
refused operation never reaches validation or a resolver.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension

from router.limits import OperationLimits, parser_violation
from subgraphs.common.errors import ErrorCode
from subgraphs.common.inputs import input_errors
from subgraphs.common.limits import ServiceLimits, limit_errors

__all__ = ["OperationGuard", "limits_of"]

DEFAULT_LIMITS = ServiceLimits()


def limits_of(context: object) -> ServiceLimits:
    """The limits a request context carries (the app sets them from settings), else defaults."""
    limits = getattr(context, "limits", None)
    return limits if isinstance(limits, ServiceLimits) else DEFAULT_LIMITS


class OperationGuard(SchemaExtension):
    """Token, depth, alias, root-field, directive and selection limits, and input hygiene."""

    def on_parse(self) -> Iterator[None]:
        limits = limits_of(self.execution_context.context)
        self.execution_context.parse_options["max_tokens"] = limits.operation.max_tokens
        yield
        for error in self.execution_context.pre_execution_errors or ():
            _tag_parser_limit(error, limits.operation)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            limits = limits_of(context.context)
            errors = limit_errors(document, limits.operation) or input_errors(
                document, context.variables, max_list_length=limits.max_list_length
            )
            if errors:
                # Set before validation runs, so Strawberry skips it and answers these.
                context.pre_execution_errors = errors
        yield
        for error in context.pre_execution_errors or ():
            if isinstance(error, ValidationAbortedError):  # graphql-core's own work budget
                error.extensions = {"code": ErrorCode.OPERATION_TOO_COMPLEX.value}


def _tag_parser_limit(error: GraphQLError, limits: OperationLimits) -> None:
    if error.original_error is not None or (error.extensions or {}).get("code"):
        return
    violation = parser_violation(error, limits)
    if violation is not None:
        error.extensions = {**(error.extensions or {}), **violation.extensions()}
