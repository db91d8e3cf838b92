"""Turn a request's `extensions.persistedQuery` into its query, and enforce the safelist (https://github.com/apollographql/apollo-link-persisted-queries#protocol)."""

from __future__ import annotations

import hashlib
from typing import Any

from router.persisted.manifest import Manifest
from router.persisted.store import QueryStore
from router.pipeline.request import RequestError

__all__ = [
    "HASH_MISMATCH",
    "ID_REQUIRED",
    "NOT_FOUND",
    "NOT_IN_LIST",
    "NOT_IN_SAFELIST",
    "NOT_SUPPORTED",
    "PersistedQueries",
    "query_hash",
]

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"  # the client sends the full query next (APQ)
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"  # an id the manifest does not hold
NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST"
ID_REQUIRED = "PERSISTED_QUERY_ID_REQUIRED"


def query_hash(query: str) -> str:
    """The APQ hash of a query: hex SHA-256 of its UTF-8 text."""
    return hashlib.sha256(query.encode()).hexdigest()


def _requested_hash(params: dict[str, Any]) -> str | None:
    extensions = params.get("extensions")
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise RequestError("Unsupported persisted query version.", NOT_SUPPORTED)
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not digest:
        raise RequestError("'persistedQuery.sha256Hash' must be a string.", "BAD_REQUEST")
    return digest


class PersistedQueries:
    """APQ (register a query under its hash, then send the hash alone) and trusted documents.

    With `safelist`, only the manifest's operations run: by id, or (unless `require_id`) by a
    body equal to one of the manifest's, layout and comments aside; APQ then stores nothing.
    """

    def __init__(
        self,
        store: QueryStore,
        *,
        apq: bool = True,
        manifest: Manifest | None = None,
        safelist: bool = False,
        require_id: bool = False,
    ) -> None:
        if safelist and manifest is None:
            raise ValueError("persisted query safelisting needs a manifest")
        self.store = store
        self.apq = apq and not safelist
        self.manifest = manifest
        self.safelist = safelist
        self.require_id = require_id

    async def _by_hash(self, digest: str, query: object) -> tuple[str | None, bool]:
        """The query a hash (or manifest id) stands for, and whether it came from the manifest."""
        known = self.manifest.bodies_by_id.get(digest) if self.manifest else None
        if known is not None:
            return known, True
        if isinstance(query, str):
            if not self.apq:
                raise RequestError("Automatic persisted queries are not enabled.", NOT_SUPPORTED)
            if query_hash(query) != digest.lower():
                raise RequestError("The query does not match its sha256Hash.", HASH_MISMATCH)
            await self.store.put(digest.lower(), query)
            return query, False
        if self.apq:
            stored = await self.store.get(digest.lower())
            if stored is None:  # HTTP 200, as Apollo Client's persisted query link expects
                raise RequestError("PersistedQueryNotFound", NOT_FOUND, status=200)
            return stored, False
        if self.manifest is not None:
            raise RequestError("The persisted query id is not in the list.", NOT_IN_LIST)
        raise RequestError("Persisted queries are not enabled.", NOT_SUPPORTED)

    async def resolve(self, params: dict[str, Any]) -> dict[str, Any]:
        """`params` with `query` filled in from its hash or id; raises `RequestError`."""
        digest = _requested_hash(params)
        query = params.get("query")
        from_manifest = False
        if digest is not None:
            query, from_manifest = await self._by_hash(digest, query)
        if self.safelist and not from_manifest:
            assert self.manifest is not None
            if self.require_id:
                raise RequestError("Operations must be sent by persisted query id.", ID_REQUIRED)
            if isinstance(query, str) and not self.manifest.allows(query):
                raise RequestError("The operation is not in the safelist.", NOT_IN_SAFELIST)
        if query is params.get("query"):
            return params
        return {**params, "query": query}
