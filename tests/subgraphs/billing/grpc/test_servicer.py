"""billing.v1.BillingService served by the real billing app on a real database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import text
from sqlmodel import col, func, select

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.app import create_app
from subgraphs.billing.grpc.caller import SERVICE_CALLER
from subgraphs.billing.invoices import service as invoices
from subgraphs.common.database import Database
from subgraphs.common.rpc.billing import BILLING_SERVICE, BillingClient, pb
from tests.subgraphs.billing.conftest import billing_grpc_settings
from tests.support.tokens import JWKS

TOKEN = "synthetic-billing-grpc-token"


@pytest.fixture
async def client(billing_url: str, tmp_path: Path) -> AsyncIterator[BillingClient]:
    settings = billing_grpc_settings(billing_url, token=TOKEN, data_dir=tmp_path)
    app = create_app(settings, jwks=JWKS)
    async with (
        app.router.lifespan_context(app),
        BillingClient(f"127.0.0.1:{app.state.grpc_port}", TOKEN) as client,
    ):
        yield client


async def _accounts(database: Database, patient_id: uuid.UUID) -> int:
    async with database.transaction() as session:
        query = select(func.count()).where(col(BillingAccount.patient_id) == patient_id)
        return int((await session.exec(query)).one())


async def test_ensure_account_is_idempotent(client: BillingClient, database: Database) -> None:
    patient, user = uuid.uuid4(), uuid.uuid4()
    first = await client.ensure_account(
        patient_id=patient, patient_user_id=user, insurer="Synthetic Mutual", policy_number="P-1"
    )
    again = await client.ensure_account(patient_id=patient, insurer="Other")

    assert first.created
    assert not again.created
    assert again.account.id == first.account.id
    assert again.account.insurer == "Synthetic Mutual"  # details apply only on creation
    assert first.account.balance == pb.Money(currency="GBP", minor_units=0)
    assert await _accounts(database, patient) == 1


async def test_concurrent_ensure_account_calls_open_one_account(
    client: BillingClient, database: Database
) -> None:
    patient = uuid.uuid4()
    answers = await asyncio.gather(*(client.ensure_account(patient_id=patient) for _ in range(8)))

    assert [answer.created for answer in answers].count(True) == 1
    assert len({answer.account.id for answer in answers}) == 1
    assert await _accounts(database, patient) == 1


async def test_a_missing_or_wrong_token_is_unauthenticated(client: BillingClient) -> None:
    async with BillingClient(client.target, "not-the-token") as stranger:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stranger.ensure_account(patient_id=uuid.uuid4())
    assert caught.value.code() is grpc.StatusCode.UNAUTHENTICATED


async def test_health_says_serving(client: BillingClient) -> None:
    async with grpc.aio.insecure_channel(client.target) as channel:
        answer = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=BILLING_SERVICE), timeout=2
        )
    assert answer.status == health_pb2.HealthCheckResponse.SERVING


async def test_a_call_past_its_deadline_is_abandoned_and_rolled_back(
    client: BillingClient, database: Database
) -> None:
    patient = uuid.uuid4()
    await client.ensure_account(patient_id=patient)
    async with database.transaction() as session:
        # Hold the account's row: EnsureAccount waits for it (well within lock_timeout).
        await session.exec(  # type: ignore[call-overload]
            text("SELECT 1 FROM billing_account WHERE patient_id = :p FOR UPDATE"),
            params={"p": patient},
        )
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await client.ensure_account(patient_id=patient, deadline=0.3)
    assert caught.value.code() is grpc.StatusCode.DEADLINE_EXCEEDED
    answer = await client.ensure_account(patient_id=patient, deadline=2)
    assert not answer.created


async def test_bad_input_and_unknown_patients_have_their_status_codes(
    client: BillingClient,
) -> None:
    async with grpc.aio.insecure_channel(client.target) as channel:
        stub_call = channel.unary_unary(
            "/billing.v1.BillingService/GetBalance",
            request_serializer=pb.GetBalanceRequest.SerializeToString,
            response_deserializer=pb.GetBalanceResponse.FromString,
        )
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub_call(
                pb.GetBalanceRequest(patient_id="not-a-uuid"),
                metadata=(("authorization", f"Bearer {TOKEN}"),),
                timeout=2,
            )
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.details() == "patientId is not a valid id."
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await client.get_balance(patient_id=uuid.uuid4())
    assert unknown.value.code() is grpc.StatusCode.NOT_FOUND


async def test_invoices_over_grpc(client: BillingClient, database: Database) -> None:
    patient = uuid.uuid4()
    invoice = await client.create_invoice(patient_id=patient)
    assert invoice.status == pb.INVOICE_STATUS_DRAFT
    added = await client.add_line(
        invoice_id=uuid.UUID(invoice.id),
        service_code="CONSULT",
        description="Consultation",
        quantity=2,
        unit_price_minor=6550,
    )
    assert added.line.amount == pb.Money(currency="GBP", minor_units=13100)
    assert added.invoice.total.minor_units == 13100
    assert [line.id for line in added.invoice.lines] == [added.line.id]

    async with database.transaction() as session:
        await invoices.issue_invoice(
            session, caller=SERVICE_CALLER, invoice_id=uuid.UUID(invoice.id)
        )
    with pytest.raises(grpc.aio.AioRpcError) as frozen:
        await client.add_line(
            invoice_id=uuid.UUID(invoice.id),
            service_code="XRAY",
            description="X-ray",
            quantity=1,
            unit_price_minor=100,
        )
    assert frozen.value.code() is grpc.StatusCode.FAILED_PRECONDITION

    balance = await client.get_balance(patient_id=patient)
    assert balance.balance == pb.Money(currency="GBP", minor_units=13100)
    second = await client.create_invoice(patient_id=patient)
    page = await client.list_invoices(patient_id=patient, page_size=1)
    assert [i.id for i in page.invoices] == [second.id]
    assert page.next_page_token
    rest = await client.list_invoices(
        patient_id=patient, page_size=1, page_token=page.next_page_token
    )
    assert [i.id for i in rest.invoices] == [invoice.id]
    assert rest.invoices[0].number.startswith("INV-")
    assert rest.next_page_token == ""
    issued = await client.list_invoices(patient_id=patient, statuses=[pb.INVOICE_STATUS_ISSUED])
    assert [i.id for i in issued.invoices] == [invoice.id]
