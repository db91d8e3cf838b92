"""The lifespan hook installs the verifier on any service app."""

from __future__ import annotations

import httpx
import strawberry

from subgraphs.common.app import create_service_app
from subgraphs.common.context import RequestContext, Role
from subgraphs.common.service_schema import ServiceSchema
from subgraphs.common.settings import ServiceSettings
from subgraphs.common.tokens import JwtVerifier, jwt_verifier_lifespan
from tests.support.tokens import JWKS, authorization, mint


@strawberry.type
class Query:
    @strawberry.field
    def whoami(self, info: strawberry.Info[RequestContext, None]) -> str:
        caller = info.context.caller
        return f"{caller.role}:{caller.actor}" if caller.role else caller.actor


async def test_static_jwks_lifespan_authenticates_requests() -> None:
    schema = ServiceSchema(query=Query)
    app = create_service_app(
        title="t",
        settings=ServiceSettings(),
        schema=schema,
        lifespans=(jwt_verifier_lifespan(JWKS),),
    )
    async with app.router.lifespan_context(app):
        assert isinstance(app.state.service.verifier, JwtVerifier)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            user = "00000000-0000-4000-8000-00000000000a"
            ok = await client.post(
                "/graphql",
                json={"query": "{ whoami }"},
                headers=authorization(role=Role.PATIENT, user_id=user),
            )
            assert ok.json() == {"data": {"whoami": f"PATIENT:{user}"}}
            anonymous = await client.post("/graphql", json={"query": "{ whoami }"})
            assert anonymous.json() == {"data": {"whoami": "anonymous"}}
            bad = await client.post(
                "/graphql",
                json={"query": "{ whoami }"},
                headers={"authorization": f"Bearer {mint(aud='elsewhere')}"},
            )
            assert bad.status_code == 401
            assert bad.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert app.state.service.verifier is None


async def test_remote_jwks_lifespan_uses_the_configured_url() -> None:
    settings = ServiceSettings(jwks_url="http://127.0.0.1:9/.well-known/jwks.json")
    schema = ServiceSchema(query=Query)
    app = create_service_app(
        title="t", settings=settings, schema=schema, lifespans=(jwt_verifier_lifespan(),)
    )
    async with app.router.lifespan_context(app):
        verifier = app.state.service.verifier
        assert isinstance(verifier, JwtVerifier)
        assert getattr(verifier.keys, "url", None) == settings.jwks_url
