"""Hostile operations and input at the clinical subgraph: refused as client errors, no tracebacks."""

from __future__ import annotations

import base64
import logging
import uuid
from typing import Any

import httpx
import orjson
import pytest

from subgraphs.common.context import Caller
from tests.subgraphs.clinical.conftest import ClinicalApi
from tests.subgraphs.clinical.factories import new_patient
from tests.support.callers import token_for
from tests.support.hostile import aliases, fragment_bomb

ENTITIES = "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id } } }"
CREATE = "mutation ($input: PatientInput!) { createPatient(input: $input) { id } }"


async def post(
    api: ClinicalApi,
    query: str,
    variables: dict[str, Any] | None = None,
    caller: Caller | None = None,
) -> httpx.Response:
    headers = {"authorization": f"Bearer {token_for(caller)}"} if caller else {}
    return await api.http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], "a client error logged a traceback"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("levels", [25, 50, 100])
async def test_a_fragment_bomb_is_refused(clinical_api: ClinicalApi, levels: int) -> None:
    response = await post(clinical_api, fragment_bomb(levels))
    assert response.status_code == 400
    assert "MAX_SELECTIONS_EXCEEDED" in codes(response)


@pytest.mark.timeout(60)
async def test_an_aliases_is_refused(clinical_api: ClinicalApi) -> None:
    flood = await post(clinical_api, aliases(10_000, "prescriptionSigningKeys { kid }"))
    assert (flood.status_code, codes(flood)) == (400, ["MAX_TOKENS_EXCEEDED"])
    many = await post(clinical_api, aliases(31, "prescriptionSigningKeys { kid }"))
    assert (many.status_code, codes(many)) == (
        400,
        ["MAX_ALIASES_EXCEEDED", "MAX_ROOT_FIELDS_EXCEEDED"],
    )


@pytest.mark.timeout(60)
async def test_a_huge_list_variable_is_bad_user_input(
    clinical_api: ClinicalApi, admin: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    representations = [
        {"__typename": "Patient", "id": str(uuid.UUID(int=i))} for i in range(200_000)
    ]
    response = await post(clinical_api, ENTITIES, {"r": representations}, admin)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "path": "$r", "maxLength": 10_000}
    no_tracebacks(caplog)


@pytest.mark.timeout(120)
async def test_more_entities_than_one_batch_are_answered(
    clinical_api: ClinicalApi, admin: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    """2,500 representations are looked up in batches of 1,000 (one IN list each)."""
    representations = [{"__typename": "Patient", "id": str(uuid.UUID(int=i))} for i in range(2_500)]
    response = await post(clinical_api, ENTITIES, {"r": representations}, admin)
    body = response.json()
    assert len(body["data"]["_entities"]) == 2_500
    assert set(codes(response)) == {"NOT_FOUND"}
    no_tracebacks(caplog)


@pytest.mark.parametrize(
    "patient",
    [
        {
            "givenName": "Ad\x00a",
            "familyName": "Null",
            "dateOfBirth": "1990-01-01",
            "sex": "FEMALE",
        },
        {"givenName": "Ada", "familyName": "Old", "dateOfBirth": "0001-01-01", "sex": "FEMALE"},
        {"givenName": "Ada", "familyName": "Late", "dateOfBirth": "9999-12-31", "sex": "FEMALE"},
    ],
)
async def test_nul_bytes_and_out_of_range_dates_are_bad_user_input(
    clinical_api: ClinicalApi,
    admin: Caller,
    patient: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = await post(clinical_api, CREATE, {"input": patient}, admin)
    assert codes(response) == ["BAD_USER_INPUT"]
    assert response.json().get("data") is None
    no_tracebacks(caplog)


async def test_a_year_one_datetime_is_bad_user_input(
    clinical_api: ClinicalApi, admin: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    query = (
        "query ($d: ID!, $from: DateTime!, $to: DateTime!) "
        "{ availableSlots(doctorId: $d, from: $from, to: $to) { startsAt } }"
    )
    variables = {
        "d": str(uuid.uuid4()),
        "from": "0001-01-01T00:00:00+05:00",
        "to": "2030-01-01T00:00:00Z",
    }
    response = await post(clinical_api, query, variables, admin)
    assert codes(response) == ["BAD_USER_INPUT"]
    no_tracebacks(caplog)


@pytest.mark.parametrize(
    "representation",
    [
        "Patient:1",
        {"id": str(uuid.uuid4())},
        {"__typename": "Nothing", "id": str(uuid.uuid4())},
        {"__typename": "Patient"},
        {"__typename": "Patient", "id": str(uuid.uuid4()), "ssn": "1"},
        {"__typename": "Patient", "id": ["not", "an", "id"]},
        {"__typename": "Patient", "id": "not-a-uuid"},
    ],
)
async def test_malformed_representations_are_bad_user_input(
    clinical_api: ClinicalApi, admin: Caller, representation: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = await post(clinical_api, ENTITIES, {"r": [representation]}, admin)
    assert response.json()["data"] == {"_entities": [None]}
    assert codes(response) == ["BAD_USER_INPUT"]
    no_tracebacks(caplog)
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 1


async def test_deeply_nested_json_in_a_prescription_check_is_refused(
    clinical_api: ClinicalApi, caplog: pytest.LogCaptureFixture
) -> None:
    deep = "[" * 10_000  # within the 16 KiB a prescription check accepts
    header = base64.urlsafe_b64encode(deep.encode()).decode().rstrip("=")
    query = (
        "query ($jws: String!, $payload: String) "
        "{ verifyPrescription(jws: $jws, payload: $payload) { status reason } }"
    )
    attached = await post(clinical_api, query, {"jws": f"{header}.e30.c2ln"})
    assert codes(attached) == ["BAD_USER_INPUT"]
    detached = await post(clinical_api, query, {"jws": "e30..c2ln", "payload": deep})
    assert codes(detached) == ["BAD_USER_INPUT"]
    no_tracebacks(caplog)


async def test_a_cursor_carrying_a_nul_byte_is_bad_user_input(
    clinical_api: ClinicalApi, admin: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    await new_patient(clinical_api.database)
    page = await post(
        clinical_api, "{ patients(first: 1) { pageInfo { endCursor } } }", None, admin
    )
    cursor = page.json()["data"]["patients"]["pageInfo"]["endCursor"]
    values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    forged = [values[0] + "\x00", *values[1:]]  # the family name
    after = base64.urlsafe_b64encode(orjson.dumps(forged)).decode().rstrip("=")
    query = "query ($after: String) { patients(first: 1, after: $after) { nodes { id } } }"
    response = await post(clinical_api, query, {"after": after}, admin)
    assert codes(response) == ["BAD_USER_INPUT"]
    no_tracebacks(caplog)
