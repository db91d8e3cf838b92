"""A small OpenID Connect provider the test suite runs on loopback (authorization code + PKCE).

It signs RS256 ID tokens, publishes its JWKS and discovery document, keeps codes single-use and
checks the PKCE verifier, so the auth service's OAuth client is exercised over real HTTP. Tests
pick the signed-in account with ``login_hint`` and can make it misbehave (``wrong_nonce``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key
from jwt.algorithms import RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from subgraphs.stack.ports import free_port

__all__ = ["OidcProvider"]


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    account: dict[str, Any]
    used: bool = False


@dataclass
class OidcProvider:
    client_id: str = "healthgraph-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    wrong_nonce: bool = False
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self._key = generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = "provider-rsa-1"
        self._grants: dict[str, _Grant] = {}
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.token_requests = 0

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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

    async def _authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return JSONResponse(
                {"error": "invalid_request", "error_description": "PKCE required"}, status_code=400
            )
        account = self.accounts.get(query.get("login_hint", ""))
        redirect_uri = query["redirect_uri"]
        if account is None:
            params = {"error": "access_denied", "state": query.get("state", "")}
            return RedirectResponse(f"{redirect_uri}?{urlencode(params)}", status_code=302)
        code = secrets.token_urlsafe(24)
        self._grants[code] = _Grant(
            client_id=self.client_id,
            redirect_uri=redirect_uri,
            challenge=query["code_challenge"],
            nonce=query.get("nonce"),
            account=account,
        )
        params = {"code": code, "state": query.get("state", "")}
        return RedirectResponse(f"{redirect_uri}?{urlencode(params)}", status_code=302)

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
        return JSONResponse({"error": "not used by these tests"}, status_code=400)

    # ---------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
                Route("/userinfo", self._userinfo),
            ]
        )
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, lifespan="off", log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(500):
            if self._server.started:
                return
            await asyncio.sleep(0.01)
        raise TimeoutError("the test OIDC provider did not start")

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
