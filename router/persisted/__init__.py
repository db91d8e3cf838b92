"""Persisted queries: automatic persisted queries (APQ) and a trusted-documents manifest."""

from router.persisted.manifest import Manifest, ManifestError, load_manifest
from router.persisted.resolve import (
    HASH_MISMATCH,
    ID_REQUIRED,
    NOT_FOUND,
    NOT_IN_LIST,
    NOT_IN_SAFELIST,
    NOT_SUPPORTED,
    PersistedQueries,
    query_hash,
)
from router.persisted.store import MemoryQueryStore, QueryStore, RedisQueryStore

__all__ = [
    "HASH_MISMATCH",
    "ID_REQUIRED",
    "NOT_FOUND",
    "NOT_IN_LIST",
    "NOT_IN_SAFELIST",
    "NOT_SUPPORTED",
    "Manifest",
    "ManifestError",
    "MemoryQueryStore",
    "PersistedQueries",
    "QueryStore",
    "RedisQueryStore",
    "load_manifest",
    "query_hash",
]
