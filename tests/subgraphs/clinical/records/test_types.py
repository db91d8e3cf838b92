"""The ``MedicalRecord`` entity: ``_entities`` lookups batched and access-checked per patient."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from subgraphs.clinical.app import create_app
from subgraphs.clinical.people.models import Doctor, Patient
from subgraphs.clinical.records import service
from subgraphs.common.database import Database
from tests.subgraphs.clinical.conftest import ClinicalApi, clinical_settings
from tests.subgraphs.clinical.factories import (
    caller_of,
    in_care,
    new_doctor,
    new_patient,
    token_of,
)
from tests.support.tokens import JWKS

ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on MedicalRecord { id version notes patientId }
  }
}
"""


@pytest.fixture
async def counted(
    clinical_url: str, tmp_path: Path
) -> AsyncIterator[tuple[ClinicalApi, list[str]]]:
    """The clinical app plus the SQL statements it runs."""
    app = create_app(clinical_settings(clinical_url, key_path=tmp_path / "rx.pem"), jwks=JWKS)
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = app.state.service.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
            yield ClinicalApi(http, app.state.service.database), statements
    event.remove(engine, "before_cursor_execute", record)


async def _records(database: Database, count: int) -> tuple[list[str], Patient, Doctor]:
    patient = await new_patient(database, linked=True)
    doctor = await new_doctor(database)
    await in_care(database, patient, doctor)
    ids = []
    for index in range(count):
        async with database.transaction() as session:
            row = await service.create_record(
                session,
                caller=caller_of(doctor),
                patient_id=patient.id,
                content={"notes": f"n{index}"},
            )
            ids.append(str(row.id))
    return ids, patient, doctor


async def test_entities_are_batched(
    counted: tuple[ClinicalApi, list[str]], database: Database
) -> None:
    api, statements = counted
    costs = {}
    for count in (3, 30):
        ids, _, doctor = await _records(database, count)
        statements.clear()
        result = await api.execute(
            ENTITIES,
            {"representations": [{"__typename": "MedicalRecord", "id": id_} for id_ in ids]},
            token=token_of(doctor),
        )
        assert "errors" not in result, result
        assert [entity["id"] for entity in result["data"]["_entities"]] == ids
        costs[count] = len([sql for sql in statements if "FROM medical_record" in sql])
    assert costs == {3: 1, 30: 1}


async def test_entities_enforce_access(clinical_api: ClinicalApi, database: Database) -> None:
    ids, patient, _ = await _records(database, 2)
    other_patient = await new_patient(database, linked=True)
    stranger = await new_doctor(database)
    representations = [{"__typename": "MedicalRecord", "id": id_} for id_ in ids]

    own = await clinical_api.execute(
        ENTITIES, {"representations": representations}, token=token_of(patient)
    )
    assert [entity["id"] for entity in own["data"]["_entities"]] == ids

    for intruder, code in ((other_patient, "NOT_FOUND"), (stranger, "FORBIDDEN")):
        denied = await clinical_api.execute(
            ENTITIES, {"representations": representations}, token=token_of(intruder)
        )
        assert denied["data"]["_entities"] == [None, None]
        assert {error["extensions"]["code"] for error in denied["errors"]} == {code}

    anonymous = await clinical_api.execute(ENTITIES, {"representations": representations})
    assert {error["extensions"]["code"] for error in anonymous["errors"]} == {"UNAUTHENTICATED"}
