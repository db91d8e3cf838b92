"""``accessLog`` and ``verifyAuditChain`` over HTTP: who may read which log, and what it shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from subgraphs.clinical.audit.service import catch_up
from subgraphs.common.context import Role
from subgraphs.common.database import Database
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import ClinicalApi, make_caller
from tests.subgraphs.clinical.factories import (
    break_glass,
    caller_of,
    in_care,
    new_doctor,
    new_patient,
    token_of,
)

_LOG = """
query($id: ID!, $first: Int, $after: String) {
  accessLog(patientId: $id, first: $first, after: $after) {
    nodes {
      sequence actorUserId actorRole action allowed reason denialMessage breakGlass purpose basis
      requestId parts { type id }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
_PATIENT = "query($id: ID!) { patient(id: $id) { id } }"
_ENTITIES = """
query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Patient { id } } }
"""
_VERIFY = "{ verifyAuditChain { intact entries headHash firstBrokenSequence problem } }"


async def _store(database: Database) -> None:
    """What the consumer would do: store every audit event of the outbox."""
    async with database.transaction() as session:
        await catch_up(session, older_than=timedelta(0))


async def _denials(database: Database) -> list[dict[str, Any]]:
    async with database.session() as session:
        rows = await session.exec(
            select(OutboxEvent)
            .where(OutboxEvent.type == "access.denied")
            .order_by(col(OutboxEvent.position))
        )
        return [row.payload for row in rows.all()]


async def test_a_patient_sees_who_read_their_record_and_who_was_refused(
    clinical_api: ClinicalApi, database: Database
) -> None:
    doctor, stranger = await new_doctor(database), await new_doctor(database)
    patient = await new_patient(database, linked=True)
    await in_care(database, patient, doctor)
    variables = {"id": str(patient.id)}
    assert "errors" not in await clinical_api.execute(_PATIENT, variables, token=token_of(doctor))
    refused = await clinical_api.execute(_PATIENT, variables, token=token_of(stranger))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await _store(database)

    body = await clinical_api.execute(_LOG, variables, token=token_of(patient))
    nodes = body["data"]["accessLog"]["nodes"]
    by_actor = {node["actorUserId"]: node for node in nodes}
    read, denied = by_actor[str(doctor.user_id)], by_actor[str(stranger.user_id)]
    assert (read["allowed"], read["action"], read["basis"], read["parts"]) == (
        True,
        "read",
        "CARE_RELATIONSHIP",
        [{"type": "patient", "id": str(patient.id)}],
    )
    assert (denied["allowed"], denied["reason"], denied["actorRole"], denied["breakGlass"]) == (
        False,
        "NO_CARE_RELATIONSHIP",
        "DOCTOR",
        False,
    )
    assert "break-glass" in denied["denialMessage"]
    assert denied["parts"] == [{"type": "patient", "id": str(patient.id)}]
    # Newest first; reading the log is itself recorded.
    assert [node["sequence"] for node in nodes] == sorted(
        (node["sequence"] for node in nodes), reverse=True
    )
    await _store(database)
    again = await clinical_api.execute(_LOG, variables, token=token_of(patient))
    newest = again["data"]["accessLog"]["nodes"][0]
    assert (newest["actorUserId"], newest["parts"][0]["type"]) == (
        str(patient.user_id),
        "access_log",
    )


async def test_a_patient_cannot_read_another_patients_log(
    clinical_api: ClinicalApi, database: Database
) -> None:
    me, other = await new_patient(database, linked=True), await new_patient(database)
    body = await clinical_api.execute(_LOG, {"id": str(other.id)}, token=token_of(me))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    [denial] = await _denials(database)
    assert (denial["reason"], denial["patientIds"]) == ("NOT_OWN_RECORD", [str(other.id)])


async def test_admin_reads_any_log_doctors_none(
    clinical_api: ClinicalApi, database: Database
) -> None:
    doctor = await new_doctor(database)
    patient = await new_patient(database)
    await in_care(database, patient, doctor)
    await clinical_api.execute(_PATIENT, {"id": str(patient.id)}, token=token_of(doctor))
    await _store(database)
    admin = make_caller(Role.ADMIN)
    body = await clinical_api.execute(_LOG, {"id": str(patient.id), "first": 1}, caller=admin)
    page = body["data"]["accessLog"]
    assert page["nodes"][0]["actorUserId"] == str(doctor.user_id)
    assert page["pageInfo"]["hasNextPage"] is False
    refused = await clinical_api.execute(_LOG, {"id": str(patient.id)}, token=token_of(doctor))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    [denial] = await _denials(database)
    assert (denial["reason"], denial["patientIds"], denial["target"]) == (
        "MISSING_SCOPE",
        [str(patient.id)],
        {"field": "accessLog"},
    )


async def test_entity_lookups_record_their_denials(
    clinical_api: ClinicalApi, database: Database
) -> None:
    stranger = await new_doctor(database)
    patients = [await new_patient(database), await new_patient(database)]
    reps = [{"__typename": "Patient", "id": str(p.id)} for p in patients]
    body = await clinical_api.execute(_ENTITIES, {"reps": reps}, caller=caller_of(stranger))
    assert {error["extensions"]["code"] for error in body["errors"]} == {"FORBIDDEN"}
    [denial] = await _denials(database)
    assert denial["reason"] == "NO_CARE_RELATIONSHIP"
    assert sorted(denial["patientIds"]) == sorted(str(p.id) for p in patients)


async def test_admin_verifies_the_chain(clinical_api: ClinicalApi, database: Database) -> None:
    doctor = await new_doctor(database)
    patient = await new_patient(database)
    await in_care(database, patient, doctor)
    await clinical_api.execute(_PATIENT, {"id": str(patient.id)}, token=token_of(doctor))
    await _store(database)
    body = await clinical_api.execute(_VERIFY, caller=make_caller(Role.ADMIN))
    result = body["data"]["verifyAuditChain"]
    assert (result["intact"], result["entries"], result["firstBrokenSequence"]) == (True, 1, None)
    refused = await clinical_api.execute(_VERIFY, token=token_of(doctor))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_patient_sees_a_break_glass_read_by_name_and_only_their_own_entries(
    clinical_api: ClinicalApi, database: Database
) -> None:
    doctor = await new_doctor(database)
    mine, other = await new_patient(database, linked=True), await new_patient(database)
    for patient in (mine, other):
        await break_glass(database, caller_of(doctor), patient, reason="Collapsed in clinic")
        read = await clinical_api.execute(_PATIENT, {"id": str(patient.id)}, token=token_of(doctor))
        assert "errors" not in read, read
    await _store(database)

    query = """
    query($id: ID!) {
      accessLog(patientId: $id, first: 100) {
        nodes { actorUserId actorName actorRole action breakGlass basis parts { type id } }
      }
    }
    """
    body = await clinical_api.execute(query, {"id": str(mine.id)}, token=token_of(mine))
    nodes = body["data"]["accessLog"]["nodes"]
    reads = [n for n in nodes if n["actorUserId"] == str(doctor.user_id) and n["action"] == "read"]
    assert [(n["actorName"], n["actorRole"], n["breakGlass"], n["basis"]) for n in reads] == [
        (f"Dr {doctor.given_name} {doctor.family_name}", "DOCTOR", True, "BREAK_GLASS")
    ]
    assert all(part["id"] != str(other.id) for node in nodes for part in node["parts"])
    assert {part["id"] for node in nodes for part in node["parts"]} <= {str(mine.id), None}
