"""The billing app over HTTP: every path to an invoice follows the row rules, ``_entities`` too."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import col, select

from subgraphs.billing.accounts.service import ensure_account
from subgraphs.billing.invoices import service
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.invoices.visits import bill_completed_appointment
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.outbox.models import OutboxEvent
from tests.subgraphs.billing.conftest import BillingApi
from tests.subgraphs.billing.invoices.test_visits import completed
from tests.support.callers import make_caller, token_for
from tests.support.statements import counting

ENTITIES = "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { id number } ... on Patient { id balance { amount } invoices { id } billingAccount { id } } ... on Appointment { id invoiceLine { id total { amount currency } } } } }"


@dataclass
class Clinic:
    alice: Caller  # a patient
    bob: Caller  # another patient
    alice_patient: uuid.UUID
    bob_patient: uuid.UUID
    alice_invoice: uuid.UUID
    bob_invoice: uuid.UUID
    doctor: Caller
    own_visit: uuid.UUID  # an appointment of ``doctor`` (Bob's)
    other_visit: uuid.UUID  # Bob's appointment with another doctor


@pytest.fixture
async def clinic(database: Database, staff: Caller) -> Clinic:
    alice, bob, doctor = (
        make_caller(Role.PATIENT),
        make_caller(Role.PATIENT),
        make_caller(Role.DOCTOR),
    )
    alice_patient, bob_patient = uuid.uuid4(), uuid.uuid4()
    invoices = {}
    for caller, patient in ((alice, alice_patient), (bob, bob_patient)):
        async with database.transaction() as session:
            await ensure_account(
                session,
                patient_id=patient,
                patient_user_id=caller.user_id,
                actor="t",
                currency="GBP",
            )
            invoice = await service.create_invoice(
                session, caller=staff, patient_id=patient, default_currency="GBP"
            )
            await service.add_line(
                session, caller=staff, invoice_id=invoice.id,
                line=service.LineDraft("LAB", "Blood panel", unit_price=Decimal("30.00")),
            )  # fmt: skip
        await database.transact(
            lambda s, i=invoice.id: service.issue_invoice(s, caller=staff, invoice_id=i)
        )
        invoices[patient] = invoice.id
    own_visit, other_visit = uuid.uuid4(), uuid.uuid4()
    async with database.transaction() as session:
        for visit, doctor_user in ((own_visit, doctor.user_id), (other_visit, uuid.uuid4())):
            event = completed(visit, bob_patient)
            event.payload["doctorUserId"] = str(doctor_user)
            await bill_completed_appointment(
                session, event, settings=InvoiceSettings(), currency="GBP"
            )
    return Clinic(
        alice, bob, alice_patient, bob_patient, invoices[alice_patient], invoices[bob_patient],
        doctor, own_visit, other_visit,
    )  # fmt: skip


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_a_patient_reads_only_their_own_invoices(
    billing_api: BillingApi, clinic: Clinic
) -> None:
    mine = await billing_api.execute(
        "query ($id: ID!) { invoice(id: $id) { number status total { amount currency } lines { description } } }",
        {"id": str(clinic.alice_invoice)}, caller=clinic.alice,
    )  # fmt: skip
    assert mine["data"]["invoice"]["total"] == {"amount": "30.00", "currency": "GBP"}
    theirs = await billing_api.execute(
        "query ($id: ID!) { invoice(id: $id) { number } }", {"id": str(clinic.bob_invoice)},
        caller=clinic.alice,
    )  # fmt: skip
    assert theirs["data"] == {"invoice": None}
    assert _codes(theirs) == ["FORBIDDEN"]
    listed = await billing_api.execute("{ invoices { id } }", caller=clinic.alice)
    assert listed["data"]["invoices"] == [{"id": str(clinic.alice_invoice)}]
    other = await billing_api.execute(
        "query ($p: ID!) { invoices(patientId: $p) { id } billingAccount(patientId: $p) { id } }",
        {"p": str(clinic.bob_patient)}, caller=clinic.alice,
    )  # fmt: skip
    assert other["data"] is None or other["data"]["invoices"] == []
    assert "FORBIDDEN" in _codes(other)
    # reads and refusals are both in the audit trail (audit.access, through the outbox)
    async with billing_api.database.session() as session:
        audit = (
            await session.exec(select(OutboxEvent).where(col(OutboxEvent.topic) == "audit.access"))
        ).all()
    reads = [e for e in audit if e.type == "access.read" and e.actor == str(clinic.alice.user_id)]
    assert {
        "type": "invoice",
        "id": str(clinic.alice_invoice),
        "patientId": str(clinic.alice_patient),
    } in reads[0].payload["records"]
    denied = [
        e for e in audit if e.type == "access.denied" and e.actor == str(clinic.alice.user_id)
    ]
    assert str(clinic.bob_patient) in denied[0].payload["patientIds"]


async def test_entities_follow_the_same_rules(billing_api: BillingApi, clinic: Clinic) -> None:
    representations = [
        {"__typename": "Invoice", "id": str(clinic.alice_invoice)},
        {"__typename": "Invoice", "id": str(clinic.bob_invoice)},
        {"__typename": "Patient", "id": str(clinic.bob_patient)},
        {"__typename": "Appointment", "id": str(clinic.own_visit)},
    ]
    body = await billing_api.execute(ENTITIES, {"r": representations}, caller=clinic.alice)
    entities = body["data"]["_entities"]
    assert entities[0] == {"id": str(clinic.alice_invoice), "number": entities[0]["number"]}
    assert entities[1] is None
    assert entities[2] is None or entities[2]["invoices"] is None
    assert entities[3] == {"id": str(clinic.own_visit), "invoiceLine": None}
    assert set(_codes(body)) == {"FORBIDDEN"}
    paths = {tuple(error["path"]) for error in body["errors"]}
    assert ("_entities", 1) in paths
    # Bob, the owner, reads his through the same path
    own = await billing_api.execute(ENTITIES, {"r": representations[1:]}, caller=clinic.bob)
    assert "errors" not in own
    # only issued invoices count: the draft gathering his two visits does not
    assert own["data"]["_entities"][1]["balance"] == {"amount": "30.00"}
    assert own["data"]["_entities"][2]["invoiceLine"]["total"] == {
        "amount": "65.00",
        "currency": "GBP",
    }


async def test_a_doctor_sees_only_the_lines_of_their_own_appointments(
    billing_api: BillingApi, clinic: Clinic
) -> None:
    representations = [
        {"__typename": "Appointment", "id": str(clinic.own_visit)},
        {"__typename": "Appointment", "id": str(clinic.other_visit)},
        {"__typename": "Appointment", "id": str(uuid.uuid4())},  # not billed
        {"__typename": "Invoice", "id": str(clinic.bob_invoice)},
    ]
    body = await billing_api.execute(ENTITIES, {"r": representations}, caller=clinic.doctor)
    own, other, unbilled, invoice = body["data"]["_entities"]
    assert own["invoiceLine"]["total"]["amount"] == "65.00"
    assert other["invoiceLine"] is None
    assert unbilled["invoiceLine"] is None
    assert invoice is None
    assert {tuple(e["path"][:2]) for e in body["errors"]} == {("_entities", 1), ("_entities", 3)}
    assert set(_codes(body)) == {"FORBIDDEN"}


async def test_documents_download_under_the_row_rules(
    billing_api: BillingApi, clinic: Clinic
) -> None:
    own = await billing_api.http.get(
        f"/invoices/{clinic.alice_invoice}.pdf",
        headers={"authorization": f"Bearer {token_for(clinic.alice)}"},
    )
    assert own.status_code == 200
    assert own.headers["content-type"] == "application/pdf"
    assert own.content.startswith(b"%PDF")
    for path in (f"/invoices/{clinic.bob_invoice}.pdf", f"/invoices/{clinic.bob_invoice}.csv"):
        refused = await billing_api.http.get(
            path, headers={"authorization": f"Bearer {token_for(clinic.alice)}"}
        )
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await billing_api.http.get(f"/invoices/{clinic.alice_invoice}.csv")
    assert anonymous.status_code == 401
    csv_text = (
        await billing_api.http.get(
            f"/invoices/{clinic.alice_invoice}.csv",
            headers={"authorization": f"Bearer {token_for(clinic.alice)}"},
        )
    ).text
    assert "Blood panel" in csv_text


async def test_the_desk_bills_through_graphql_and_issued_invoices_stay_put(
    billing_api: BillingApi, staff: Caller
) -> None:
    patient = str(uuid.uuid4())
    created = await billing_api.execute(
        "mutation ($p: ID!) { createInvoice(patientId: $p) { id status currency } }",
        {"p": patient}, caller=staff,
    )  # fmt: skip
    invoice = created["data"]["createInvoice"]
    assert (invoice["status"], invoice["currency"]) == ("DRAFT", "GBP")
    add = (
        "mutation ($i: ID!, $l: LineInput!) { addInvoiceLine(invoiceId: $i, line: $l) "
        "{ net { amount } tax { amount } total { amount } } }"
    )
    line = {"serviceCode": "ECG", "description": "Electrocardiogram", "unitPrice": "80.00",
            "quantity": 1, "discount": "10.00", "taxRate": "20"}  # fmt: skip
    added = await billing_api.execute(add, {"i": invoice["id"], "l": line}, caller=staff)
    assert added["data"]["addInvoiceLine"] == {
        "net": {"amount": "70.00"}, "tax": {"amount": "14.00"}, "total": {"amount": "84.00"}
    }  # fmt: skip
    bad = await billing_api.execute(
        add, {"i": invoice["id"], "l": {**line, "unitPrice": "1.005"}}, caller=staff
    )
    assert _codes(bad) == ["BAD_USER_INPUT"]
    issued = await billing_api.execute(
        "mutation ($i: ID!) { issueInvoice(id: $i) { number status amountDue { amount } } }",
        {"i": invoice["id"]}, caller=staff,
    )  # fmt: skip
    assert issued["data"]["issueInvoice"]["status"] == "ISSUED"
    assert issued["data"]["issueInvoice"]["number"].startswith("INV-")
    again = await billing_api.execute(add, {"i": invoice["id"], "l": line}, caller=staff)
    assert _codes(again) == ["CONFLICT"]
    patient_caller = make_caller(Role.PATIENT)
    refused = await billing_api.execute(
        "mutation ($p: ID!) { createInvoice(patientId: $p) { id } }", {"p": patient},
        caller=patient_caller,
    )  # fmt: skip
    assert _codes(refused) == ["FORBIDDEN"]
    credit = await billing_api.execute(
        'mutation ($i: ID!) { createCreditNote(invoiceId: $i, reason: "Goodwill", amount: "4.00") '
        "{ kind number total { amount } } }",
        {"i": invoice["id"]}, caller=staff,
    )  # fmt: skip
    assert credit["data"]["createCreditNote"]["kind"] == "CREDIT_NOTE"
    assert credit["data"]["createCreditNote"]["total"] == {"amount": "4.00"}


async def test_entities_of_many_invoices_cost_the_statements_of_few(
    billing_api: BillingApi, staff: Caller
) -> None:
    async def invoices(count: int) -> list[dict[str, str]]:
        ids = []
        async with billing_api.database.transaction() as session:
            for _ in range(count):
                invoice = await service.create_invoice(
                    session, caller=staff, patient_id=uuid.uuid4(), default_currency="GBP"
                )
                await service.add_line(
                    session, caller=staff, invoice_id=invoice.id,
                    line=service.LineDraft("LAB", "Blood panel", unit_price=Decimal(30)),
                )  # fmt: skip
                ids.append({"__typename": "Invoice", "id": str(invoice.id)})
        return ids

    query = "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { id lines { id } } } }"
    costs = []
    for count in (2, 40):
        representations = await invoices(count)
        with counting(billing_api) as statements:
            body = await billing_api.execute(query, {"r": representations}, caller=staff)
        assert len(body["data"]["_entities"]) == count
        costs.append(len(statements))
    assert costs[0] == costs[1], costs
