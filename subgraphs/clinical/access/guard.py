"""Field guards: declare ``@authenticated``/``@requiresScopes``/``@policy`` and enforce them here too.

Apollo authorization directives (https://www.apollographql.com/docs/graphos/routing/security/authorization):
the router may filter with them, but the subgraph never relies on that.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info

from subgraphs.clinical.access.scopes import Scope
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import Forbidden

__all__ = ["ScopeGuard", "guarded", "require_scopes"]

F = TypeVar("F", bound=Callable[..., Any])


def require_scopes(caller: Caller, scopes: Sequence[Scope]) -> None:
    """UNAUTHENTICATED when anonymous; FORBIDDEN naming the missing scopes when any is absent."""
    caller.require_authenticated()
    missing = [scope.value for scope in scopes if scope.value not in caller.scopes]
    if missing:
        raise Forbidden(
            f"Your access token lacks the scope {', '.join(missing)}.",
            extensions={"missingScopes": missing},
        )


class ScopeGuard(FieldExtension):
    """Checks the caller is signed in and holds every scope before the resolver runs."""

    def __init__(self, scopes: Sequence[Scope]) -> None:
        self.scopes = tuple(scopes)

    def _check(self, info: Info[RequestContext, Any]) -> None:
        require_scopes(info.context.caller, self.scopes)

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[RequestContext, Any], **kwargs: Any
    ) -> Any:
        self._check(info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[RequestContext, Any],
        **kwargs: Any,
    ) -> Any:
        self._check(info)
        return await next_(source, info, **kwargs)


def guarded(
    *scopes: Scope, policy: str | None = None, description: str | None = None
) -> Callable[[F], F]:
    """A federation field marked ``@authenticated`` (+ ``@requiresScopes``/``@policy``), enforced.

    ``policy`` names the row-level rule the service layer applies (documented for the router;
    enforced by :mod:`subgraphs.clinical.access.policy`, never by the directive alone).
    """
    directives: dict[str, Any] = {"authenticated": True}
    if scopes:
        directives["requires_scopes"] = [[scope.value for scope in scopes]]
    if policy:
        directives["policy"] = [[policy]]
    field: Callable[[F], F] = strawberry.federation.field(
        description=description, extensions=[ScopeGuard(scopes)], **directives
    )
    return field
