"""Field guards: declare ``@authenticated``/``@requiresScopes``/``@policy`` and enforce them here too.

Apollo authorization directives (https://www.apollographql.com/docs/graphos/routing/security/authorization):
the router may filter with them, but the subgraph never relies on that.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from subgraphs.clinical.access.scopes import ScopeRule
from subgraphs.clinical.fields import field
from subgraphs.common.context import Caller, RequestContext

__all__ = ["ScopeGuard", "guarded", "require_scopes"]

F = TypeVar("F", bound=Callable[..., Any])


def require_scopes(caller: Caller, rule: ScopeRule | None) -> None:
    """UNAUTHENTICATED when anonymous; FORBIDDEN when ``rule`` is given and not satisfied."""
    if rule is None:
        caller.require_authenticated()
    else:
        rule.require(caller)


class ScopeGuard(FieldExtension):
    """Checks the caller is signed in (and satisfies the scope rule) before the resolver runs."""

    def __init__(self, rule: ScopeRule | None) -> None:
        self.rule = rule

    def _check(self, info: Info[RequestContext, Any]) -> None:
        require_scopes(info.context.caller, self.rule)

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
    rule: ScopeRule | None = None,
    *,
    policy: str | None = None,
    description: str | None = None,
    subscription: bool = False,
) -> Callable[[F], F]:
    """A federation field marked ``@authenticated`` (+ ``@requiresScopes``/``@policy``), enforced.

    ``rule`` (any one of its scopes, from the shared role table) becomes ``@requiresScopes``.
    ``policy`` names the row-level rule the service layer applies (documented for the router;
    enforced by :mod:`subgraphs.clinical.access.policy`, never by the directive alone).
    A ``subscription`` field's caller may sign in through ``connection_init`` rather than the
    request, so its resolver checks the caller and ``rule`` itself
    (:func:`subgraphs.clinical.live.subscriber.subscriber`).
    """
    return field(
        description=description,
        authenticated=True,
        requires_scopes=rule.directive if rule is not None else None,
        policy=[[policy]] if policy else None,
        subscription=subscription,
        extensions=() if subscription else (ScopeGuard(rule),),
    )
