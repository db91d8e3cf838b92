"""Stable error codes on every result of a subscription stream, not only on single results.

The kernel's ``ErrorCodes`` formats errors when an operation ends; a subscription's events are
sent one by one through Strawberry's ``on_stream_result`` hook, so without this extension a
domain error raised in a subscription would reach the client without its ``extensions.code``
(and an unexpected one unmasked).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from subgraphs.common.graphql_errors import format_error

__all__ = ["StreamErrorCodes"]


class StreamErrorCodes(SchemaExtension):
    """Apply the kernel's ``format_error`` to each streamed result's errors before it is sent."""

    def on_stream_result(self, result: Any) -> Iterator[None]:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [format_error(error) for error in errors]
        yield
