"""Who is subscribing: the forwarded Authorization header, or the token in ``connection_init``.

graphql-transport-ws (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md): browsers
cannot set headers on a WebSocket, so clients send ``{"authorization": "Bearer <token>"}`` as
the ``connection_init`` payload. Long-lived subscriptions re-check the token's expiry.
"""

from __future__ import annotations

import time
from typing import Any

from subgraphs.common.app import ServiceState, bearer_token
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import Unauthenticated
from subgraphs.common.tokens.rules import ScopeRule

__all__ = ["ensure_unexpired", "subscriber"]

_TOKEN_KEYS = ("authorization", "Authorization", "token")


def _token(params: Any) -> str | None:
    if not isinstance(params, dict):
        return None
    for key in _TOKEN_KEYS:
        value = params.get(key)
        if isinstance(value, str) and value.strip():
            return bearer_token(value) if " " in value.strip() else value.strip()
    return None


async def subscriber(context: RequestContext, rule: ScopeRule) -> Caller:
    """The authenticated caller of a subscription, holding a scope of ``rule``.

    UNAUTHENTICATED when there is none (or the token is invalid); FORBIDDEN without the scope.
    """
    caller = await _authenticated(context)
    rule.require(caller)
    return caller


async def _authenticated(context: RequestContext) -> Caller:
    if context.caller.authenticated:
        return context.caller
    token = _token(context.connection_params)
    if token is None:
        raise Unauthenticated(
            "Sign in first: send your access token as 'authorization' in the connection_init "
            "payload (or an Authorization header)."
        )
    request = context.request
    state: ServiceState | None = getattr(request.app.state, "service", None) if request else None
    if state is None or state.verifier is None:
        raise Unauthenticated("This service cannot verify access tokens.")
    return Caller.from_claims(await state.verifier.verify(token))


def ensure_unexpired(caller: Caller, *, now: float | None = None) -> None:
    """UNAUTHENTICATED once the caller's access token has expired (checked on every event)."""
    expires = caller.claims.get("exp")
    if isinstance(expires, int | float) and expires <= (now if now is not None else time.time()):
        raise Unauthenticated("Your access token expired: reconnect with a fresh one.")
