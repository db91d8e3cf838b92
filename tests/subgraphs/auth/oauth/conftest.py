"""The auth service with one OIDC provider ("test") on loopback, and the browser's way there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from subgraphs.auth.app import create_app
from subgraphs.auth.settings import OAuthProviderSettings
from tests.conftest import ServiceDatabaseFactory
from tests.subgraphs.auth.conftest import AuthService, settings_for
from tests.support.oidc_provider import OidcProvider

PUBLIC_URL = "http://auth.test"


@pytest.fixture
async def provider() -> AsyncIterator[OidcProvider]:
    oidc = OidcProvider(
        accounts={
            "alice": {
                "sub": "alice-123",
                "email": "alice@example.org",
                "email_verified": True,
                "name": "Alice Synthetic",
            },
            "bob": {"sub": "bob-456", "email": "bob@example.org", "email_verified": False},
            "carol": {"sub": "carol-789", "email": "carol@example.org", "email_verified": True},
            "dave": {"sub": "dave-000", "email": "dave@example.org", "email_verified": True},
        }
    )
    await oidc.start()
    yield oidc
    await oidc.stop()


@pytest.fixture
def oauth_settings() -> dict[str, Any]:
    """More auth settings for ``oauth``; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
async def oauth(
    service_database: ServiceDatabaseFactory,
    redis_url: str,
    tmp_path: Path,
    provider: OidcProvider,
    oauth_settings: dict[str, Any],
) -> AsyncIterator[AuthService]:
    settings = settings_for(
        await service_database("auth"),
        redis_url,
        tmp_path / "auth",
        public_url=PUBLIC_URL,
        oauth={
            "test": OAuthProviderSettings(
                client_id=provider.client_id,
                client_secret=provider.client_secret,
                discovery_url=provider.discovery_url,
            )
        },
        **oauth_settings,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield AuthService(app=app, client=client, settings=settings)


async def to_provider(
    oauth: AuthService, account: str, start: str = "/oauth/test/authorize"
) -> tuple[str, dict[str, str]]:
    """Start at our authorize endpoint; the "browser" signs in at the provider as ``account``.
    Returns our callback path and its query."""
    answer = await oauth.client.get(start)
    assert answer.status_code == 302
    location = answer.headers["location"]
    async with httpx.AsyncClient() as browser:
        back = await browser.get(f"{location}&login_hint={account}")
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["location"])
    assert f"{callback.scheme}://{callback.netloc}" == PUBLIC_URL
    return callback.path, {key: values[0] for key, values in parse_qs(callback.query).items()}
