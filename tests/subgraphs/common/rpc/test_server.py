"""The gRPC server hook: token auth, health, deadlines and domain errors as status codes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from fastapi import FastAPI
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pydantic import SecretStr

from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, NotFound, ServiceUnavailable
from subgraphs.common.rpc.billing import BILLING_SERVICE, BillingClient, pb
from subgraphs.common.rpc.proto.billing.v1 import billing_pb2_grpc
from subgraphs.common.rpc.server import Context, GrpcServerHook, GrpcService, rpc
from subgraphs.common.rpc.settings import GrpcServerSettings
from subgraphs.common.rpc.status import INTERNAL_MESSAGE
from subgraphs.common.settings import ServiceSettings
from subgraphs.common.state import ServiceState

TOKEN = "synthetic-service-token"


class ScriptedBilling(billing_pb2_grpc.BillingServiceServicer):
    """Answers EnsureAccount as ``patient_id`` says: ok, slow, or one of the failures."""

    @rpc
    async def EnsureAccount(  # noqa: N802 (the generated servicer's method name)
        self, request: pb.EnsureAccountRequest, _context: Context
    ) -> pb.EnsureAccountResponse:
        match request.payer_name:
            case "slow":
                await asyncio.sleep(5)
            case "bad":
                raise BadUserInput("patientId must be a UUID.")
            case "missing":
                raise NotFound("No such patient.")
            case "conflict":
                raise Conflict("The invoice is issued.")
            case "busy":
                raise ServiceUnavailable("Busy.")
            case "bug":
                raise ZeroDivisionError("secret detail")
        return pb.EnsureAccountResponse(
            account=pb.Account(id="a1", patient_id=request.patient_id), created=True
        )


@dataclass
class Running:
    port: int
    app: FastAPI

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Running]:
    settings = ServiceSettings(data_dir=tmp_path)
    state = ServiceState(settings, Database.from_settings(settings))
    hook = GrpcServerHook(
        GrpcServerSettings(grpc_port=0, grpc_service_token=SecretStr(TOKEN)),
        data_dir=tmp_path,
        token_name="test-grpc",
        services=lambda _: [
            GrpcService(
                BILLING_SERVICE,
                lambda server: billing_pb2_grpc.add_BillingServiceServicer_to_server(
                    ScriptedBilling(), server
                ),
            )
        ],
    )
    app = FastAPI()
    async with hook(app, state):
        assert hook.port is not None
        await hook.check_ready()
        yield Running(hook.port, app)
    with pytest.raises(ConnectionError):
        await hook.check_ready()


async def _code(client: BillingClient, payer: str, deadline: float = 2.0) -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await client.ensure_account(patient_id=uuid.uuid4(), payer_name=payer, deadline=deadline)
    return caught.value.code()


async def test_a_call_with_the_service_token_is_served(server: Running) -> None:
    patient = uuid.uuid4()
    async with BillingClient(server.target, TOKEN) as client:
        response = await client.ensure_account(patient_id=patient)
    assert response.account.patient_id == str(patient)
    assert response.created
    assert server.app.state.grpc_port == server.port


@pytest.mark.parametrize("token", ["", "wrong-token", TOKEN + "x"])
async def test_a_missing_or_wrong_token_is_unauthenticated(server: Running, token: str) -> None:
    async with grpc.aio.insecure_channel(server.target) as channel:
        stub = billing_pb2_grpc.BillingServiceStub(channel)
        metadata = (("authorization", f"Bearer {token}"),) if token else ()
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.EnsureAccount(
                pb.EnsureAccountRequest(patient_id=str(uuid.uuid4())),
                metadata=metadata,
                timeout=2,
            )
    assert caught.value.code() is grpc.StatusCode.UNAUTHENTICATED
    assert "service token" in (caught.value.details() or "")


async def test_health_is_serving_without_a_token(server: Running) -> None:
    async with grpc.aio.insecure_channel(server.target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for service in ("", BILLING_SERVICE):
            answer = await stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=2)
            assert answer.status == health_pb2.HealthCheckResponse.SERVING


@pytest.mark.parametrize(
    ("payer", "code"),
    [
        ("bad", grpc.StatusCode.INVALID_ARGUMENT),
        ("missing", grpc.StatusCode.NOT_FOUND),
        ("conflict", grpc.StatusCode.FAILED_PRECONDITION),
        ("busy", grpc.StatusCode.UNAVAILABLE),
    ],
)
async def test_domain_errors_are_status_codes(
    server: Running, payer: str, code: grpc.StatusCode
) -> None:
    async with BillingClient(server.target, TOKEN) as client:
        assert await _code(client, payer) is code


async def test_a_bug_is_internal_without_its_details(
    server: Running, caplog: pytest.LogCaptureFixture
) -> None:
    async with BillingClient(server.target, TOKEN) as client:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await client.ensure_account(patient_id=uuid.uuid4(), payer_name="bug")
    assert caught.value.code() is grpc.StatusCode.INTERNAL
    assert caught.value.details() == INTERNAL_MESSAGE
    assert "secret detail" not in str(caught.value)
    assert "Traceback" not in str(caught.value)


async def test_the_callers_deadline_is_honoured(server: Running) -> None:
    loop = asyncio.get_running_loop()
    async with BillingClient(server.target, TOKEN) as client:
        started = loop.time()
        assert await _code(client, "slow", deadline=0.3) is grpc.StatusCode.DEADLINE_EXCEEDED
        assert loop.time() - started < 2
        # The server gave up on the slow call too: the next call is answered at once.
        assert (await client.ensure_account(patient_id=uuid.uuid4(), deadline=1)).created


async def test_a_stopped_server_is_unavailable_to_the_client(tmp_path: Path) -> None:
    from subgraphs.stack.ports import free_port

    async with BillingClient(f"127.0.0.1:{free_port()}", TOKEN) as client:
        assert await _code(client, "", deadline=1) in {
            grpc.StatusCode.UNAVAILABLE,
            grpc.StatusCode.DEADLINE_EXCEEDED,
        }
