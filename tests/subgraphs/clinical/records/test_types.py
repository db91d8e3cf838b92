"""The ``MedicalRecord`` entity: ``_entities`` lookups batched and access-checked per patient."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from subgraphs.clinical.records import service
from subgraphs.common.database import Database
from tests.subgraphs.clinical.harness import build_app, gql
from tests.subgraphs.clinical.standin import People

ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on MedicalRecord { id version notes patientId }
  }
}
"""


@pytest.fixture
async def counted(
    clinical_url: str, kafka_bootstrap: str, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    """A client plus the SQL statements its app runs."""
    app = build_app(clinical_url, kafka_bootstrap, key_path=tmp_path / "rx.pem")
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = app.state.service.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
            yield http, statements
    event.remove(engine, "before_cursor_execute", record)


async def _records(database: Database, people: People, count: int) -> tuple[People, list[str], Any]:
    patient = await people.patient()
    doctor = await people.doctor()
    await people.appointment(patient, doctor)
    ids = []
    for index in range(count):
        async with database.transaction() as session:
            row = await service.create_record(
                session, caller=doctor.caller, patient_id=patient.id, content={"notes": f"n{index}"}
            )
            ids.append(str(row.id))
    return people, ids, (patient, doctor)


async def test_entities_are_batched(
    counted: tuple[httpx.AsyncClient, list[str]], database: Database, people: People
) -> None:
    client, statements = counted
    costs = {}
    for count in (3, 30):
        _, ids, (_, doctor) = await _records(database, people, count)
        statements.clear()
        result = await gql(
            client,
            ENTITIES,
            {"representations": [{"__typename": "MedicalRecord", "id": id_} for id_ in ids]},
            token=doctor.token,
        )
        assert "errors" not in result, result
        assert [entity["id"] for entity in result["data"]["_entities"]] == ids
        costs[count] = len([sql for sql in statements if "FROM medical_record" in sql])
    assert costs == {3: 1, 30: 1}


async def test_entities_enforce_access(
    client: httpx.AsyncClient, database: Database, people: People
) -> None:
    _, ids, (patient, _) = await _records(database, people, 2)
    other_patient = await people.patient()
    stranger = await people.doctor()
    representations = [{"__typename": "MedicalRecord", "id": id_} for id_ in ids]

    own = await gql(client, ENTITIES, {"representations": representations}, token=patient.token)
    assert [entity["id"] for entity in own["data"]["_entities"]] == ids

    for intruder, code in ((other_patient, "NOT_FOUND"), (stranger, "FORBIDDEN")):
        denied = await gql(
            client, ENTITIES, {"representations": representations}, token=intruder.token
        )
        assert denied["data"]["_entities"] == [None, None]
        assert {error["extensions"]["code"] for error in denied["errors"]} == {code}

    anonymous = await gql(client, ENTITIES, {"representations": representations})
    assert {error["extensions"]["code"] for error in anonymous["errors"]} == {"UNAUTHENTICATED"}
