"""Per-request DataLoaders over service batch functions: N entity lookups, one batch, one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.audit import audited_transaction
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.field_guard import require_scopes
from subgraphs.common.tokens.rules import ScopeRule

__all__ = ["BatchFetch", "load_batched"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# (session, caller, keys) -> every key's value, or the exception to raise for that key alone.
BatchFetch = Callable[[AsyncSession, Caller, list[K]], Awaitable[Mapping[K, V | BaseException]]]


async def load_batched(
    context: RequestContext,
    name: str,
    fetch: BatchFetch[K, V],
    key: K,
    *,
    scopes: ScopeRule | None = None,
) -> V:
    """``key``'s value through the request's loader ``name``, batched with the other keys asked.

    The batch checks the caller is signed in and satisfies ``scopes``, then runs ``fetch`` once
    in one transaction. ``fetch`` answers every key with a value or an exception for that key
    alone, so one forbidden entity in ``_entities`` does not fail its neighbours.
    """

    async def load(keys: list[K]) -> list[V | BaseException]:
        require_scopes(context.caller, scopes)
        async with audited_transaction(context) as session:
            found = await fetch(session, context.caller, keys)
        return [found[k] for k in keys]

    return await context.loaders.get(("loader", name), load).load(key)
