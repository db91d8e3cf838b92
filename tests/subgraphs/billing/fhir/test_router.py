"""Billing's ``/fhir/R4`` over real HTTP with ``fhirpy``: Invoice, Claim and Coverage as the row
rules allow, every answer validated by the R4B models."""

from __future__ import annotations

import uuid

import pytest
from fhirpy.base.exceptions import ForbiddenError, ResourceNotFound
from sqlmodel import col, func, select

from subgraphs.billing.claims import service as claims
from subgraphs.billing.claims.chain import ClaimRegistry
from subgraphs.billing.claims.models import Claim
from subgraphs.billing.invoices import service as invoices
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.billing.factories import Billed, issued_invoice
from tests.support.callers import make_caller, token_for
from tests.support.fhir import FhirServer, assert_outcome, valid

FHIR_JSON = "application/fhir+json"


async def _claim(
    database: Database, registry: ClaimRegistry, staff: Caller, billed: Billed
) -> Claim:
    return await database.transact(
        lambda session: claims.submit_claim(
            session, registry=registry, caller=staff, invoice_id=billed.invoice.id,
            codes=("J20.9", "99213"),
        )
    )  # fmt: skip


async def _reads(database: Database, caller: Caller) -> int:
    async with database.session() as session:
        rows = await session.exec(
            select(func.count())
            .select_from(OutboxEvent)
            .where(col(OutboxEvent.type) == "access.read")
            .where(col(OutboxEvent.aggregate_id) == caller.actor)
        )
        return int(rows.one())


