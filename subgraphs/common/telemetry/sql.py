"""A client span per SQL statement (https://opentelemetry.io/docs/specs/semconv/database/), while tracing.

Statements are parameterised, so their text carries no values: patient data never reaches a span.
"""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from sqlalchemy import event
from sqlalchemy.engine import Engine

from router.telemetry.tracing import tracing

__all__ = ["trace_sql"]

_SPAN = "_healthgraph_span"


def _operation(statement: str) -> str:
    word = statement.lstrip().split(None, 1)
    return word[0].upper()[:20] if word else "SQL"


def _before(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    del conn, cursor, parameters, executemany
    tracer = tracing.tracer
    if tracer is None or context is None:
        return
    span = tracer.start_span(
        _operation(statement),
        kind=SpanKind.CLIENT,
        attributes={"db.system.name": "postgresql", "db.query.text": statement[:2000]},
    )
    setattr(context, _SPAN, span)


def _after(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    del conn, cursor, statement, parameters, executemany
    span: Span | None = getattr(context, _SPAN, None)
    if span is not None:
        span.end()
        setattr(context, _SPAN, None)


def _failed(exception_context: Any) -> None:
    context = exception_context.execution_context
    span: Span | None = getattr(context, _SPAN, None) if context is not None else None
    if span is not None:
        span.set_status(
            Status(StatusCode.ERROR, type(exception_context.original_exception).__name__)
        )
        span.end()
        setattr(context, _SPAN, None)


def trace_sql(engine: Engine) -> None:
    """Trace ``engine``'s statements (an AsyncEngine's ``sync_engine``); idempotent."""
    if event.contains(engine, "before_cursor_execute", _before):
        return
    event.listen(engine, "before_cursor_execute", _before)
    event.listen(engine, "after_cursor_execute", _after)
    event.listen(engine, "handle_error", _failed)
