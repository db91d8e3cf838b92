"""The clinical service over HTTP: schema directives, authentication, errors and ``_entities``."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import col, select

from subgraphs.clinical.app import create_app
from subgraphs.clinical.people.models import Patient, StaffRole
from subgraphs.clinical.schema import schema
from subgraphs.common.context import Caller, Role
from subgraphs.common.outbox import OutboxEvent
from subgraphs.common.tokens import JwtVerifier, RedisRevocationList, RemoteJwks
from tests.subgraphs.clinical.conftest import ClinicalApi, clinical_settings, make_caller
from tests.subgraphs.clinical.factories import (
    at,
    book,
    caller_of,
    new_doctor,
    new_patient,
    new_staff,
    next_monday,
    with_schedule,
)
from tests.support.tokens import JWKS, mint

ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Patient { id mrn familyName }
    ... on Appointment { id status patient { familyName } doctor { familyName } }
    ... on Doctor { id familyName }
    ... on MedicalStaff { id staffRole }
    ... on User { id patient { id } doctor { id } staffMember { id } }
  }
}
"""


def codes(body: dict[str, Any]) -> list[tuple[list[Any], str]]:
    return [(e["path"], e["extensions"]["code"]) for e in body.get("errors", [])]


def test_sdl_declares_entities_and_authorization_directives() -> None:
    sdl = schema.as_str()
    for entity in ("Patient", "Doctor", "MedicalStaff", "Appointment", "User"):
        assert f'type {entity} @key(fields: "id")' in sdl
    assert (
        'type Patient @key(fields: "id") @authenticated @policy(policies: [["clinical.patient_access"]]) '
        '@requiresScopes(scopes: [["patients:read"], ["patients:read:own"]])'
    ) in sdl
    assert "bookAppointment(input: BookAppointmentInput!): Appointment! @authenticated" in sdl
    assert '@requiresScopes(scopes: [["appointments:write"], ["appointments:write:own"]])' in sdl
    assert "breakGlass(" in sdl
    assert '@requiresScopes(scopes: [["records:break-glass"]])' in sdl
    assert '@requiresScopes(scopes: [["care-team:write"]])' in sdl
    assert "_entities(representations: [_Any!]!): [_Entity]!" in sdl


async def test_anonymous_and_missing_scopes_are_refused(clinical_api: ClinicalApi) -> None:
    body = await clinical_api.execute("{ patients { nodes { id } } }")
    assert codes(body) == [(["patients"], "UNAUTHENTICATED")]
    no_scope = make_caller(Role.STAFF, scopes=("appointments:read",))
    body = await clinical_api.execute("{ patients { nodes { id } } }", caller=no_scope)
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "FORBIDDEN",
        "requiredScopes": [["patients:read"], ["patients:read:own"]],
    }
    body = await clinical_api.execute(
        ENTITIES, {"representations": [{"__typename": "Patient", "id": str(uuid.uuid4())}]}
    )
    assert codes(body) == [(["_entities", 0], "UNAUTHENTICATED")]


async def test_create_and_search_patients_over_graphql(
    clinical_api: ClinicalApi, admin: Caller
) -> None:
    create = """
    mutation ($input: PatientInput!) {
      createPatient(input: $input) { id mrn givenName address { city country } insurance { payer } }
    }
    """
    body = await clinical_api.execute(
        create,
        {
            "input": {
                "givenName": "Zed",
                "familyName": "Quill",
                "dateOfBirth": "1990-04-01",
                "sex": "OTHER",
                "address": {"city": "Bergen", "country": "no"},
                "insurance": {"payer": "Synthetic Mutual", "memberId": "SM-1"},
            }
        },
        caller=admin,
    )
    created = body["data"]["createPatient"]
    assert created["address"] == {"city": "Bergen", "country": "NO"}
    assert created["insurance"] == {"payer": "Synthetic Mutual"}
    bad = await clinical_api.execute(
        create,
        {"input": {"givenName": "", "familyName": "Q", "dateOfBirth": "1800-01-01", "sex": "MALE"}},
        caller=admin,
    )
    [error] = bad["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"] == {
        "givenName": "is required",
        "dateOfBirth": "must not be before 1900-01-01",
    }
    found = await clinical_api.execute(
        "query ($q: String) { patients(search: $q) { nodes { id } pageInfo { hasNextPage } } }",
        {"q": created["mrn"]},
        caller=admin,
    )
    assert found["data"]["patients"] == {
        "nodes": [{"id": created["id"]}],
        "pageInfo": {"hasNextPage": False},
    }


