"""Turns resolver exceptions into GraphQL errors with a stable ``extensions.code`` and no internals."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from subgraphs.common.errors import DomainError, ErrorCode

__all__ = ["ErrorCodes", "format_error"]

logger = logging.getLogger(__name__)


def _reissued(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    """``error`` at the same place, with the client-facing ``message`` and ``extensions``."""
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def format_error(error: GraphQLError) -> GraphQLError:
    """The client-facing form of ``error``: domain errors keep their message, others are masked."""
    original = error.original_error
    extensions = error.extensions or {}
    if isinstance(original, DomainError):
        return _reissued(error, original.message, {**extensions, **original.as_extensions()})
    if isinstance(original, GraphQLError):
        # A scalar or input type refused a variable's value: the client's mistake.
        code = (original.extensions or {}).get("code") or ErrorCode.BAD_USER_INPUT.value
        return _reissued(error, error.message, {**extensions, "code": code})
    if original is None:
        # Raised by graphql-core itself: syntax, validation or variable coercion errors.
        code = extensions.get("code") or (
            ErrorCode.GRAPHQL_PARSE_FAILED
            if error.message.startswith("Syntax Error")
            else ErrorCode.GRAPHQL_VALIDATION_FAILED
            if error.path is None
            else ErrorCode.BAD_USER_INPUT
        )
        return _reissued(error, error.message, {**extensions, "code": str(code)})
    logger.error("unexpected error at %s", error.path, exc_info=original)
    return _reissued(
        error, "Internal server error.", {"code": ErrorCode.INTERNAL_SERVER_ERROR.value}
    )


class ErrorCodes(SchemaExtension):
    """Apply :func:`format_error` to every error of every result, streamed ones included.

    A single result is formatted when its operation ends; the results of a stream (each event
    of a subscription, or an operation sent over a WebSocket) are formatted one by one before
    they are sent, so a domain error raised mid-stream keeps its ``extensions.code`` too.
    """

    def on_operation(self) -> Iterator[None]:
        self._streamed = False
        yield
        if self._streamed:
            return  # every result already went out formatted through on_stream_result
        result = self.execution_context.result
        raw = getattr(result, "errors", None)
        _format_result(result)
        pre_errors = self.execution_context.pre_execution_errors
        if pre_errors is raw:  # the same errors: format (and log) them once
            self.execution_context.pre_execution_errors = getattr(result, "errors", None)
        elif pre_errors:
            self.execution_context.pre_execution_errors = [format_error(e) for e in pre_errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        self._streamed = True
        _format_result(result)
        yield


def _format_result(result: Any) -> None:
    errors = getattr(result, "errors", None)
    if errors:
        result.errors = [format_error(error) for error in errors]
