"""Clinical test fixtures: a migrated database, callers of every role, and the app over HTTP.

Tokens: until the shared JWT verifier and ``tests/support/tokens.py`` are merged, callers' tokens
are opaque strings checked by :class:`StandInVerifier`. It lives only here; swapping in the real
verifier means changing :func:`make_caller`'s token issuing and ``clinical_api``'s verifier.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest

from subgraphs.clinical.app import create_app
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import Unauthenticated
from tests.conftest import ServiceDatabaseFactory

# The role -> scope table the clinical subgraph expects the auth service to issue.
ROLE_SCOPES: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: (
        "patients:read",
        "patients:write",
        "staff:write",
        "appointments:read",
        "appointments:write",
        "schedule:write",
        "care_team:write",
        "records:read",
        "records:break_glass",
    ),
    Role.DOCTOR: (
        "patients:read",
        "appointments:read",
        "appointments:write",
        "schedule:write",
        "records:read",
        "records:write",
        "prescriptions:write",
        "records:break_glass",
    ),
    Role.STAFF: (
        "patients:read",
        "patients:write",
        "appointments:read",
        "appointments:write",
        "records:read",
        "records:write",
    ),
    Role.PATIENT: ("patients:read", "appointments:read", "appointments:write", "records:read"),
}


def make_caller(
    role: Role, *, user_id: uuid.UUID | None = None, scopes: tuple[str, ...] | None = None
) -> Caller:
    """A verified caller of ``role`` (default scopes from :data:`ROLE_SCOPES`)."""
    return Caller.from_claims(
        {
            "sub": str(user_id or uuid.uuid4()),
            "role": role.value,
            "scope": " ".join(ROLE_SCOPES[role] if scopes is None else scopes),
            "jti": uuid.uuid4().hex,
        }
    )


class StandInVerifier:
    """A stand-in token verifier: opaque tokens mapped to the claims they were issued for."""

    def __init__(self) -> None:
        self._claims: dict[str, Mapping[str, Any]] = {}

    def issue(self, caller: Caller) -> str:
        token = secrets.token_urlsafe(24)
        self._claims[token] = dict(caller.claims)
        return token

    async def verify(self, token: str) -> Mapping[str, Any]:
        claims = self._claims.get(token)
        if claims is None:
            raise Unauthenticated("Invalid access token.")
        return claims


class ClinicalApi:
    """The clinical app over in-process HTTP, with a helper to run GraphQL as any caller."""

    def __init__(self, http: httpx.AsyncClient, verifier: StandInVerifier, database: Database):
        self.http = http
        self.verifier = verifier
        self.database = database

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        caller: Caller | None = None,
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {self.verifier.issue(caller)}"} if caller else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": dict(variables or {})}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def clinical_url(service_database: ServiceDatabaseFactory) -> str:
    return await service_database("clinical")


@pytest.fixture
async def database(clinical_url: str) -> AsyncIterator[Database]:
    """The service's database, migrated to head, fresh for this test."""
    db = Database(clinical_url)
    yield db
    await db.dispose()


@pytest.fixture
async def clinical_api(clinical_url: str) -> AsyncIterator[ClinicalApi]:
    app = create_app(ClinicalSettings(database_url=clinical_url))
    verifier = StandInVerifier()
    app.state.service.verifier = verifier
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
        yield ClinicalApi(http, verifier, app.state.service.database)
    await app.state.service.database.dispose()


@pytest.fixture
def admin() -> Caller:
    return make_caller(Role.ADMIN)
