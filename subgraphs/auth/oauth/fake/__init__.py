"""A small OpenID Connect provider for development and tests (authorization code + PKCE, RFC 7636).

It signs RS256 ID tokens, publishes its JWKS and discovery document, keeps codes single-use and
checks the PKCE verifier, so the auth service's OAuth client is exercised over real HTTP. A caller
picks a configured account with ``login_hint``; without one, a person types a name and an email on
its sign-in page (``healthgraph up --demo`` runs it as "Demo ID"). Never for production.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key
from jwt.algorithms import RSAAlgorithm
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.applications import Starlette
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

__all__ = ["FakeOidcProvider", "OidcFakeSettings"]

_PAGE_CSP = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
_FORWARDED = ("client_id", "redirect_uri", "state", "nonce", "code_challenge")


class OidcFakeSettings(BaseSettings):
    """``OIDC_FAKE_*``: where it listens and the one client it knows."""

    model_config = SettingsConfigDict(env_prefix="OIDC_FAKE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 4023
    client_id: str = "healthgraph-local"
    client_secret: str = Field(min_length=16)


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    account: dict[str, Any]
    used: bool = False


@dataclass
class FakeOidcProvider:
    issuer: str
    client_id: str
    client_secret: str
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    wrong_nonce: bool = False

    def __post_init__(self) -> None:
        self._key = generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = "provider-rsa-1"
        self._grants: dict[str, _Grant] = {}
        self.token_requests = 0

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    # ---------------------------------------------------------------- endpoints
    async def _discovery(self, _: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _jwks(self, _: Request) -> Response:
        jwk = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return JSONResponse({"keys": [{**jwk, "kid": self._kid, "alg": "RS256", "use": "sig"}]})

    def _bad_request(self, query: QueryParams | FormData) -> Response | None:
        if query.get("client_id") != self.client_id:
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        if not query.get("code_challenge") or not query.get("redirect_uri"):
            return JSONResponse(
                {"error": "invalid_request", "error_description": "PKCE required"}, status_code=400
            )
        return None

    def _grant(self, params: QueryParams | FormData, account: dict[str, Any]) -> Response:
        code = secrets.token_urlsafe(24)
        redirect_uri = str(params["redirect_uri"])
        nonce = params.get("nonce")
        self._grants[code] = _Grant(
            client_id=self.client_id,
            redirect_uri=redirect_uri,
            challenge=str(params["code_challenge"]),
            nonce=str(nonce) if nonce else None,
            account=account,
        )
        query = {"code": code, "state": str(params.get("state", ""))}
        return RedirectResponse(f"{redirect_uri}?{urlencode(query)}", status_code=302)

    async def _authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return JSONResponse(
                {"error": "invalid_request", "error_description": "PKCE required"}, status_code=400
            )
        if (problem := self._bad_request(query)) is not None:
            return problem
        hint = query.get("login_hint")
        if hint is None:
            return self._sign_in_page(query)
        account = self.accounts.get(hint)
        if account is None:
            params = {"error": "access_denied", "state": query.get("state", "")}
            return RedirectResponse(f"{query['redirect_uri']}?{urlencode(params)}", status_code=302)
        return self._grant(query, account)

    def _sign_in_page(self, query: QueryParams) -> Response:
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(query.get(name, ""))}">'
            for name in _FORWARDED
        )
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Demo ID: sign in</title></head><body><main>"
            "<h1>Demo ID</h1><p>A local test identity provider: any name and email will do "
            "(synthetic people only).</p>"
            f'<form method="post" action="/authorize">{hidden}'
            '<p><label for="name">Name</label><br><input id="name" name="name" required '
            'autocomplete="name"></p>'
            '<p><label for="email">Email</label><br><input id="email" name="email" type="email" '
            'required autocomplete="email"></p>'
            '<p><button type="submit">Continue</button></p></form></main></body></html>'
        )
        return HTMLResponse(page, headers={"content-security-policy": _PAGE_CSP})

    async def _consent(self, request: Request) -> Response:
        form = await request.form()
        if (problem := self._bad_request(form)) is not None:
            return problem
        email = str(form.get("email", "")).strip().lower()
        name = str(form.get("name", "")).strip()
        if "@" not in email or not name:
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        subject = hashlib.sha256(email.encode()).hexdigest()[:24]
        account = {"sub": subject, "email": email, "email_verified": True, "name": name}
        return self._grant(form, account)

    async def _token(self, request: Request) -> Response:
        self.token_requests += 1
        form = await request.form()
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self._grants.get(str(form.get("code", "")))
        if grant is None or grant.used:
            if grant is not None:
                grant.used = True
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        grant.used = True  # single use, even when the rest fails
        verifier = str(form.get("code_verifier", ""))
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != grant.challenge or form.get("redirect_uri") != grant.redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            **grant.account,
        }
        if grant.nonce is not None:
            claims["nonce"] = "not-the-nonce" if self.wrong_nonce else grant.nonce
        id_token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})
        access_token = secrets.token_urlsafe(24)
        return JSONResponse(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    async def _userinfo(self, _: Request) -> Response:
        return JSONResponse({"error": "use the ID token"}, status_code=400)

    async def _health(self, _: Request) -> Response:
        return JSONResponse({"status": "ok"})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize),
                Route("/authorize", self._consent, methods=["POST"]),
                Route("/token", self._token, methods=["POST"]),
                Route("/userinfo", self._userinfo),
                Route("/health", self._health),
            ]
        )
