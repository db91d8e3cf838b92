"""In-flight deduplication of identical subgraph queries (as Apollo Router's `query_deduplication`).

While a subgraph query is in flight, an identical one (same URL, same request body, i.e. same
document and variables, and same headers apart from the per-request ones) waits for its answer
instead of being sent again: a burst of equal entity fetches costs one call. Callers share the
raw HTTP answer, never a parsed one, so that each request merges into its own copy. Nothing is
kept once the answer arrived (this is no cache). Only queries are deduplicated, never mutations,
and the authorization context is part of the key: requests with different `Authorization` (or
any other forwarded header) never share an answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping

from router.execution.http1 import HttpResponse

__all__ = ["InFlightQueries", "is_query"]

_Key = tuple[str, bytes, tuple[tuple[str, str], ...]]


def is_query(document: str) -> bool:
    """True when the subgraph operation `document` is a query (shorthand `{ ... }` included)."""
    text = document.lstrip()
    return text.startswith(("{", "query"))


class InFlightQueries:
    """The queries in flight, each shared by every identical caller until it is answered.

    `ignored_headers` (lower case) are left out of the key: per-request identifiers such as the
    request id and the trace context, which differ between otherwise identical requests.
    """

    def __init__(self, ignored_headers: Collection[str] = ()) -> None:
        self._ignored = frozenset(name.lower() for name in ignored_headers)
        self._pending: dict[_Key, asyncio.Future[HttpResponse]] = {}
        self.sent = 0  # requests that went to a subgraph
        self.shared = 0  # requests answered by another one's call

    def key(self, url: str, body: bytes, headers: Mapping[str, str]) -> _Key:
        ignored = self._ignored
        return (
            url,
            body,
            tuple(
                sorted(
                    (name.lower(), value)
                    for name, value in headers.items()
                    if name.lower() not in ignored
                )
            ),
        )

    async def run(self, key: _Key, send: Callable[[], Awaitable[HttpResponse]]) -> HttpResponse:
        """`send()`'s answer, or that of the identical request already in flight."""
        pending = self._pending.get(key)
        if pending is not None:
            self.shared += 1
            # shielded: one caller cancelled (its client went away) cancels no other caller
            return await asyncio.shield(pending)
        self.sent += 1
        task = asyncio.ensure_future(send())
        self._pending[key] = task
        task.add_done_callback(lambda _: self._forget(key, task))
        return await asyncio.shield(task)

    def _forget(self, key: _Key, task: asyncio.Future[HttpResponse]) -> None:
        if self._pending.get(key) is task:
            del self._pending[key]
        if not task.cancelled():
            task.exception()  # retrieved: a failure nobody awaited any more is not logged

    def __len__(self) -> int:
        return len(self._pending)
