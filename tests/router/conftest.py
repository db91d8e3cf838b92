"""Fixtures: the fake hospital subgraphs and a router in front of them, on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.router.hospital import Hospital, build_hospital
from tests.router.loopback import sample_sdl, serve_router


@pytest.fixture(scope="session")
def hospital() -> Hospital:
    return build_hospital()


@pytest.fixture(scope="session")
async def router_url(hospital: Hospital) -> AsyncIterator[str]:
    sdl = sample_sdl()
    async with serve_router(sdl, hospital.as_dict(), subgraph_timeout=2.0) as url:
        yield url


@pytest.fixture
async def client(router_url: str, hospital: Hospital) -> AsyncIterator[httpx.AsyncClient]:
    hospital.reset()
    async with httpx.AsyncClient(base_url=router_url, timeout=10) as http:
        yield http


async def post(client: httpx.AsyncClient, query: str, **extra: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, **extra})
