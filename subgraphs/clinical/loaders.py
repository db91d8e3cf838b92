"""Per-request DataLoaders over service batch functions: N lookups, one batch, one transaction.

:func:`load_batched` loads entities by key; :func:`load_grouped` loads what hangs off many
parents (each patient's appointments, say), keyed by (parent, arguments): the parents asked
with the same arguments cost one call of the batch function.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Protocol, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.pagination import Page
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import DomainError
from subgraphs.common.loaders import load_batched
from subgraphs.common.tokens.rules import ScopeRule

__all__ = [
    "GroupFetch",
    "PagesOfPatients",
    "load_grouped",
    "load_pages_of_patients",
    "single",
]

K = TypeVar("K", bound=Hashable)
A = TypeVar("A", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")

# (session, caller, parents, arguments) -> each parent's value, or the exception for it alone.
GroupFetch = Callable[[AsyncSession, Caller, list[K], A], Awaitable[Mapping[K, V | BaseException]]]


async def load_grouped(
    context: RequestContext,
    name: str,
    fetch: GroupFetch[K, A, V],
    parent: K,
    arguments: A,
    *,
    scopes: ScopeRule | None = None,
) -> V:
    """``parent``'s value for ``arguments``, batched with every other parent asked in the request.

    Keys are (parent, arguments); one batch calls ``fetch`` once per distinct ``arguments``
    (all in one transaction), so the statements a request costs do not grow with its parents.
    A domain error for one set of arguments (say an invalid ``first``) answers only its keys.
    """

    async def fetch_all(
        session: AsyncSession, caller: Caller, keys: list[tuple[K, A]]
    ) -> dict[tuple[K, A], V | BaseException]:
        parents: dict[A, list[K]] = {}
        for key_parent, key_arguments in keys:
            parents.setdefault(key_arguments, []).append(key_parent)
        found: dict[tuple[K, A], V | BaseException] = {}
        for group_arguments, group in parents.items():
            try:
                answers = await fetch(session, caller, group, group_arguments)
            except DomainError as error:
                found.update({(p, group_arguments): error for p in group})
            else:
                found.update({(p, group_arguments): answers[p] for p in group})
        return found

    return await load_batched(context, name, fetch_all, (parent, arguments), scopes=scopes)


class PagesOfPatients(Protocol[R]):
    """A service function answering a page of rows per patient (or the error refusing one)."""

    async def __call__(
        self,
        session: AsyncSession,
        *,
        caller: Caller,
        patient_ids: list[uuid.UUID],
        first: int | None,
        after: str | None,
    ) -> Mapping[uuid.UUID, Page[R] | DomainError]: ...


async def load_pages_of_patients(
    context: RequestContext,
    name: str,
    pages: PagesOfPatients[R],
    patient_id: uuid.UUID,
    *,
    first: int | None,
    after: str | None,
) -> Page[R]:
    """``patient_id``'s page of ``pages`` (e.g. their records), batched with the other patients."""

    async def fetch(
        session: AsyncSession,
        caller: Caller,
        ids: list[uuid.UUID],
        arguments: tuple[int | None, str | None],
    ) -> Mapping[uuid.UUID, Page[R] | DomainError]:
        return await pages(
            session, caller=caller, patient_ids=ids, first=arguments[0], after=arguments[1]
        )

    return await load_grouped(context, name, fetch, patient_id, (first, after))


def single(outcomes: Mapping[K, V | DomainError], key: K) -> V:
    """``key``'s value in a batch's answer, raising the error that refused it."""
    outcome = outcomes[key]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome
