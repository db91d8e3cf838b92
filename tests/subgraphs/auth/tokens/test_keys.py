"""Signing keys: rotation keeps old tokens valid until they expire; restarts log nobody out."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.exceptions import InvalidTag
from sqlmodel import select

from subgraphs.auth.app import create_app
from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.tokens.keys import SigningKeyStore
from subgraphs.auth.tokens.models import SigningKey
from subgraphs.auth.users.models import utcnow
from subgraphs.auth.vault import SecretBox, load_master_key
from subgraphs.common.database import Database
from tests.subgraphs.auth.conftest import AuthService


async def test_rotation_keeps_old_tokens_valid(auth: AuthService) -> None:
    await auth.user("rotate@example.org")
    old_token = (await auth.sign_in("rotate@example.org"))["accessToken"]
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    new_kid = await auth.runtime.keys.rotate()
    assert new_kid != old_kid
    jwks = (await auth.client.get("/.well-known/jwks.json")).json()
    assert {key["kid"] for key in jwks["keys"]} == {old_kid, new_kid}
    new_token = (await auth.sign_in("rotate@example.org"))["accessToken"]
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    for token in (old_token, new_token):
        assert (await auth.client.post("/validate", json={"token": token})).status_code == 200


async def test_retired_keys_leave_the_jwks_after_their_tokens_expired(
    auth_settings: AuthSettings,
) -> None:
    database = Database(auth_settings.database_url)
    vault = SecretBox(load_master_key(auth_settings))
    now = [utcnow()]
    store = SigningKeyStore(database, vault, auth_settings, clock=lambda: now[0])
    first = await store.ensure_active()
    second = await store.rotate()
    assert {key["kid"] for key in (await store.jwks())["keys"]} == {first, second}
    now[0] += store.retention + timedelta(seconds=1)
    assert {key["kid"] for key in (await store.jwks())["keys"]} == {second}
    # The key in force is rotated once it is older than the rotation period.
    now[0] += timedelta(days=auth_settings.signing_key_rotation_days)
    third = await store.ensure_active()
    assert third != second
    await database.dispose()


async def test_keys_survive_a_restart(auth_settings: AuthSettings, auth: AuthService) -> None:
    await auth.user("restart@example.org")
    token = (await auth.sign_in("restart@example.org"))["accessToken"]
    second = create_app(auth_settings)
    async with second.router.lifespan_context(second):
        transport = httpx.ASGITransport(app=second)
        async with httpx.AsyncClient(transport=transport, base_url="http://auth2.test") as client:
            assert (await client.post("/validate", json={"token": token})).status_code == 200
            jwks = (await client.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in jwks["keys"]] == [jwt.get_unverified_header(token)["kid"]]


async def test_private_keys_are_encrypted_at_rest(auth: AuthService, tmp_path: Path) -> None:
    async with auth.runtime.database.session() as session:
        row = (await session.exec(select(SigningKey))).one()
    assert b"PRIVATE KEY" not in row.private_key_encrypted
    assert "d" not in row.public_jwk
    other = SecretBox(os.urandom(32))
    with pytest.raises(InvalidTag):
        other.decrypt(row.private_key_encrypted, purpose="signing-key")


def test_development_master_key_file_is_private(tmp_path: Path) -> None:
    settings = AuthSettings(data_dir=tmp_path / "data")
    key = load_master_key(settings)
    assert len(key) == 32
    path = tmp_path / "data" / "auth" / "master.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert load_master_key(settings) == key  # stable across restarts
    path.chmod(0o644)
    with pytest.raises(PermissionError):
        load_master_key(settings)


def test_production_requires_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="AUTH_SECRET_KEY"):
        AuthSettings(environment="production", data_dir=tmp_path)
