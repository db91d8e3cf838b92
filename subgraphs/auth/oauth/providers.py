"""OAuth 2.0 / OIDC provider endpoints: presets for Google and Facebook, discovery for the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from subgraphs.auth.settings import OAuthProviderSettings
from subgraphs.common.errors import NotFound
from subgraphs.common.tokens import RemoteJwks

__all__ = ["PRESETS", "Provider", "ProviderRegistry"]

PRESETS: dict[str, dict[str, Any]] = {
    "google": {
        "discovery_url": "https://accounts.google.com/.well-known/openid-configuration",
        "scope": "openid email profile",
        "label": "Google",
    },
    "facebook": {
        "authorization_endpoint": "https://www.facebook.com/v19.0/dialog/oauth",
        "token_endpoint": "https://graph.facebook.com/v19.0/oauth/access_token",
        "userinfo_endpoint": "https://graph.facebook.com/me?fields=id,name,email",
        "scope": "email public_profile",
        "label": "Facebook",
        # Facebook returns only confirmed addresses and sends no email_verified claim.
        "emails_verified_by_default": True,
    },
}


@dataclass(frozen=True, slots=True)
class Provider:
    """One provider's resolved endpoints and client credentials."""

    name: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str | None
    issuer: str | None
    jwks: RemoteJwks | None
    scope: str
    emails_verified_by_default: bool

    @property
    def openid(self) -> bool:
        return self.jwks is not None and "openid" in self.scope.split()


class ProviderRegistry:
    """Providers from settings, their discovery documents fetched once and cached."""

    def __init__(
        self, configured: dict[str, OAuthProviderSettings], http: httpx.AsyncClient
    ) -> None:
        self._configured = configured
        self._http = http
        self._resolved: dict[str, Provider] = {}

    @property
    def names(self) -> list[str]:
        return sorted(self._configured)

    def label(self, name: str) -> str:
        """What a sign-in button calls the provider (no network: buttons show before discovery)."""
        configured = self._configured[name].label
        return configured or str(
            PRESETS.get(name, {}).get("label") or name.replace("_", " ").title()
        )

    async def get(self, name: str) -> Provider:
        provider = self._resolved.get(name)
        if provider is not None:
            return provider
        settings = self._configured.get(name)
        if settings is None:
            raise NotFound(f"No sign-in provider is called {name!r}.")
        values: dict[str, Any] = dict(PRESETS.get(name, {}))
        values.update(settings.model_dump(exclude_none=True, exclude_unset=True))
        discovery_url = values.get("discovery_url")
        if discovery_url:
            response = await self._http.get(discovery_url)
            response.raise_for_status()
            metadata = response.json()
            for key in (
                "authorization_endpoint",
                "token_endpoint",
                "userinfo_endpoint",
                "jwks_uri",
                "issuer",
            ):
                values.setdefault(key, metadata.get(key))
        jwks_uri = values.get("jwks_uri")
        provider = Provider(
            name=name,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            authorization_endpoint=values["authorization_endpoint"],
            token_endpoint=values["token_endpoint"],
            userinfo_endpoint=values.get("userinfo_endpoint"),
            issuer=values.get("issuer"),
            jwks=RemoteJwks(jwks_uri, client=self._http) if jwks_uri else None,
            scope=values.get("scope", settings.scope),
            emails_verified_by_default=bool(values.get("emails_verified_by_default", False)),
        )
        self._resolved[name] = provider
        return provider