async def test_booking_conflict_over_graphql_names_the_times(
    clinical_api: ClinicalApi, admin: Caller
) -> None:
    db = clinical_api.database
    doctor = await with_schedule(db, await new_doctor(db))
    first, second = await new_patient(db), await new_patient(db)
    day = next_monday()
    mutation = """
    mutation ($input: BookAppointmentInput!) {
      bookAppointment(input: $input) { id status startsAt endsAt history { toStatus actor } }
    }
    """

    def booking(patient: Patient) -> dict[str, Any]:
        return {
            "input": {
                "patientId": str(patient.id),
                "doctorId": str(doctor.id),
                "startsAt": at(day, 9).isoformat(),
            }
        }

    ok = await clinical_api.execute(mutation, booking(first), caller=admin)
    booked = ok["data"]["bookAppointment"]
    assert booked["status"] == "BOOKED"
    assert booked["history"] == [{"toStatus": "BOOKED", "actor": admin.actor}]
    clash = await clinical_api.execute(mutation, booking(second), caller=admin)
    [error] = clash["errors"]
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["conflicts"][0]["startsAt"] == at(day, 9).isoformat()
    assert at(day, 9).isoformat() in error["message"]
    slots = await clinical_api.execute(
        "query ($d: ID!, $f: DateTime!, $t: DateTime!) { availableSlots(doctorId: $d, from: $f, to: $t) { startsAt } }",
        {"d": str(doctor.id), "f": at(day, 9).isoformat(), "t": at(day, 10).isoformat()},
        caller=caller_of(second) if second.user_id else make_caller(Role.PATIENT),
    )
    assert slots["data"]["availableSlots"] == [{"startsAt": at(day, 9, 30).isoformat()}]


@pytest.fixture
async def ward(clinical_api: ClinicalApi) -> dict[str, Any]:
    """A doctor with one booked patient, a stranger patient, a receptionist and a nurse."""
    db = clinical_api.database
    doctor = await with_schedule(db, await new_doctor(db))
    mine = await new_patient(db, linked=True)
    stranger = await new_patient(db, linked=True)
    appointment = await book(db, mine, doctor, at(next_monday(), 9))
    return {
        "doctor": doctor,
        "mine": mine,
        "stranger": stranger,
        "appointment": appointment,
        "receptionist": await new_staff(db, StaffRole.RECEPTIONIST),
    }


def reps(*pairs: tuple[str, object]) -> dict[str, Any]:
    return {"representations": [{"__typename": t, "id": str(i)} for t, i in pairs]}


async def test_entities_apply_the_access_rules_for_every_role(
    clinical_api: ClinicalApi, ward: dict[str, Any], admin: Caller
) -> None:
    mine, stranger, appointment = ward["mine"], ward["stranger"], ward["appointment"]
    asked = reps(
        ("Patient", mine.id),
        ("Patient", stranger.id),
        ("Appointment", appointment.id),
        ("Patient", uuid.uuid4()),
    )
    expectations: dict[str, tuple[Caller, list[str | None]]] = {
        "patient": (caller_of(mine), ["ok", "NOT_FOUND", "ok", "NOT_FOUND"]),
        "doctor": (caller_of(ward["doctor"]), ["ok", "FORBIDDEN", "ok", "NOT_FOUND"]),
        "staff": (caller_of(ward["receptionist"]), ["ok", "ok", "ok", "NOT_FOUND"]),
        "admin": (admin, ["ok", "ok", "ok", "NOT_FOUND"]),
    }
    for role, (caller, expected) in expectations.items():
        body = await clinical_api.execute(ENTITIES, asked, caller=caller)
        errors = {e["path"][1]: e["extensions"]["code"] for e in body.get("errors", [])}
        got = [
            "ok" if item is not None else errors.get(index)
            for index, item in enumerate(body["data"]["_entities"])
        ]
        assert got == expected, (role, body)
    body = await clinical_api.execute(ENTITIES, asked, caller=caller_of(mine))
    assert body["data"]["_entities"][2]["patient"]["familyName"] == mine.family_name
    # The stranger's own view of the appointment is refused without revealing it exists.
    body = await clinical_api.execute(
        ENTITIES, reps(("Appointment", appointment.id)), caller=caller_of(stranger)
    )
    assert codes(body) == [(["_entities", 0], "NOT_FOUND")]


