"""The router keeps answering `/health` while a hostile operation is parsed and planned."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from router.planner import PlannedOperation, QueryPlanner
from tests.router.conftest import post
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router
from tests.support.hostile import aliases

# the operation limits lifted, so that the work reaches the planner and its deadline
UNLIMITED = {
    "max_tokens": 10**6,
    "max_aliases": 10**6,
    "max_root_fields": 10**6,
    "max_selections": 10**9,
}


@pytest.mark.timeout(120)
async def test_health_answers_while_a_hostile_operation_is_planned(
    hospital: Hospital, monkeypatch: pytest.MonkeyPatch
) -> None:
    planning = threading.Event()  # set while the planner works (observed, not changed)
    build = QueryPlanner.build

    def observed(self: QueryPlanner, *args: Any) -> PlannedOperation:
        planning.set()
        try:
            return build(self, *args)
        finally:
            planning.clear()

    monkeypatch.setattr(QueryPlanner, "build", observed)
    hospital.reset()
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), planning_timeout=1.0, **UNLIMITED) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as http,
    ):
        # the router serves on this test's event loop: a probe answered while the planner
        # works proves that planning does not hold the loop
        hostile = asyncio.create_task(post(http, aliases(10_000, "patients { id }")))
        during: list[int] = []
        while not hostile.done():
            health = await http.get("/health")
            if planning.is_set():
                during.append(health.status_code)
            await asyncio.sleep(0.02)
        response = hostile.result()
    assert during
    assert set(during) == {200}
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_PLANNING_LIMIT_EXCEEDED"
    assert error["extensions"]["limit"] == "planning_timeout"
    assert not any(s.requests for s in hospital.as_dict().values())
