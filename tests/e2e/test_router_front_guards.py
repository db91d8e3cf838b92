"""Through `healthgraph up --demo`'s router: CSRF, APQ, static cost and batching defaults."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from tests.support.stack import DemoStack

QUERY = "query FrontGuardKeys { prescriptionSigningKeys { kid } }"


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_front_guards_of_the_stack_router(demo_stack: DemoStack) -> None:
    url = demo_stack.url()
    # CSRF: a GET without a preflight header never reaches a subgraph; with one it runs
    blocked = httpx.get(url, params={"query": QUERY}, timeout=30)
    assert blocked.status_code == 400
    assert blocked.json()["errors"][0]["extensions"]["code"] == "CSRF_ERROR"
    preflight = {"apollo-require-preflight": "true"}
    allowed = httpx.get(url, params={"query": QUERY}, headers=preflight, timeout=30)
    assert allowed.status_code == 200
    assert "prescriptionSigningKeys" in allowed.json()["data"]
    # APQ: unknown hash, registration, then the hash alone
    extensions = {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(QUERY.encode()).hexdigest()}
    }
    missing = httpx.post(url, json={"extensions": extensions}, timeout=30)
    if missing.json().get("data") is None:  # not yet registered by an earlier run of this test
        assert missing.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        registered = httpx.post(url, json={"query": QUERY, "extensions": extensions}, timeout=30)
        assert registered.json()["data"] == allowed.json()["data"]
    hit = httpx.post(url, json={"extensions": extensions}, timeout=30)
    assert hit.json()["data"] == allowed.json()["data"]
    # batching is off by default
    batch = httpx.post(url, json=[{"query": QUERY}], timeout=30)
    assert batch.status_code == 400
    assert batch.json()["errors"][0]["extensions"]["code"] == "BATCHING_NOT_ENABLED"
