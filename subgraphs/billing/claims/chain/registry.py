"""``ClaimRegistry`` for async code: the blocking web3 client runs on one dedicated thread.

One worker thread keeps the client's calls in order (web3 and eth-tester are not thread-safe, and
one sender's nonces must not race) while the event loop serves other requests.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from subgraphs.billing.claims.chain.client import (
    AnchoredClaim,
    ChainTransaction,
    ClaimRegistryClient,
)
from subgraphs.billing.claims.chain.settings import ChainSettings
from subgraphs.billing.claims.chain.status import ChainStatus

__all__ = ["ClaimRegistry"]

_T = TypeVar("_T")


class ClaimRegistry:
    """Async facade over :class:`ClaimRegistryClient`; :meth:`start` connects, :meth:`close` ends."""

    def __init__(self, settings: ChainSettings) -> None:
        self._settings = settings
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claim-registry")
        self._client: ClaimRegistryClient | None = None
        self._lock = asyncio.Lock()

    @property
    def address(self) -> str | None:
        """The contract's address once connected."""
        return None if self._client is None else str(self._client.contract.address)

    async def start(self) -> ClaimRegistryClient:
        """Connect (and deploy when no address is configured) unless already connected."""
        async with self._lock:
            if self._client is None:
                connect = functools.partial(ClaimRegistryClient.connect, self._settings)
                self._client = await self._run_raw(connect)
            return self._client

    async def close(self) -> None:
        """Stop the worker thread (waiting for a call in flight)."""
        await asyncio.get_running_loop().run_in_executor(
            None, functools.partial(self._executor.shutdown, wait=True)
        )

    async def anchor(self, claim_hash: bytes) -> ChainTransaction:
        client = await self.start()
        return await self._run_raw(functools.partial(client.anchor, claim_hash))

    async def set_status(self, claim_hash: bytes, status: ChainStatus) -> ChainTransaction:
        client = await self.start()
        return await self._run_raw(functools.partial(client.set_status, claim_hash, status))

    async def claim(self, claim_hash: bytes, *, address: str | None = None) -> AnchoredClaim:
        client = await self.start()
        return await self._run_raw(functools.partial(client.claim, claim_hash, address=address))

    async def anchored_hash(self, tx_hash: str, *, address: str | None = None) -> bytes | None:
        client = await self.start()
        return await self._run_raw(
            functools.partial(client.anchored_hash, tx_hash, address=address)
        )

    async def find_status_change(
        self, claim_hash: bytes, status: ChainStatus
    ) -> ChainTransaction | None:
        client = await self.start()
        return await self._run_raw(functools.partial(client.find_status_change, claim_hash, status))

    async def find_anchor(self, claim_hash: bytes) -> ChainTransaction | None:
        client = await self.start()
        return await self._run_raw(functools.partial(client.find_anchor, claim_hash))

    async def _run_raw(self, call: Callable[[], _T]) -> _T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)
