"""Where verification keys come from: a static JWK Set, or one fetched over HTTP and cached (RFC 7517)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import httpx

from router.auth.keys import JwksError, VerificationKey, parse_jwks

__all__ = ["JwksSource", "RemoteJwks", "StaticJwks"]

logger = logging.getLogger(__name__)


class JwksSource(Protocol):
    """Looks up a verification key by ``kid``; None when the key is unknown."""

    async def key(self, kid: str) -> VerificationKey | None: ...


class StaticJwks:
    """A fixed JWK Set (tests, or keys configured by hand)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._keys = parse_jwks(document)

    async def key(self, kid: str) -> VerificationKey | None:
        return self._keys.get(kid)


class RemoteJwks:
    """A JWK Set fetched from one configured URL, cached, and refreshed when it goes stale.

    An unknown ``kid`` triggers a refresh at most once per ``min_refresh_interval`` seconds, so a
    stream of tokens with made-up key ids cannot make us hammer the key server. The URL is fixed at
    construction: nothing in a token (``kid``, ``jku``, ``x5u``) ever chooses where keys come from.
    """

    def __init__(
        self,
        url: str,
        *,
        client: httpx.AsyncClient | None = None,
        max_age: float = 300.0,
        min_refresh_interval: float = 30.0,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._client = client
        self._owns_client = client is None
        self._max_age = max_age
        self._min_refresh_interval = min_refresh_interval
        self._timeout = timeout
        self._clock = clock
        self._keys: dict[str, VerificationKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    def cached(self, kid: str) -> VerificationKey | None:
        """The key ``kid`` as of the last refresh, without refreshing."""
        return self._keys.get(kid)

    async def key(self, kid: str) -> VerificationKey | None:
        stale = self._fetched_at is None or self._clock() - self._fetched_at >= self._max_age
        if stale or kid not in self._keys:
            await self._refresh()
        return self._keys.get(kid)

    async def refresh_periodically(self) -> None:
        """Refresh the set every ``max_age`` seconds until cancelled, so a rotated key is known
        (and a retired one dropped) before any token needs it: rotation needs no restart."""
        while True:
            await self._refresh(force=True)
            await asyncio.sleep(self._max_age)

    async def _refresh(self, *, force: bool = False) -> None:
        async with self._lock:
            now = self._clock()
            if (
                not force
                and self._attempted_at is not None
                and now - self._attempted_at < self._min_refresh_interval
            ):
                return  # fetched (or tried) a moment ago, maybe by a task we waited for
            self._attempted_at = now
            try:
                self._keys = parse_jwks(await self._fetch())
            except (httpx.HTTPError, ValueError) as exc:
                # Keep the keys we have: a key-server hiccup must not log everybody out.
                logger.warning("could not refresh the JWK Set from %s: %s", self.url, exc)
                return
            self._fetched_at = now

    async def _fetch(self) -> Mapping[str, Any]:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout)
        response = await self._client.get(self.url, headers={"accept": "application/json"})
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise JwksError("the JWK Set is not a JSON object")
        return document

    async def aclose(self) -> None:
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None
