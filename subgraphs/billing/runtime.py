"""The settings of the app serving a request (for defaults such as the currency)."""

from __future__ import annotations

from typing import TypeVar

from pydantic_settings import BaseSettings

from subgraphs.common.context import RequestContext
from subgraphs.common.state import ServiceState

__all__ = ["settings_of"]

S = TypeVar("S", bound=BaseSettings)


def settings_of(context: RequestContext, kind: type[S]) -> S:
    """The serving app's settings as ``kind`` (a mixin of the service's settings class); the
    defaults of ``kind`` outside an app (tests of a bare schema)."""
    request = context.request
    state = getattr(request.app.state, "service", None) if request is not None else None
    settings = state.settings if isinstance(state, ServiceState) else None
    return settings if isinstance(settings, kind) else kind()
