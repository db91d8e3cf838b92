"""Field guards: declare ``@authenticated``/``@requiresScopes``/``@policy`` and enforce them here too.

Apollo authorization directives (https://www.apollographql.com/docs/graphos/routing/security/authorization):
the router may filter with them, but the subgraph never relies on that.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from subgraphs.common.audit import AccessDenial, DenialReason, commit_denials
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import BadUserInput, Forbidden
from subgraphs.common.fields import field
from subgraphs.common.ids import parse_id
from subgraphs.common.tokens.rules import ScopeRule

__all__ = ["ScopeGuard", "guarded", "require_scopes"]

F = TypeVar("F", bound=Callable[..., Any])


def require_scopes(caller: Caller, rule: ScopeRule | None) -> None:
    """UNAUTHENTICATED when anonymous; FORBIDDEN when ``rule`` is given and not satisfied."""
    if rule is None:
        caller.require_authenticated()
    else:
        rule.require(caller)


def _scope_denial(
    caller: Caller, error: Forbidden, info: Info[RequestContext, Any], arguments: dict[str, Any]
) -> AccessDenial:
    """A signed-in caller refused a patient-data field for lack of scope, and what they asked."""
    patient_ids = []
    raw = arguments.get("patient_id")
    if raw is None and info.field_name == "patient":
        raw = arguments.get("id")
    if raw is not None:
        with contextlib.suppress(BadUserInput):  # not an id: nobody's data was reached
            patient_ids.append(parse_id(str(raw)))
    target = {"field": info.field_name}
    if "id" in arguments:
        target["id"] = str(arguments["id"])[:100]
    return AccessDenial(
        caller=caller,
        reason=DenialReason.MISSING_SCOPE,
        message=error.message,
        action="write" if info.operation.operation.value == "mutation" else "read",
        patient_ids=tuple(patient_ids),
        target=target,
    )


class ScopeGuard(FieldExtension):
    """Checks the caller is signed in (and satisfies the scope rule) before the resolver runs.

    On a patient-data field (``audited``), a signed-in caller refused for lack of scope is
    recorded as an ``access.denied`` audit event.
    """

    def __init__(self, rule: ScopeRule | None, *, audited: bool = False) -> None:
        self.rule = rule
        self.audited = audited

    def _check(self, info: Info[RequestContext, Any]) -> None:
        require_scopes(info.context.caller, self.rule)

    async def _check_audited(
        self, info: Info[RequestContext, Any], arguments: dict[str, Any]
    ) -> None:
        try:
            self._check(info)
        except Forbidden as error:
            context = info.context
            if self.audited:
                denial = _scope_denial(context.caller, error, info, arguments)
                await commit_denials(
                    context.database.engine, [denial], request_id=context.request_id
                )
            raise

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
        await self._check_audited(info, kwargs)
        return await next_(source, info, **kwargs)


def guarded(
    rule: ScopeRule | None = None,
    *,
    policy: str | None = None,
    audit_denials: bool | None = None,
    description: str | None = None,
    subscription: bool = False,
) -> Callable[[F], F]:
    """A federation field marked ``@authenticated`` (+ ``@requiresScopes``/``@policy``), enforced.

    ``rule`` (any one of its scopes, from the shared role table) becomes ``@requiresScopes``.
    ``policy`` names the row-level rule the service layer applies (documented for the router;
    enforced by the service's row rules, never by the directive alone).
    A signed-in caller refused for lack of scope is recorded as ``access.denied`` on fields
    reaching patient data: those with a ``policy``, unless ``audit_denials`` says otherwise.
    A ``subscription`` field's caller may sign in through ``connection_init`` rather than the
    request, so its resolver checks the caller and ``rule`` itself
    (e.g. :func:`subgraphs.clinical.live.subscriber.subscriber`).
    """
    audited = policy is not None if audit_denials is None else audit_denials
    return field(
        description=description,
        authenticated=True,
        requires_scopes=rule.directive if rule is not None else None,
        policy=[[policy]] if policy else None,
        subscription=subscription,
        extensions=() if subscription else (ScopeGuard(rule, audited=audited),),
    )
