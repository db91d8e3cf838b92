"""Clinical test fixtures: a migrated database, callers of every role, and the app over HTTP.

Callers carry the scopes the shared role table (:mod:`subgraphs.common.tokens.scopes`) grants
their role; over HTTP each call sends a real access token minted by :mod:`tests.support.tokens`
and checked by the real :class:`~subgraphs.common.tokens.JwtVerifier` over the static test JWKS.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from subgraphs.clinical.app import create_app
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from tests.conftest import ServiceDatabaseFactory
from tests.support.callers import ServiceApi, make_caller
from tests.support.tokens import JWKS


class ClinicalApi(ServiceApi):
    """The clinical app over in-process HTTP, with a helper to run GraphQL as any caller."""


@pytest.fixture
async def clinical_url(service_database: ServiceDatabaseFactory) -> str:
    return await service_database("clinical")


@pytest.fixture
async def database(clinical_url: str) -> AsyncIterator[Database]:
    """The service's database, migrated to head, fresh for this test."""
    db = Database(clinical_url)
    yield db
    await db.dispose()


def clinical_settings(database_url: str, *, key_path: Path, **overrides: Any) -> ClinicalSettings:
    """Test settings: this database, this prescription key file, and neither the outbox relay,
    the live feed, the audit store's consumer, the analytics consumer nor the gRPC calls to billing unless ``overrides``
    turn them on (they need ``kafka_bootstrap_servers``, or billing)."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": "test",
        "prescription_key_path": key_path,
        "outbox_relay_enabled": False,
        "live_enabled": False,
        "audit_store_enabled": False,
        "analytics_enabled": False,
        "billing_grpc_enabled": False,
        **overrides,
    }
    return ClinicalSettings(**values)


@asynccontextmanager
async def serving(settings: ClinicalSettings) -> AsyncIterator[ClinicalApi]:
    """The real app (``create_app``) on ``settings`` with its lifespan running, verifying
    tokens over :data:`JWKS`."""
    app = create_app(settings, jwks=JWKS)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
            yield ClinicalApi(http, app.state.service.database)


@pytest.fixture
async def clinical_api(clinical_url: str, tmp_path: Path) -> AsyncIterator[ClinicalApi]:
    """The real app on the test settings (:func:`serving`)."""
    async with serving(clinical_settings(clinical_url, key_path=tmp_path / "rx.pem")) as api:
        yield api


@pytest.fixture
def admin() -> Caller:
    return make_caller(Role.ADMIN)