async def test_entity_reads_are_audited(
    clinical_api: ClinicalApi, ward: dict[str, Any], admin: Caller
) -> None:
    mine, stranger = ward["mine"], ward["stranger"]
    await clinical_api.execute(
        ENTITIES, reps(("Patient", mine.id), ("Patient", stranger.id)), caller=admin
    )
    await clinical_api.execute(
        'query ($id: ID!) { patient(id: $id, reason: "Billing dispute") { id } }',
        {"id": str(mine.id)},
        caller=admin,
    )
    async with clinical_api.database.session() as session:
        first, second = (
            await session.exec(
                select(OutboxEvent)
                .where(col(OutboxEvent.type) == "access.read")
                .order_by(col(OutboxEvent.position))
            )
        ).all()
    assert first.actor == admin.actor
    assert {r["id"] for r in first.payload["records"]} == {str(mine.id), str(stranger.id)}
    assert second.payload["patients"][0]["reason"] == "Billing dispute"


async def test_user_entity_gains_patient_doctor_and_staff_member(
    clinical_api: ClinicalApi, ward: dict[str, Any], admin: Caller
) -> None:
    mine, doctor, receptionist = ward["mine"], ward["doctor"], ward["receptionist"]
    asked = reps(
        ("User", mine.user_id),
        ("User", doctor.user_id),
        ("User", receptionist.user_id),
        ("User", uuid.uuid4()),
    )
    body = await clinical_api.execute(ENTITIES, asked, caller=admin)
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {
            "__typename": "User",
            "id": str(mine.user_id),
            "patient": {"id": str(mine.id)},
            "doctor": None,
            "staffMember": None,
        },
        {
            "__typename": "User",
            "id": str(doctor.user_id),
            "patient": None,
            "doctor": {"id": str(doctor.id)},
            "staffMember": None,
        },
        {
            "__typename": "User",
            "id": str(receptionist.user_id),
            "patient": None,
            "doctor": None,
            "staffMember": {"id": str(receptionist.id)},
        },
        {
            "__typename": "User",
            "id": body["data"]["_entities"][3]["id"],
            "patient": None,
            "doctor": None,
            "staffMember": None,
        },
    ]
    own = await clinical_api.execute(
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { patient { mrn } } } }",
        {"r": [{"__typename": "User", "id": str(mine.user_id)}]},
        caller=caller_of(mine),
    )
    assert own["data"]["_entities"] == [{"patient": {"mrn": mine.mrn}}]


async def test_health_and_readiness(clinical_api: ClinicalApi) -> None:
    assert (await clinical_api.http.get("/health")).json() == {"status": "ok"}
    ready = (await clinical_api.http.get("/ready")).json()
    assert ready["checks"]["database"] == "ok"


# ------------------------------------------------------------------ real access tokens