async def test_metadata_lists_invoice_claim_and_coverage(fhir: FhirServer) -> None:
    async with fhir.http() as http:
        response = await http.get("/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FHIR_JSON)
    statement = valid(response.json())
    rest = statement.model_dump(mode="json", by_alias=True, exclude_none=True)["rest"][0]
    by_type = {r["type"]: r for r in rest["resource"]}
    assert set(by_type) == {"Invoice", "Claim", "Coverage"}
    assert {p["name"] for p in by_type["Invoice"]["searchParam"]} == {"patient", "subject"}
    assert {i["code"] for i in by_type["Claim"]["interaction"]} == {"read", "search-type"}
    assert "patient/Invoice.read" in rest["security"]["description"]
    assert "Patient.read" not in rest["security"]["description"]


async def test_a_patient_reads_their_own_billing_and_not_anothers(
    fhir: FhirServer, database: Database, registry: ClaimRegistry, staff: Caller
) -> None:
    alice, bob = make_caller(Role.PATIENT), make_caller(Role.PATIENT)
    mine = await issued_invoice(
        database, staff, prices=("80.00", "40.00"), patient_user_id=alice.user_id
    )
    theirs = await issued_invoice(database, staff, patient_user_id=bob.user_id)
    my_claim = await _claim(database, registry, staff, mine)
    their_claim = await _claim(database, registry, staff, theirs)
    client = fhir.client(token_for(alice))

    invoice = await client.reference("Invoice", str(mine.invoice.id)).to_resource()
    read = valid(invoice.serialize())
    body = read.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert body["status"] == "issued"
    assert body["subject"]["reference"] == f"Patient/{mine.patient_id}"
    assert body["totalGross"] == {"value": 120.0, "currency": "GBP"}
    assert [line["sequence"] for line in body["lineItem"]] == [1, 2]
    assert body["identifier"][0]["value"] == mine.invoice.number

    claim = valid((await client.reference("Claim", str(my_claim.id)).to_resource()).serialize())
    claim_body = claim.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert claim_body["patient"]["reference"] == f"Patient/{mine.patient_id}"
    assert claim_body["total"] == {"value": 120.0, "currency": "GBP"}
    coverage_ref = claim_body["insurance"][0]["coverage"]["reference"]
    coverage = valid(await client.get(coverage_ref))
    cover = coverage.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert cover["payor"] == [{"display": "Synthetic Mutual"}]
    assert cover["subscriberId"] == "POL-0001"
    assert cover["beneficiary"]["reference"] == f"Patient/{mine.patient_id}"

    found = await client.resources("Invoice").search(patient=f"Patient/{mine.patient_id}").fetch()
    assert [r.id for r in found] == [str(mine.invoice.id)]
    everything = await client.resources("Claim").fetch_all()
    assert [r.id for r in everything] == [str(my_claim.id)]  # never Bob's
    covers = await client.resources("Coverage").search(patient=str(mine.patient_id)).fetch()
    assert [r.id for r in covers] == [str(mine.invoice.account_id)]
    assert await _reads(database, alice) >= 6

    async with fhir.http(token_for(alice)) as http:
        for path in (
            f"/Invoice/{theirs.invoice.id}",
            f"/Claim/{their_claim.id}",
            f"/Coverage/{theirs.invoice.account_id}",
            f"/Coverage?beneficiary=Patient/{theirs.patient_id}",
        ):
            response = await http.get(path)
            assert response.status_code in (403, 404), path
            assert_outcome(
                response.json(), "forbidden" if response.status_code == 403 else "not-found"
            )
    found = await client.resources("Invoice").search(subject=f"Patient/{theirs.patient_id}").fetch()
    assert found == []  # a search reaches only the caller's own rows
    with pytest.raises(ForbiddenError):
        await client.reference("Claim", str(their_claim.id)).to_resource()


async def test_the_desk_pages_through_a_patients_invoices(
    fhir: FhirServer, database: Database, staff: Caller
) -> None:
    first = await issued_invoice(database, staff)
    async with database.transaction() as session:
        draft = await invoices.create_invoice(
            session, caller=staff, patient_id=first.patient_id, default_currency="GBP"
        )
        draft.created_at = first.invoice.created_at  # a tie: the cursor must still move on
        session.add(draft)
    expected = sorted([str(first.invoice.id), str(draft.id)])  # ties go by id
    async with fhir.http(token_for(staff)) as http:
        response = await http.get(
            "/Invoice", params={"patient": str(first.patient_id), "_count": 1}
        )
        assert response.status_code == 200
        body = valid(response.json()).model_dump(mode="json", by_alias=True, exclude_none=True)
        links = {link["relation"]: link["url"] for link in body["link"]}
        assert [e["resource"]["id"] for e in body["entry"]] == expected[:1]
        rest = await http.get(links["next"])
        tail = rest.json()
        valid(tail)
        assert [e["resource"]["id"] for e in tail["entry"]] == expected[1:]
        assert "next" not in {link["relation"] for link in tail["link"]}
        stale = await http.get("/Invoice", params={"_cursor": "yesterday"})
        assert stale.status_code == 400
        assert_outcome(stale.json(), "invalid")
    everything = (
        await fhir.client(token_for(staff))
        .resources("Invoice")
        .search(patient=str(first.patient_id))
        .limit(1)
        .fetch_all()
    )
    assert [r.id for r in everything] == expected
    statuses = {r.id: r["status"] for r in everything}
    assert statuses == {str(first.invoice.id): "issued", str(draft.id): "draft"}


async def test_errors_are_operation_outcomes(
    fhir: FhirServer, database: Database, staff: Caller
) -> None:
    uninsured = await issued_invoice(database, staff, insurer=None, policy_number=None)
    token = token_for(staff)
    async with fhir.http() as anonymous:
        response = await anonymous.get(f"/Invoice/{uninsured.invoice.id}")
        assert response.status_code == 401
        assert_outcome(response.json(), "login")
    async with fhir.http(token) as http:
        cases = {
            f"/Invoice/{uuid.uuid4()}": (404, "not-found"),
            "/Invoice/not-a-uuid": (404, "not-found"),
            f"/Coverage/{uninsured.invoice.account_id}": (404, "not-found"),
            "/Patient/123": (404, "not-supported"),
            "/Invoice?status=issued": (400, "not-supported"),
            "/Coverage": (400, "invalid"),
            "/Claim?patient=Practitioner/1": (400, "invalid"),
        }
        for path, (status, code) in cases.items():
            response = await http.get(path)
            assert response.status_code == status, (path, response.text)
            assert_outcome(response.json(), code)
        response = await http.post("/Invoice", json={"resourceType": "Invoice"})
        assert response.status_code == 405
        assert_outcome(response.json(), "not-supported")
        read = await http.get(f"/Invoice/{uninsured.invoice.id}")
        assert read.headers["etag"] == f'W/"{uninsured.invoice.version}"'
        same = await http.get(
            f"/Invoice/{uninsured.invoice.id}", headers={"if-none-match": read.headers["etag"]}
        )
        assert same.status_code == 304
    doctor = make_caller(Role.DOCTOR)  # user/Invoice.read, but whole invoices are not theirs
    async with fhir.http(token_for(doctor)) as http:
        response = await http.get("/Invoice")
        assert response.status_code == 403
        assert_outcome(response.json(), "forbidden")
    with pytest.raises(ResourceNotFound):
        await fhir.client(token).reference("Invoice", str(uuid.uuid4())).to_resource()
