"""Pipeline stages can refuse requests before any subgraph call and see every response."""

from __future__ import annotations

import httpx
from graphql import DocumentNode, OperationDefinitionNode

from router.pipeline import (
    BaseStage,
    RequestError,
    Stage,
    SupergraphRequest,
    SupergraphResponse,
)
from tests.router.conftest import post
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router


class RequireToken(BaseStage):
    """A stand-in for JWT authentication: refuse requests without a bearer token."""

    def __init__(self) -> None:
        self.operations: list[str] = []
        self.responses: list[SupergraphResponse] = []

    async def on_request(self, request: SupergraphRequest) -> None:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            raise RequestError("Missing bearer token.", "UNAUTHENTICATED", status=401)
        request.context["subject"] = "synthetic-user"

    def on_operation(
        self, request: SupergraphRequest, document: DocumentNode, operation: OperationDefinitionNode
    ) -> None:
        del document
        self.operations.append(f"{request.context['subject']}:{operation.operation.value}")

    def on_response(self, request: SupergraphRequest, response: SupergraphResponse) -> None:
        del request
        self.responses.append(response)


def test_base_stage_satisfies_the_protocol() -> None:
    assert isinstance(BaseStage(), Stage)


async def test_stage_refuses_and_observes(hospital: Hospital) -> None:
    hospital.reset()
    stage = RequireToken()
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), stages=[stage]) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        refused = await post(http, "{ patients { id } }")
        accepted = await http.post(
            "/graphql",
            json={"query": "{ patients { id } }"},
            headers={"authorization": "Bearer synthetic"},
        )
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert accepted.json() == {"data": {"patients": [{"id": "p1"}, {"id": "p2"}]}}
    assert stage.operations == ["synthetic-user:query"]
    assert len(stage.responses) == 1
    assert len(hospital.patients.requests) == 1
