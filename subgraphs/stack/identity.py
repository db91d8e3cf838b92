"""How ``healthgraph up`` points auth at the web app, and the local OIDC provider it runs for it.

The browser's whole OIDC round trip goes through the router, as through a production edge: auth's
public address is the router's (the router relays ``/oauth/{provider}/authorize`` and
``/callback`` to auth, router/http/oauth_relay.py), so the start URL auth advertises and the
callback registered with the provider are on the router; after the callback auth sends the
browser to the web app's ``/app/signin/oidc`` page, on the router too. Outside production, when no provider is configured (no ``AUTH_OAUTH__*`` variable), a
local OIDC provider (``subgraphs.auth.oauth.fake``) is started and configured as "Demo ID", so
the app's "Sign in with Demo ID" works without any account elsewhere. Its client secret is
generated once into ``<data dir>/keys`` (0600).
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from subgraphs.common.secrets import load_or_create_secret
from subgraphs.stack.settings import StackSettings

__all__ = ["OidcFake", "auth_web_env", "oidc_fake"]

DEMO_PROVIDER = "demo"
APP_SIGN_IN_PAGE = "/app/signin/oidc"


@dataclass(frozen=True, slots=True)
class OidcFake:
    """The local OIDC provider's process and what auth needs to use it."""

    command: list[str]
    env: dict[str, str]  # the fake's own settings (OIDC_FAKE_*)
    url: str
    auth_env: dict[str, str]  # AUTH_OAUTH__DEMO__* for the auth service

    name = "oidc-fake"

    @property
    def health(self) -> str:
        return f"{self.url}/health"


def auth_web_env(settings: StackSettings, environ: Mapping[str, str]) -> dict[str, str]:
    """Auth's public address (where browsers reach its OAuth endpoints: the router) and the web
    app's sign-in page; a value already in the environment wins."""
    router = f"http://{settings.host}:{settings.router_port}"
    values = {
        "AUTH_PUBLIC_URL": router,
        "AUTH_OAUTH_SUCCESS_REDIRECT": f"{router}{APP_SIGN_IN_PAGE}",
    }
    return {key: value for key, value in values.items() if key not in environ}


def oidc_fake(
    settings: StackSettings, data_dir: Path, environ: Mapping[str, str]
) -> OidcFake | None:
    """The fake to start, or None (production, or a real provider configured)."""
    if settings.environment == "production" or any(
        key.upper().startswith("AUTH_OAUTH__") for key in environ
    ):
        return None
    url = f"http://{settings.host}:{settings.oidc_fake_port}"
    client_secret = load_or_create_secret(
        data_dir / "keys" / "oidc-fake-client.secret", lambda: secrets.token_hex(16).encode()
    ).decode()
    prefix = f"AUTH_OAUTH__{DEMO_PROVIDER.upper()}__"
    return OidcFake(
        command=[sys.executable, "-m", "subgraphs.auth.oauth.fake"],
        env={
            "OIDC_FAKE_HOST": settings.host,
            "OIDC_FAKE_PORT": str(settings.oidc_fake_port),
            "OIDC_FAKE_CLIENT_ID": "healthgraph-local",
            "OIDC_FAKE_CLIENT_SECRET": client_secret,
        },
        url=url,
        auth_env={
            f"{prefix}CLIENT_ID": "healthgraph-local",
            f"{prefix}CLIENT_SECRET": client_secret,
            f"{prefix}DISCOVERY_URL": f"{url}/.well-known/openid-configuration",
            f"{prefix}LABEL": "Demo ID",
        },
    )
