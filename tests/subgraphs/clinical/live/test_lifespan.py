"""The live feed as part of the clinical app: readiness, and replicas that serve no subscriptions."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from subgraphs.clinical.app import create_app
from subgraphs.clinical.live.errors import LiveFeedUnavailable
from subgraphs.clinical.live.lifespan import LiveRuntime, feed_of
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.database import Database
from subgraphs.stack.ports import free_port
from tests.subgraphs.clinical.conftest import clinical_settings
from tests.support.tokens import JWKS


async def _ready(app: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
        return await http.get("/ready")


def _context(app: object, database: Database) -> RequestContext:
    context = RequestContext(caller=Caller.anonymous(), database=database, request_id="t")
    context.request = SimpleNamespace(app=app)  # type: ignore[assignment]
    return context


async def test_ready_waits_for_the_live_feed(
    clinical_url: str, kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = clinical_settings(
        clinical_url,
        key_path=tmp_path / "rx.pem",
        kafka_bootstrap_servers=kafka_bootstrap,
        live_enabled=True,
        live_fetch_max_wait_ms=15,
    )
    app = create_app(settings, jwks=JWKS)
    async with app.router.lifespan_context(app):
        runtime = feed_of(_context(app, app.state.service.database))
        assert isinstance(runtime, LiveRuntime)
        assert runtime.feed.fetch_max_wait_ms == 15  # its broker fetches wait this long at most
        await runtime.feed.wait_ready(15)
        response = await _ready(app)
        assert response.status_code == 200, response.json()
        assert response.json()["checks"]["live"] == "ok"


async def test_ready_reports_a_feed_without_broker(clinical_url: str, tmp_path: Path) -> None:
    settings = clinical_settings(
        clinical_url,
        key_path=tmp_path / "rx.pem",
        kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
        live_enabled=True,
    )
    app = create_app(settings, jwks=JWKS)
    async with app.router.lifespan_context(app):
        await asyncio.sleep(0.1)
        response = await _ready(app)
        assert response.status_code == 503
        assert response.json()["checks"]["live"] != "ok"
        with pytest.raises(LiveFeedUnavailable):
            await feed_of(_context(app, app.state.service.database)).feed.wait_ready(0.1)


async def test_a_replica_without_live_feed_refuses_subscriptions_clearly(
    clinical_url: str, tmp_path: Path
) -> None:
    app = create_app(clinical_settings(clinical_url, key_path=tmp_path / "rx.pem"), jwks=JWKS)
    async with app.router.lifespan_context(app):
        assert (await _ready(app)).json()["checks"]["live"] == "ok"
        with pytest.raises(LiveFeedUnavailable, match="serves no subscriptions"):
            feed_of(_context(app, app.state.service.database))
