"""The auth service on a fresh database and the session's real Redis, driven over HTTP (ASGI)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from subgraphs.auth.app import create_app
from subgraphs.auth.client import FORWARDED_SIGNATURE_HEADER
from subgraphs.auth.runtime import AuthRuntime
from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.users.models import User
from subgraphs.auth.users.service import register_user
from subgraphs.common.context import Role
from tests.conftest import ServiceDatabaseFactory

PASSWORD = "correct horse battery staple"
TEST_SECRET = base64.b64encode(b"k" * 32).decode()
# What the router and auth share to sign X-Forwarded-For (the test client plays the router).
FORWARDED_SECRET = "test-forwarded-secret"


def signed_forwarded_for(address: str, secret: str = FORWARDED_SECRET) -> dict[str, str]:
    """The headers our router sends for a client at ``address``."""
    signature = hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()
    return {"x-forwarded-for": address, FORWARDED_SIGNATURE_HEADER: signature}


def settings_for(
    database_url: str, redis_url: str, data_dir: Path, **overrides: Any
) -> AuthSettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "redis_url": redis_url,
        "data_dir": data_dir,
        "secret_key": TEST_SECRET,
        "forwarded_secret": FORWARDED_SECRET,
        "redis_key_prefix": f"test:{uuid.uuid4().hex}",
        # cheap argon2 for tests; the benchmark measures the production cost
        "password_time_cost": 1,
        "password_memory_kib": 1024,
        "password_parallelism": 1,
        "signing_key_cache_seconds": 0,
        **overrides,
    }
    return AuthSettings(**values)


@dataclass
class AuthService:
    app: FastAPI
    client: httpx.AsyncClient
    settings: AuthSettings

    @property
    def runtime(self) -> AuthRuntime:
        runtime: AuthRuntime = self.app.state.auth
        return runtime

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        ip: str | None = None,
    ) -> dict[str, Any]:
        headers = {}
        if token:
            headers["authorization"] = f"Bearer {token}"
        if ip:
            headers.update(signed_forwarded_for(ip))
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        body["_headers"] = dict(response.headers)
        return body

    async def user(
        self,
        email: str,
        role: Role = Role.PATIENT,
        *,
        password: str | None = PASSWORD,
        display_name: str = "Synthetic Person",
    ) -> User:
        async with self.runtime.database.transaction() as session:
            return await register_user(
                session,
                hashing=self.runtime.hashing,
                email=email,
                display_name=display_name,
                role=role,
                password=password,
                actor="test",
                source="test",
            )

    async def count(self, table: str, where: str = "true") -> int:
        async with self.runtime.database.session() as session:
            connection = await session.connection()
            result = await connection.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"))
            return int(result.scalar_one())

    async def events(self) -> list[str]:
        async with self.runtime.database.session() as session:
            connection = await session.connection()
            result = await connection.execute(
                text("SELECT type FROM outbox_event WHERE topic = 'auth.events' ORDER BY position")
            )
            return [row[0] for row in result]

    async def snapshot(self) -> dict[str, int]:
        """Row counts of every table a request could write (for "nothing written" checks)."""
        tables = [
            "auth_user",
            "refresh_token",
            "sign_in_challenge",
            "totp_credential",
            "recovery_code",
            "external_identity",
            "outbox_event",
        ]
        return {table: await self.count(table) for table in tables}

    async def login(self, email: str, password: str = PASSWORD, **kwargs: Any) -> dict[str, Any]:
        return await self.gql(LOGIN, {"email": email, "password": password}, **kwargs)

    async def sign_in(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        """Full tokens for a user without MFA (PATIENT)."""
        body = await self.login(email, password)
        payload: dict[str, Any] = body["data"]["login"]
        assert payload["accessToken"], body
        return payload

    async def sign_in_with_mfa(self, email: str, secret: str) -> dict[str, Any]:
        body = await self.login(email)
        token = body["data"]["login"]["mfaToken"]
        # the next step's code: the current one may already be spent (no reuse)
        code = pyotp.TOTP(secret).at(time.time() + 30)
        verified = await self.gql(VERIFY_MFA, {"t": token, "c": code})
        payload: dict[str, Any] = verified["data"]["verifyMfa"]
        return payload

    async def enrolled(self, email: str, role: Role) -> tuple[User, str]:
        """A user of ``role`` with confirmed TOTP (through the forced-enrolment flow); its secret."""
        user = await self.user(email, role)
        challenge = (await self.login(email))["data"]["login"]["mfaToken"]
        enrolment = await self.gql(ENROLL, {"t": challenge})
        secret = enrolment["data"]["enrollTotp"]["secret"]
        confirmed = await self.gql(CONFIRM, {"t": challenge, "c": pyotp.TOTP(secret).now()})
        assert confirmed["data"]["confirmTotp"]["accessToken"], confirmed
        return user, secret


LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    accessToken refreshToken expiresIn tokenType mfaRequired mfaEnrollmentRequired mfaToken
    user { id email role displayName }
  }
}"""
VERIFY_MFA = """mutation($t: String!, $c: String!) {
  verifyMfa(mfaToken: $t, code: $c) { accessToken refreshToken expiresIn user { id role } }
}"""
ENROLL = """mutation($t: String) { enrollTotp(mfaToken: $t) { secret otpauthUri qrCodeDataUri } }"""
CONFIRM = """mutation($t: String, $c: String!) {
  confirmTotp(mfaToken: $t, code: $c) { accessToken refreshToken recoveryCodes mfaRequired user { id } }
}"""
REFRESH = """mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken expiresIn } }"""
ME = "{ me { id email role status mfaEnabled displayName } }"


@pytest.fixture
async def auth_settings(
    service_database: ServiceDatabaseFactory, redis_url: str, tmp_path: Path
) -> AuthSettings:
    return settings_for(await service_database("auth"), redis_url, tmp_path / "auth")


@pytest.fixture
async def auth(auth_settings: AuthSettings) -> AsyncIterator[AuthService]:
    app = create_app(auth_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://auth.test") as client:
            yield AuthService(app=app, client=client, settings=auth_settings)
