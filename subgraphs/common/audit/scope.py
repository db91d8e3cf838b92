"""The audited request transaction: the one shape of a resolver's work on someone's data.

Load, check access, audit, map errors: a resolver runs its service call inside
:func:`audited_transaction`. Audit events written in it carry the request id
(:func:`current_request_id`); access rules that refuse call :func:`deny`, and the denials are
recorded once the transaction is over (committed or rolled back) in a short transaction of
their own, so a refusal is kept although the refused operation raises and rolls back.
Outside an audited transaction (a subscription, a worker) :func:`deny` records at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.audit.denials import AccessDenial, commit_denials
from subgraphs.common.context import RequestContext

__all__ = ["audit_scope", "audited_transaction", "current_request_id", "deny", "serve", "serve_own"]

T = TypeVar("T")

logger = logging.getLogger(__name__)

_request_id: ContextVar[str | None] = ContextVar("healthgraph_request_id", default=None)
_pending: ContextVar[list[AccessDenial] | None] = ContextVar(
    "healthgraph_pending_denials", default=None
)


def current_request_id() -> str | None:
    """The id of the request being served (``x-request-id``), inside an audited transaction."""
    return _request_id.get()


async def deny(session: AsyncSession, denial: AccessDenial) -> None:
    """Record that access was refused, whatever becomes of ``session``'s transaction.

    Inside :func:`audited_transaction` the denial is written when that transaction ends;
    elsewhere at once, in a transaction of its own on ``session``'s engine.
    """
    pending = _pending.get()
    if pending is not None:
        pending.append(denial)
        return
    bind = session.bind
    if bind is None:
        raise RuntimeError("the session is bound to no database")
    engine = bind if isinstance(bind, AsyncEngine) else bind.engine
    await commit_denials(engine, [denial], request_id=current_request_id())


@asynccontextmanager
async def audit_scope(context: RequestContext) -> AsyncIterator[None]:
    """The request's audit scope: its id on audit events, its denials committed on their own.

    For service functions that own their transactions (e.g. booking, which re-runs its
    transaction after a deadlock). Errors are not caught: domain errors reach the client with
    their stable code, and the denial events are kept either way. A denial that cannot be
    written (database gone) is logged with its content rather than masking the outcome.
    """
    pending: list[AccessDenial] = []
    request_token = _request_id.set(context.request_id)
    pending_token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(pending_token)
        try:
            await commit_denials(context.database.engine, pending, request_id=context.request_id)
        except Exception:
            logger.exception(
                "could not record %d access denials of request %s: %s",
                len(pending),
                context.request_id,
                [(d.caller.actor, d.reason.value, d.patient_ids) for d in pending],
            )
        finally:
            _request_id.reset(request_token)


@asynccontextmanager
async def audited_transaction(context: RequestContext) -> AsyncIterator[AsyncSession]:
    """One transaction for a resolver's work, in the request's :func:`audit_scope`."""
    async with audit_scope(context), context.database.transaction() as session:
        yield session


async def serve(
    context: RequestContext, operation: Callable[..., Awaitable[T]], /, **arguments: Any
) -> T:
    """``operation(session, caller=<the caller>, **arguments)`` in :func:`audited_transaction`.

    The service function loads, checks access and writes the audit events; this runs it for the
    request's caller, commits, and records the denials, whatever the outcome.
    """
    async with audited_transaction(context) as session:
        return await operation(session, caller=context.caller, **arguments)


async def serve_own(
    context: RequestContext, operation: Callable[..., Awaitable[T]], /, **arguments: Any
) -> T:
    """``operation(database, caller=<the caller>, **arguments)`` in the request's :func:`audit_scope`.

    For service functions that run (and retry) their own transactions on the database.
    """
    async with audit_scope(context):
        return await operation(context.database, caller=context.caller, **arguments)
