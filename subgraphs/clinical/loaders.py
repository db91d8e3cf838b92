"""Per-request DataLoaders over service batch functions: N lookups, one batch, one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.clinical.access.guard import require_scopes
from subgraphs.clinical.access.scopes import Scope
from subgraphs.common.context import RequestContext

__all__ = ["batch_loader"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

BatchFetch = Callable[[AsyncSession, list[K]], Awaitable[Mapping[K, V | BaseException]]]


def batch_loader(
    context: RequestContext,
    name: str,
    fetch: BatchFetch[K, V],
    *,
    scopes: Sequence[Scope] = (),
) -> DataLoader[K, V]:
    """The request's loader called ``name``: checks ``scopes``, then runs ``fetch`` once per batch.

    ``fetch`` answers every key with a value or the exception to raise for that key alone (so one
    forbidden entity in ``_entities`` does not fail its neighbours).
    """

    async def load(keys: list[K]) -> list[V | BaseException]:
        require_scopes(context.caller, scopes)
        async with context.database.transaction() as session:
            found = await fetch(session, keys)
        return [found[key] for key in keys]

    return context.loaders.get(("clinical", name), load)
