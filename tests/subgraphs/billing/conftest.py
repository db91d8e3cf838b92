"""Billing test fixtures: a migrated database, callers of every role, and the app over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from subgraphs.billing.app import create_app
from subgraphs.billing.settings import BillingSettings
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from tests.conftest import ServiceDatabaseFactory
from tests.support.callers import ServiceApi, make_caller
from tests.support.tokens import JWKS


def billing_settings(database_url: str, **overrides: Any) -> BillingSettings:
    """Test settings: this database; no outbox relay and no consumer unless ``overrides`` say so."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": "test",
        "outbox_relay_enabled": False,
        "appointment_consumer_enabled": False,
        **overrides,
    }
    return BillingSettings(**values)


class BillingApi(ServiceApi):
    """The billing app over in-process HTTP, with a helper to run GraphQL as any caller."""


@pytest.fixture
async def billing_url(service_database: ServiceDatabaseFactory) -> str:
    return await service_database("billing")


@pytest.fixture
async def database(billing_url: str) -> AsyncIterator[Database]:
    """The service's database, migrated to head, fresh for this test."""
    db = Database(billing_url)
    yield db
    await db.dispose()


@pytest.fixture
async def billing_api(billing_url: str) -> AsyncIterator[BillingApi]:
    """The real app with its lifespan running, verifying tokens over :data:`JWKS`."""
    app = create_app(billing_settings(billing_url), jwks=JWKS)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://billing") as http:
            yield BillingApi(http, app.state.service.database)


@pytest.fixture
def staff() -> Caller:
    return make_caller(Role.STAFF)


@pytest.fixture
def admin() -> Caller:
    return make_caller(Role.ADMIN)


def patient_caller() -> tuple[Caller, uuid.UUID]:
    """A patient's caller and the (clinical) patient id their account is for."""
    return make_caller(Role.PATIENT), uuid.uuid4()
