"""A clinical service app for tests of records, prescriptions and live subscriptions.

Before the merge with the people/scheduling half there is no ``subgraphs.clinical.app``; this
assembles the same kind of app from the kernel's ``create_service_app`` with our half's
``merge_types``-ready classes. At merge, :func:`build_app` should return the real
``subgraphs.clinical.app.create_app()`` (with a test token verifier).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from strawberry.federation import Schema
from strawberry.tools import merge_types

from subgraphs.clinical.live.lifespan import live_feed_lifespan
from subgraphs.clinical.live.resolvers import LiveSubscription
from subgraphs.clinical.live.settings import LiveSettings
from subgraphs.clinical.live.stream_errors import StreamErrorCodes
from subgraphs.clinical.prescriptions.jwks import prescription_keys_router
from subgraphs.clinical.prescriptions.registry import prescription_keys_lifespan
from subgraphs.clinical.prescriptions.resolvers import PrescriptionMutation, PrescriptionQuery
from subgraphs.clinical.prescriptions.settings import PrescriptionSettings
from subgraphs.clinical.prescriptions.types import Prescription
from subgraphs.clinical.records.resolvers import RecordMutation, RecordQuery
from subgraphs.clinical.records.types import MedicalRecord
from subgraphs.common.app import Lifespan, create_service_app
from subgraphs.common.database import Database
from subgraphs.common.errors import Unauthenticated
from subgraphs.common.graphql_errors import ErrorCodes
from subgraphs.common.settings import ServiceSettings
from tests.conftest import ServiceDatabaseFactory
from tests.subgraphs.clinical.standin import People, clinical_database, install_standins

__all__ = [
    "StaticTokens",
    "build_app",
    "build_schema",
    "clinical_url",
    "database",
    "gql",
    "people",
]


class StaticTokens:
    """Accepts ``test:<ROLE>:<user uuid>`` as an access token (tests only)."""

    async def verify(self, token: str) -> Mapping[str, Any]:
        prefix, _, rest = token.partition(":")
        role, _, user = rest.partition(":")
        if prefix != "test":
            raise Unauthenticated("Invalid access token.")
        return {"sub": str(uuid.UUID(user)), "role": role, "scope": "", "exp": 4102444800}


def build_schema() -> Schema:
    query = merge_types("Query", (RecordQuery, PrescriptionQuery))
    mutation = merge_types("Mutation", (RecordMutation, PrescriptionMutation))
    return Schema(
        query=query,
        mutation=mutation,
        subscription=merge_types("Subscription", (LiveSubscription,)),
        types=[MedicalRecord, Prescription],
        extensions=[ErrorCodes, StreamErrorCodes],
    )


def build_app(
    database_url: str,
    kafka_bootstrap: str,
    *,
    key_path: Path,
    live: LiveSettings | None = None,
    schema: Schema | None = None,
    lifespans: tuple[Lifespan, ...] = (),
) -> FastAPI:
    """The app; with ``live`` settings it also follows the live topics on the broker."""
    settings = ServiceSettings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        environment="test",
    )
    app = create_service_app(
        title="clinical (test)",
        settings=settings,
        schema=schema or build_schema(),
        lifespans=(
            prescription_keys_lifespan(PrescriptionSettings(prescription_key_path=key_path)),
            *((live_feed_lifespan(live),) if live is not None else ()),
            *lifespans,
        ),
    )
    app.include_router(prescription_keys_router())
    app.state.service.verifier = StaticTokens()
    return app


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> dict[str, Any]:
    """POST a GraphQL operation; the decoded response body."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def clinical_url(service_database: ServiceDatabaseFactory) -> str:
    install_standins()
    return await clinical_database(service_database)


@pytest.fixture
async def database(clinical_url: str) -> AsyncIterator[Database]:
    db = Database(clinical_url, pool_size=5)
    yield db
    await db.dispose()


@pytest.fixture
def people(database: Database) -> People:
    return People(database)


@pytest.fixture
async def client(
    clinical_url: str, kafka_bootstrap: str, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(clinical_url, kafka_bootstrap, key_path=tmp_path / "keys" / "rx.pem")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
            yield http
