"""APQ and trusted documents: which query a request stands for, or its stable refusal."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from router.persisted import (
    HASH_MISMATCH,
    ID_REQUIRED,
    NOT_FOUND,
    NOT_IN_LIST,
    NOT_IN_SAFELIST,
    NOT_SUPPORTED,
    Manifest,
    MemoryQueryStore,
    PersistedQueries,
    query_hash,
)
from router.pipeline import RequestError

QUERY = "{ patients { id } }"
LISTED = "query Listed { patients { id name } }"
MANIFEST = Manifest.from_operations({"listed-1": LISTED})


def _persisted(digest: str, query: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    }
    if query is not None:
        params["query"] = query
    return params


async def _refusal(persisted: PersistedQueries, params: dict[str, Any]) -> RequestError:
    with pytest.raises(RequestError) as caught:
        await persisted.resolve(params)
    return caught.value


def test_the_hash_is_sha256_hex() -> None:
    assert query_hash("{ a }") == hashlib.sha256(b"{ a }").hexdigest()


async def test_apq_registers_then_serves_by_hash() -> None:
    persisted = PersistedQueries(MemoryQueryStore(10))
    digest = query_hash(QUERY)
    missing = await _refusal(persisted, _persisted(digest))
    assert (missing.code, missing.status, missing.message) == (
        NOT_FOUND,
        200,
        "PersistedQueryNotFound",
    )
    registered = await persisted.resolve(_persisted(digest, QUERY))
    assert registered["query"] == QUERY
    again = await persisted.resolve({**_persisted(digest), "variables": {"a": 1}})
    assert again["query"] == QUERY
    assert again["variables"] == {"a": 1}


async def test_a_hash_that_does_not_match_is_refused() -> None:
    persisted = PersistedQueries(MemoryQueryStore(10))
    refusal = await _refusal(persisted, _persisted(query_hash("{ other }"), QUERY))
    assert (refusal.code, refusal.status) == (HASH_MISMATCH, 400)
    assert await persisted.store.get(query_hash("{ other }")) is None


async def test_bad_extensions_and_disabled_apq() -> None:
    persisted = PersistedQueries(MemoryQueryStore(10), apq=False)
    refusal = await _refusal(persisted, _persisted(query_hash(QUERY), QUERY))
    assert refusal.code == NOT_SUPPORTED
    version = {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "x"}}}
    assert (await _refusal(persisted, version)).code == NOT_SUPPORTED
    no_hash = {"extensions": {"persistedQuery": {"version": 1}}}
    assert (await _refusal(persisted, no_hash)).code == "BAD_REQUEST"
    plain = {"query": QUERY}
    assert await persisted.resolve(plain) is plain


async def test_manifest_ids_run_without_apq() -> None:
    persisted = PersistedQueries(MemoryQueryStore(10), apq=False, manifest=MANIFEST)
    assert (await persisted.resolve(_persisted("listed-1")))["query"] == LISTED
    assert (await _refusal(persisted, _persisted("unknown"))).code == NOT_IN_LIST
    assert (await persisted.resolve({"query": QUERY}))["query"] == QUERY  # no safelist


async def test_safelist_refuses_what_the_manifest_lacks() -> None:
    persisted = PersistedQueries(MemoryQueryStore(10), manifest=MANIFEST, safelist=True)
    assert (await persisted.resolve(_persisted("listed-1")))["query"] == LISTED
    assert (await persisted.resolve({"query": LISTED}))["query"] == LISTED
    assert (await _refusal(persisted, {"query": QUERY})).code == NOT_IN_SAFELIST
    # APQ cannot smuggle an operation in: nothing is registered or looked up
    assert (await _refusal(persisted, _persisted(query_hash(QUERY), QUERY))).code == NOT_SUPPORTED
    assert (await _refusal(persisted, _persisted(query_hash(QUERY)))).code == NOT_IN_LIST


async def test_safelist_can_require_ids() -> None:
    persisted = PersistedQueries(
        MemoryQueryStore(10), manifest=MANIFEST, safelist=True, require_id=True
    )
    assert (await persisted.resolve(_persisted("listed-1")))["query"] == LISTED
    assert (await _refusal(persisted, {"query": LISTED})).code == ID_REQUIRED


def test_a_safelist_needs_a_manifest() -> None:
    with pytest.raises(ValueError, match="manifest"):
        PersistedQueries(MemoryQueryStore(1), safelist=True)
