"""Registering a patient opens their billing account: over gRPC when billing answers, from the
``patient.created`` event when it is down or slow; registration succeeds either way."""

from __future__ import annotations

import logging
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import col, select

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.accounts.registrations import registration_consumer
from subgraphs.billing.app import create_app as create_billing_app
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from subgraphs.stack.ports import free_port
from tests.conftest import ServiceDatabaseFactory
from tests.subgraphs.billing.conftest import billing_grpc_settings
from tests.subgraphs.clinical.conftest import ClinicalApi, clinical_settings, serving
from tests.subgraphs.common.events.helpers import eventually
from tests.support.tokens import JWKS

TOKEN = "synthetic-registration-token"
REGISTER = """
mutation ($input: PatientInput!) { createPatient(input: $input) { id mrn } }
"""
PATIENT = {
    "givenName": "Ines",
    "familyName": "Moreau",
    "dateOfBirth": "1971-02-03",
    "sex": "FEMALE",
    "insurance": {"payer": "Synthetic Mutual", "memberId": "SM-7"},
}


def _clinical(
    clinical_url: str, tmp_path: Path, target: str, **overrides: Any
) -> AbstractAsyncContextManager[ClinicalApi]:
    """The clinical app calling billing's gRPC API at ``target``."""
    return serving(
        clinical_settings(
            clinical_url,
            key_path=tmp_path / "rx.pem",
            data_dir=tmp_path,
            billing_grpc_enabled=True,
            billing_grpc_target=target,
            billing_grpc_token=SecretStr(TOKEN),
            **overrides,
        )
    )


async def _register(api: ClinicalApi, admin: Caller) -> tuple[uuid.UUID, float]:
    started = time.monotonic()
    body = await api.execute(REGISTER, {"input": PATIENT}, caller=admin)
    elapsed = time.monotonic() - started
    assert "errors" not in body, body
    return uuid.UUID(body["data"]["createPatient"]["id"]), elapsed


async def _account(billing: Database, patient_id: uuid.UUID) -> BillingAccount | None:
    async with billing.session() as session:
        query = select(BillingAccount).where(col(BillingAccount.patient_id) == patient_id)
        return (await session.exec(query)).first()


@pytest.fixture
async def billing_url(service_database: ServiceDatabaseFactory) -> str:
    return await service_database("billing")


@pytest.fixture
async def billing(billing_url: str) -> AsyncIterator[Database]:
    database = Database(billing_url)
    yield database
    await database.dispose()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: billing hanging."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


async def test_billing_up_opens_the_account_during_registration(
    clinical_url: str, billing_url: str, billing: Database, tmp_path: Path, admin: Caller
) -> None:
    settings = billing_grpc_settings(billing_url, token=TOKEN, data_dir=tmp_path)
    app = create_billing_app(settings, jwks=JWKS)
    async with app.router.lifespan_context(app):
        target = f"127.0.0.1:{app.state.grpc_port}"
        async with _clinical(clinical_url, tmp_path, target) as api:
            patient_id, _ = await _register(api, admin)
            account = await _account(billing, patient_id)
    assert account is not None
    assert account.insurer == "Synthetic Mutual"
    assert account.policy_number == "SM-7"


@pytest.mark.parametrize("billing_state", ["down", "hanging"])
async def test_registration_survives_billing_down_and_the_event_opens_the_account(
    clinical_url: str,
    billing: Database,
    kafka_bootstrap: str,
    tmp_path: Path,
    admin: Caller,
    caplog: pytest.LogCaptureFixture,
    silent_port: int,
    billing_state: str,
) -> None:
    port = free_port() if billing_state == "down" else silent_port
    clinical = _clinical(
        clinical_url,
        tmp_path,
        f"127.0.0.1:{port}",
        billing_grpc_timeout=0.5,
        outbox_relay_enabled=True,
        kafka_bootstrap_servers=kafka_bootstrap,
    )
    with caplog.at_level(logging.WARNING, logger="subgraphs.clinical.people.billing"):
        async with clinical as api:
            patient_id, elapsed = await _register(api, admin)
            [line] = [r for r in caplog.records if r.name == "subgraphs.clinical.people.billing"]
            assert await _account(billing, patient_id) is None

            consumer = registration_consumer(
                billing, kafka_bootstrap, currency="GBP", group_id=f"t-{uuid.uuid4().hex[:8]}"
            )
            async with consumer:

                async def opened() -> bool:
                    return await _account(billing, patient_id) is not None

                await eventually(opened, within=60)

    assert elapsed < 2.0  # the call's deadline (0.5 s here), not a hang
    assert line.exc_info is None  # one line, no traceback
    assert "patient.created" in line.getMessage()
    account = await _account(billing, patient_id)
    assert account is not None
    assert account.insurer == "Synthetic Mutual"
