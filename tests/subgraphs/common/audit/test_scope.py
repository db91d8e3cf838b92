"""Denials survive the refused operation's rollback, and carry the request id."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlmodel import col, select

from subgraphs.common.audit import (
    AccessDenial,
    DenialReason,
    audited_transaction,
    current_request_id,
    deny,
    serve,
    serve_own,
)
from subgraphs.common.context import Caller, RequestContext, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import Forbidden
from subgraphs.common.outbox import OutboxEvent, record_event

_CALLER = Caller(user_id=uuid.uuid4(), role=Role.DOCTOR, token_id="jti-1")


def _denial(patient_id: uuid.UUID) -> AccessDenial:
    return AccessDenial(
        caller=_CALLER,
        reason=DenialReason.NO_CARE_RELATIONSHIP,
        message="no",
        patient_ids=(patient_id,),
    )


async def _events(database: Database) -> list[OutboxEvent]:
    async with database.session() as session:
        rows = await session.exec(select(OutboxEvent).order_by(col(OutboxEvent.position)))
        return list(rows.all())


async def test_a_denial_is_kept_when_the_operation_rolls_back(database: Database) -> None:
    context = RequestContext(caller=_CALLER, database=database, request_id="req-42")
    patient = uuid.uuid4()

    async def refused(session: Any, *, caller: Caller) -> None:
        assert current_request_id() == "req-42"
        await record_event(
            session, topic="t", type="rolled.back", aggregate_type="a", aggregate_id="1", actor="x"
        )
        await deny(session, _denial(patient))
        raise Forbidden("no")

    with pytest.raises(Forbidden):
        await serve(context, refused)
    [event] = await _events(database)
    assert event.type == "access.denied"
    assert event.actor == str(_CALLER.user_id)
    assert event.payload["requestId"] == "req-42"
    assert event.payload["patientIds"] == [str(patient)]
    assert event.payload["reason"] == "NO_CARE_RELATIONSHIP"
    assert current_request_id() is None


async def test_outside_a_request_a_denial_is_written_at_once(database: Database) -> None:
    async def refuse() -> None:
        async with database.transaction() as session:
            await deny(session, _denial(uuid.uuid4()))
            raise Forbidden("no")

    with pytest.raises(Forbidden):
        await refuse()
    assert [event.type for event in await _events(database)] == ["access.denied"]


async def test_a_committed_operation_keeps_its_denials_too(database: Database) -> None:
    context = RequestContext(caller=_CALLER, database=database, request_id="req-7")
    async with audited_transaction(context) as session:
        await deny(session, _denial(uuid.uuid4()))
        assert await _events(database) == []  # written once the transaction is over
    assert [event.payload["requestId"] for event in await _events(database)] == ["req-7"]


async def test_a_service_owning_its_transactions_keeps_its_denials(database: Database) -> None:
    """``serve_own`` (booking re-runs its own transactions): denials outlive the rollback."""
    context = RequestContext(caller=_CALLER, database=database, request_id="req-9")
    patient = uuid.uuid4()

    async def refused(db: Database, *, caller: Caller) -> None:
        assert db is database
        assert caller is _CALLER
        async with db.transaction() as session:
            assert current_request_id() == "req-9"
            await deny(session, _denial(patient))
            assert await _events(database) == []  # pending until the scope ends
            raise Forbidden("no")

    with pytest.raises(Forbidden):
        await serve_own(context, refused)
    [event] = await _events(database)
    assert event.type == "access.denied"
    assert event.payload["requestId"] == "req-9"
    assert event.payload["patientIds"] == [str(patient)]
    assert current_request_id() is None
