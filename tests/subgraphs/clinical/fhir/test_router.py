"""``/fhir/R4`` over real HTTP with the ``fhirpy`` client: every answer validated by the R4B models."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fhirpy.base.exceptions import OperationOutcome as OutcomeError
from fhirpy.base.exceptions import ResourceNotFound
from sqlmodel import col

from subgraphs.clinical.appointments.models import Appointment
from subgraphs.common.context import Role
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.factories import (
    at,
    count_rows,
    new_doctor,
    new_patient,
    next_monday,
    token_of,
    with_schedule,
)
from tests.subgraphs.clinical.fhir.conftest import FhirServer, valid
from tests.support.callers import make_caller, token_for
from tests.support.fhir import assert_outcome

ADMIN_CALLER = make_caller(Role.ADMIN)


def admin() -> str:
    """A fresh ADMIN token (one minted at import would expire during a long run)."""
    return token_for(ADMIN_CALLER)


FHIR_JSON = "application/fhir+json"


async def test_metadata_is_a_capability_statement(fhir: FhirServer) -> None:
    async with fhir.http() as http:
        response = await http.get("/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FHIR_JSON)
    statement = valid(response.json())
    rest = statement.model_dump(mode="json", by_alias=True, exclude_none=True)["rest"][0]
    by_type = {r["type"]: r for r in rest["resource"]}
    assert {"create", "update", "patch", "vread"} <= {
        i["code"] for i in by_type["Patient"]["interaction"]
    }
    assert {"name", "birthdate", "identifier"} <= {
        p["name"] for p in by_type["Patient"]["searchParam"]
    }
    assert "patient/Patient.read" in rest["security"]["description"]


async def test_patient_lifecycle_with_fhirpy(fhir: FhirServer) -> None:
    client = fhir.client(admin())
    patient = client.resource(
        "Patient",
        name=[{"family": "Fhirlinde", "given": ["Oda"]}],
        birthDate="1971-03-04",
        gender="female",
        telecom=[{"system": "phone", "value": "+44 20 7946 0011"}],
    )
    await patient.save()
    created = valid(patient.serialize())
    assert created.meta is not None
    assert created.meta.versionId == "1"
    mrn = patient["identifier"][0]["value"]

    by_name = (
        await client.resources("Patient").search(name="fhirlinde", birthdate="1971-03-04").fetch()
    )
    assert [p.id for p in by_name] == [patient.id]
    by_mrn = (
        await client.resources("Patient").search(identifier=f"urn:healthgraph:mrn|{mrn}").fetch()
    )
    assert [p.id for p in by_mrn] == [patient.id]
    assert (
        await client.resources("Patient").search(name="fhirlinde", birthdate="1971-03-05").fetch()
        == []
    )

    patient["telecom"] = [{"system": "email", "value": "oda@example.test"}]
    await patient.save()  # PUT
    assert patient["meta"]["versionId"] == "2"
    assert patient["telecom"] == [{"system": "email", "value": "oda@example.test"}]

    await patient.refresh()  # If-None-Match: the current version answers 304
    assert patient["meta"]["versionId"] == "2"
    async with fhir.http(admin()) as http:
        unchanged = await http.get(f"/Patient/{patient.id}", headers={"if-none-match": 'W/"2"'})
        assert unchanged.status_code == 304

    patched = await client.patch("Patient", patient.id, gender="other")  # merge patch
    assert valid(patched).gender == "other"
    assert patched["meta"]["versionId"] == "3"

    async with fhir.http(admin()) as http:
        json_patch = await http.patch(
            f"/Patient/{patient.id}",
            json=[{"op": "replace", "path": "/birthDate", "value": "1971-03-05"}],
            headers={"content-type": "application/json-patch+json", "if-match": 'W/"3"'},
        )
        assert json_patch.status_code == 200, json_patch.text
        assert json_patch.headers["etag"] == 'W/"4"'
        assert valid(json_patch.json()).birthDate.isoformat() == "1971-03-05"

        stale = await http.put(
            f"/Patient/{patient.id}", json=patched, headers={"if-match": 'W/"3"'}
        )
        assert stale.status_code == 412
        assert_outcome(stale.json(), "conflict")

        current = await http.get(f"/Patient/{patient.id}/_history/4")
        assert current.status_code == 200
        old = await http.get(f"/Patient/{patient.id}/_history/1")
        assert old.status_code == 404
        assert_outcome(old.json(), "not-found")
        listed = await http.get(f"/Patient/{patient.id}/_history")
        assert valid(listed.json()).type == "history"


async def test_a_patient_sees_only_their_own(fhir: FhirServer) -> None:
    alice = await new_patient(fhir.database, linked=True)
    bob = await new_patient(fhir.database, linked=True)
    client = fhir.client(token_of(alice))
    own = await client.resources("Patient").search().fetch_all()
    assert [p.id for p in own] == [str(alice.id)]
    assert (await client.reference("Patient", str(alice.id)).to_resource()).id == str(alice.id)
    with pytest.raises(ResourceNotFound):
        await client.reference("Patient", str(bob.id)).to_resource()
    async with fhir.http(token_of(alice)) as http:
        other = await http.get(f"/Patient/{bob.id}")
        assert other.status_code == 404
        assert_outcome(other.json(), "not-found")
        denied = await http.post("/Patient", json={"resourceType": "Patient", "gender": "male"})
        assert denied.status_code == 403
        assert_outcome(denied.json(), "forbidden")


async def _doctor_and_slot(fhir: FhirServer) -> tuple[Any, Any]:
    doctor = await with_schedule(fhir.database, await new_doctor(fhir.database))
    return doctor, at(next_monday(), 10)


def _appointment(patient_id: Any, doctor_id: Any, start: Any, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "status": "booked",
        "start": start.isoformat(),
        "participant": [
            {"actor": {"reference": f"Patient/{patient_id}"}, "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{doctor_id}"}, "status": "accepted"},
        ],
        **extra,
    }


async def test_booking_through_fhir_refuses_double_booking(fhir: FhirServer) -> None:
    doctor, start = await _doctor_and_slot(fhir)
    alice = await new_patient(fhir.database, linked=True)
    bob = await new_patient(fhir.database, linked=True)
    booked = fhir.client(token_of(alice)).resource(
        "Appointment", **_appointment(alice.id, doctor.id, start, description="Check-up")
    )
    await booked.save()
    assert valid(booked.serialize()).status == "booked"
    with pytest.raises(OutcomeError) as refused:
        await (
            fhir.client(token_of(bob))
            .resource("Appointment", **_appointment(bob.id, doctor.id, start))
            .save()
        )
    assert_outcome(refused.value.resource, "conflict")
    assert (
        await count_rows(fhir.database, Appointment, col(Appointment.doctor_id) == doctor.id) == 1
    )
    events = await count_rows(
        fhir.database,
        OutboxEvent,
        col(OutboxEvent.aggregate_id) == booked.id,
        col(OutboxEvent.type) == "appointment.booked",
    )
    assert events == 1
    async with fhir.http(token_of(bob)) as http:
        hidden = await http.get(f"/Appointment/{booked.id}")
        assert hidden.status_code == 404
        assert_outcome(hidden.json(), "not-found")


async def test_appointment_search_paging_versions_and_if_match(fhir: FhirServer) -> None:
    doctor, start = await _doctor_and_slot(fhir)
    patient = await new_patient(fhir.database, linked=True)
    token = token_of(patient)
    client = fhir.client(token)
    ids = []
    for n in range(3):
        created = client.resource(
            "Appointment", **_appointment(patient.id, doctor.id, start + timedelta(hours=n))
        )
        await created.save()
        ids.append(created.id)
    search = client.resources("Appointment").search(
        patient=f"Patient/{patient.id}", date=f"ge{start.date().isoformat()}", status="booked"
    )
    everything = await search.limit(1).fetch_all()  # follows Bundle.link "next"
    assert [a.id for a in everything] == ids
    async with fhir.http(token) as http:
        page = await http.get(
            "/Appointment", params={"patient": f"Patient/{patient.id}", "_count": "2"}
        )
        bundle = valid(page.json())
        assert bundle.type == "searchset"
        assert len(bundle.entry or []) == 2
        assert {link.relation for link in bundle.link or []} == {"self", "next"}

        first = (await http.get(f"/Appointment/{ids[0]}")).json()
        cancelled = {**first, "status": "cancelled", "cancelationReason": {"text": "Away"}}
        done = await http.put(
            f"/Appointment/{ids[0]}", json=cancelled, headers={"if-match": 'W/"1"'}
        )
        assert done.status_code == 200, done.text
        assert done.headers["etag"] == 'W/"2"'
        assert valid(done.json()).status == "cancelled"
        again = await http.put(
            f"/Appointment/{ids[0]}", json=cancelled, headers={"if-match": 'W/"1"'}
        )
        assert again.status_code == 412
        assert_outcome(again.json(), "conflict")

        version_one = valid((await http.get(f"/Appointment/{ids[0]}/_history/1")).json())
        assert version_one.status == "booked"
        history = valid((await http.get(f"/Appointment/{ids[0]}/_history")).json())
        assert [e.resource.meta.versionId for e in history.entry or []] == ["2", "1"]
        later = start + timedelta(days=1)
        moved = await http.patch(
            f"/Appointment/{ids[1]}",
            json={"start": later.isoformat(), "end": (later + timedelta(minutes=30)).isoformat()},
            headers={"content-type": "application/merge-patch+json", "if-match": 'W/"1"'},
        )
        assert moved.status_code == 200, moved.text
        assert valid(moved.json()).start == later
        assert moved.headers["etag"] == 'W/"2"'
        clash = await http.patch(
            f"/Appointment/{ids[1]}",
            json={"start": start.isoformat(), "end": (start + timedelta(minutes=30)).isoformat()},
            headers={"content-type": "application/merge-patch+json"},
        )
        assert clash.status_code == 200  # the first appointment was cancelled: its time is free
        overlap = await http.patch(
            f"/Appointment/{ids[1]}",
            json={"start": (start + timedelta(hours=2)).isoformat(), "end": None},
            headers={"content-type": "application/merge-patch+json"},
        )
        assert overlap.status_code == 409
        assert_outcome(overlap.json(), "conflict")

        none = await http.get(
            "/Appointment", params={"patient": f"Patient/{patient.id}", "status": "noshow"}
        )
        assert valid(none.json()).entry is None


async def test_errors_are_operation_outcomes(fhir: FhirServer) -> None:
    async with fhir.http() as anonymous:
        response = await anonymous.get("/Patient")
        assert response.status_code == 401
        assert_outcome(response.json(), "login")
        bad_token = await anonymous.get("/Patient", headers={"authorization": "Bearer nope"})
        assert bad_token.status_code == 401
        assert_outcome(bad_token.json(), "login")
    async with fhir.http(admin()) as http:
        unknown = await http.get("/Basic/1")
        assert unknown.status_code == 404
        assert_outcome(unknown.json(), "not-supported")
        not_json = await http.post("/Patient", content=b"{", headers={"content-type": FHIR_JSON})
        assert not_json.status_code == 400
        assert_outcome(not_json.json(), "invalid")
        wrong_type = await http.post(
            "/Patient", content=b"x", headers={"content-type": "text/plain"}
        )
        assert wrong_type.status_code == 415
        assert_outcome(wrong_type.json(), "not-supported")
        invalid = await http.post(
            "/Patient", json={"resourceType": "Patient", "birthDate": "tomorrow"}
        )
        assert invalid.status_code == 400
        assert_outcome(invalid.json(), "invalid")
        for params in ({"colour": "blue"}, {"name:exact": "Ng"}):
            param = await http.get("/Patient", params=params)
            assert param.status_code == 400
            assert_outcome(param.json(), "not-supported")
        delete = await http.delete("/Patient/x")
        assert delete.status_code == 405
        assert_outcome(delete.json(), "not-supported")
        nowhere = await http.get("/Patient/x/_history/1/more")
        assert nowhere.status_code == 404
        assert_outcome(nowhere.json(), "not-supported")
        bad_match = await http.put(
            "/Patient/x", json={"resourceType": "Patient", "id": "x"}, headers={"if-match": "nope"}
        )
        assert bad_match.status_code == 400
        assert_outcome(bad_match.json(), "invalid")
