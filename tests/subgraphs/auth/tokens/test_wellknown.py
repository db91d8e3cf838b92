"""The discovery document names endpoints at the issuer, not at the browser-facing public URL."""

from __future__ import annotations

import pytest

from subgraphs.auth.settings import AuthSettings
from tests.subgraphs.auth.conftest import AuthService


@pytest.fixture
def auth_settings(auth_settings: AuthSettings) -> AuthSettings:
    # as `healthgraph up` runs it: the OAuth round trip goes through the router
    return auth_settings.model_copy(update={"public_url": "http://127.0.0.1:4000"})


async def test_discovery_links_are_the_issuers(auth: AuthService) -> None:
    config = (await auth.client.get("/.well-known/openid-configuration")).json()
    issuer = auth.settings.jwt_issuer.rstrip("/")
    assert issuer != "http://127.0.0.1:4000"
    assert config["issuer"] == auth.settings.jwt_issuer
    assert config["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert config["token_endpoint"] == f"{issuer}/login"
    assert config["introspection_endpoint"] == f"{issuer}/validate"
