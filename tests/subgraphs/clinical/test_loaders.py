"""Batching: 100 appointments with their patient and doctor cost the same queries as 10."""

from __future__ import annotations

from datetime import timedelta

from subgraphs.clinical.appointments.models import Appointment
from subgraphs.clinical.people.models import Doctor
from subgraphs.common.context import Caller
from tests.subgraphs.clinical.conftest import ClinicalApi
from tests.subgraphs.clinical.factories import (
    at,
    book,
    caller_of,
    new_doctor,
    new_patient,
    next_monday,
    with_schedule,
)
from tests.support.statements import counting

LIST = """
query ($first: Int!, $doctor: ID) {
  appointments(first: $first, filter: {doctorId: $doctor}) {
    nodes { id patient { familyName mrn } doctor { familyName } }
  }
}
"""
ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Appointment { id patient { familyName } doctor { familyName } }
  }
}
"""


async def seed(api: ClinicalApi, doctors: int = 4, per_doctor: int = 25) -> list[Appointment]:
    db = api.database
    day = next_monday()
    made: list[Appointment] = []
    for _ in range(doctors):
        doctor = await with_schedule(db, await new_doctor(db), minutes=15, start=at(day, 8).time())
        for slot in range(per_doctor):
            starts = at(day, 8) + timedelta(minutes=15 * slot)
            made.append(await book(db, await new_patient(db), doctor, starts))
    return made


async def test_lists_and_entities_cost_the_same_queries_for_10_and_100(
    clinical_api: ClinicalApi, admin: Caller
) -> None:
    appointments = await seed(clinical_api)
    costs: dict[int, int] = {}
    for size in (10, 100):
        with counting(clinical_api) as statements:
            body = await clinical_api.execute(LIST, {"first": size}, caller=admin)
        nodes = body["data"]["appointments"]["nodes"]
        assert len(nodes) == size
        assert all(node["patient"] and node["doctor"] for node in nodes)
        costs[size] = len(statements)
    # The page, its access check and audit event (insert + notify), then one batch each for the
    # patients (access check, rows, audit insert + notify) and the doctors: 9 statements.
    assert costs[10] == costs[100] <= 10, costs

    entity_costs: dict[int, int] = {}
    for size in (10, 100):
        representations = [
            {"__typename": "Appointment", "id": str(a.id)} for a in appointments[:size]
        ]
        with counting(clinical_api) as statements:
            body = await clinical_api.execute(
                ENTITIES, {"representations": representations}, caller=admin
            )
        assert "errors" not in body
        assert len(body["data"]["_entities"]) == size
        entity_costs[size] = len(statements)
    assert entity_costs[10] == entity_costs[100] <= 10, entity_costs


async def test_a_doctors_page_is_batched_too(clinical_api: ClinicalApi) -> None:
    appointments = await seed(clinical_api, doctors=1, per_doctor=30)
    async with clinical_api.database.session() as session:
        doctor = await session.get(Doctor, appointments[0].doctor_id)
    assert doctor is not None
    me = caller_of(doctor)
    costs = {}
    for size in (3, 30):
        with counting(clinical_api) as statements:
            body = await clinical_api.execute(LIST, {"first": size}, caller=me)
        assert len(body["data"]["appointments"]["nodes"]) == size
        costs[size] = len(statements)
    assert costs[3] == costs[30], costs