AS_PATIENT = """
query ($id: ID!) {
  patient(id: $id) { id }
  careTeam(patientId: $id) { doctorId }
  appointments { nodes { id } }
}
"""
AS_DOCTOR = """
query ($a: ID!) { appointment(id: $a) { status patient { familyName } history { toStatus } } }
"""
AS_STAFF = """
mutation { createPatient(input: {givenName: "Ines", familyName: "Moreau",
  dateOfBirth: "1971-02-03", sex: FEMALE}) { id } }
"""
AS_ADMIN = """
mutation ($p: ID!, $d: ID!) {
  assignPatientToDoctor(patientId: $p, doctorId: $d)
  breakGlass(patientId: $p, reason: "Unconscious on arrival") { reason }
  createDoctor(input: {givenName: "Lena", familyName: "Vogel", specialty: "Neurology",
    licenceNumber: "DE-4412"}) { id }
}
"""


async def test_real_tokens_of_every_role_reach_their_fields(
    clinical_api: ClinicalApi, ward: dict[str, Any]
) -> None:
    """Tokens minted with the role table's scopes (as auth issues them) pass the real verifier."""
    mine, doctor, stranger = ward["mine"], ward["doctor"], ward["stranger"]
    cases: list[tuple[Role, uuid.UUID | None, str, dict[str, Any]]] = [
        (Role.PATIENT, mine.user_id, AS_PATIENT, {"id": str(mine.id)}),
        (Role.DOCTOR, doctor.user_id, AS_DOCTOR, {"a": str(ward["appointment"].id)}),
        (Role.STAFF, ward["receptionist"].user_id, AS_STAFF, {}),
        (Role.ADMIN, None, AS_ADMIN, {"p": str(stranger.id), "d": str(doctor.id)}),
    ]
    for role, user_id, query, variables in cases:
        body = await clinical_api.execute(query, variables, token=mint(role=role, user_id=user_id))
        assert "errors" not in body, (role, body)
    # ... and a role's token does not reach what its scopes do not grant.
    refused = await clinical_api.execute(AS_STAFF, token=mint(role=Role.PATIENT))
    [error] = refused["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN", "requiredScopes": [["patients:write"]]}


async def test_tokens_the_verifier_refuses_are_unauthenticated(clinical_api: ClinicalApi) -> None:
    now = int(time.time())
    forged = [
        mint(role=Role.ADMIN, key=Ed25519PrivateKey.generate()),  # not our key
        mint(role=Role.ADMIN, exp=now - 120, iat=now - 600, nbf=now - 600),  # expired
        mint(role=Role.ADMIN, aud="billing-only"),  # another audience
        mint(role=Role.ADMIN, headers={"typ": "JWT"}),  # an ID token, not an access token
        "not-a-token",
    ]
    for token in forged:
        response = await clinical_api.http.post(
            "/graphql",
            json={"query": "{ doctors { nodes { id } } }"},
            headers={"authorization": f"Bearer {token}"},
        )
        assert response.status_code == 401, token
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_default_app_fetches_keys_and_checks_auths_revocation_list(
    clinical_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = clinical_settings(
        clinical_url,
        key_path=tmp_path / "rx.pem",
        jwks_url="http://127.0.0.1:9/.well-known/jwks.json",
        redis_url=redis_url,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        verifier = app.state.service.verifier
        assert isinstance(verifier, JwtVerifier)
        assert isinstance(verifier.keys, RemoteJwks)
        assert verifier.keys.url == settings.jwks_url
        assert isinstance(verifier.revocations, RedisRevocationList)
    # A user auth disabled (or whose role changed) is refused at once, before the token expires.
    app = create_app(settings, jwks=JWKS, revocation=True)
    async with app.router.lifespan_context(app):
        user_id = uuid.uuid4()
        token = mint(role=Role.DOCTOR, user_id=user_id)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
            api = ClinicalApi(http, app.state.service.database)
            assert "errors" not in await api.execute("{ doctors { nodes { id } } }", token=token)
            revocations = app.state.service.verifier.revocations
            assert isinstance(revocations, RedisRevocationList)
            await revocations.revoke_user(str(user_id), ttl=60)
            body = await api.execute("{ doctors { nodes { id } } }", token=token)
            assert body["errors"][0]["message"] == "The access token has been revoked."
