"""Process-wide objects a lifespan puts on ``app.state``, found again from a request's context."""

from __future__ import annotations

from typing import TypeVar

from subgraphs.common.context import RequestContext

__all__ = ["runtime_of"]

T = TypeVar("T")


def runtime_of(context: RequestContext, attribute: str, kind: type[T], *, lifespan: str) -> T:
    """``app.state.<attribute>`` of the app serving ``context`` (HTTP request or WebSocket)."""
    request = context.request
    found = getattr(request.app.state, attribute, None) if request is not None else None
    if not isinstance(found, kind):
        raise RuntimeError(  # noqa: TRY004 (a wiring mistake, not a bad argument type)
            f"{lifespan} is not part of this service's lifespans"
        )
    return found
