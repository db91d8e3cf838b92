"""Through the router: a patient's visits and what they cost in one query, the demo invoice to
pay, a doctor's own lines only, and a completed appointment billed once though delivered twice."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from router.http.playground.examples import EXAMPLES
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import CLINICAL_APPOINTMENTS
from tests.support.stack import DemoStack, graphql

# Through the whole demo stack (router, auth, clinical, billing), started once per session.
pytestmark = pytest.mark.slow

PATIENT = """
{
  me {
    patient {
      id
      balance { amount currency }
      invoices { number status amountDue { amount } lines { description appointmentId } }
      appointments(first: 20, status: [COMPLETED]) {
        nodes { id startsAt invoiceLine { description total { amount currency } } }
      }
    }
  }
}
"""
DOCTOR = """
{ me { doctor { appointments(first: 50) { nodes { id status invoiceLine { id } } } } } }
"""
LINES = """
query ($r: [_Any!]!) { _entities(representations: $r) { ... on Appointment { invoiceLine { id } } } }
"""


def test_a_patient_reads_visits_and_their_cost_in_one_query(demo_stack: DemoStack) -> None:
    answer = graphql(demo_stack.url(), PATIENT, demo_stack.sign_in("PATIENT"))
    assert "errors" not in answer, answer
    patient = answer["data"]["me"]["patient"]
    visits = patient["appointments"]["nodes"]
    assert visits, patient
    assert all(v["invoiceLine"]["total"]["currency"] == "GBP" for v in visits), visits
    issued = [i for i in patient["invoices"] if i["status"] == "ISSUED"]
    assert issued, patient["invoices"]
    assert issued[0]["number"].startswith("INV-")
    billed = {line["appointmentId"] for line in issued[0]["lines"]}
    assert billed == {v["id"] for v in visits}
    assert float(patient["balance"]["amount"]) > 0


def test_the_playgrounds_invoice_tab_answers(demo_stack: DemoStack) -> None:
    (tab,) = (e.query for e in EXAMPLES if "query MyInvoices" in e.query)
    answer = graphql(demo_stack.url(), tab, demo_stack.sign_in("PATIENT"))
    assert "errors" not in answer, answer
    assert answer["data"]["me"]["patient"]["invoices"]


def test_a_patient_cannot_reach_another_patients_invoice(demo_stack: DemoStack) -> None:
    token = demo_stack.sign_in("PATIENT")
    mine = graphql(demo_stack.url(), "{ invoices { id patientId } }", token)["data"]["invoices"]
    own_patient = {i["patientId"] for i in mine}
    everyone = graphql(
        demo_stack.url(), "{ invoices { id patientId } }", demo_stack.sign_in("STAFF")
    )["data"]["invoices"]
    theirs = next(i for i in everyone if i["patientId"] not in own_patient)
    through_router = graphql(
        demo_stack.url(), "query ($i: ID!) { invoice(id: $i) { number } }", token, i=theirs["id"]
    )
    assert through_router["data"] == {"invoice": None}
    assert [e["extensions"]["code"] for e in through_router["errors"]] == ["FORBIDDEN"]
    entities = graphql(
        demo_stack.url("billing"),
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { number } } }",
        token,
        r=[{"__typename": "Invoice", "id": theirs["id"]}],
    )
    assert entities["data"] == {"_entities": [None]}
    billing = demo_stack.url("billing").removesuffix("/graphql")
    headers = {"authorization": f"Bearer {token}"}
    assert httpx.get(f"{billing}/invoices/{theirs['id']}.pdf", headers=headers).status_code == 403
    own = httpx.get(f"{billing}/invoices/{mine[0]['id']}.pdf", headers=headers)
    assert own.status_code == 200
    assert own.content.startswith(b"%PDF")


def test_a_doctor_reads_the_lines_of_their_own_appointments_only(demo_stack: DemoStack) -> None:
    token = demo_stack.sign_in("DOCTOR")
    answer = graphql(demo_stack.url(), DOCTOR, token)
    assert "errors" not in answer, answer
    own = answer["data"]["me"]["doctor"]["appointments"]["nodes"]
    completed = [a for a in own if a["status"] == "COMPLETED"]
    assert completed, own
    assert all(a["invoiceLine"] for a in completed), own
    # the same lines, asked by another doctor: refused, each with its error
    other = demo_stack.sign_in_as("dr.okafor@demo.healthgraph.test")
    representations = [{"__typename": "Appointment", "id": a["id"]} for a in completed]
    body = graphql(demo_stack.url("billing"), LINES, other, r=representations)
    assert [e["invoiceLine"] for e in body["data"]["_entities"]] == [None] * len(completed)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}


async def _publish_twice(bootstrap: str, envelope: EventEnvelope) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for _ in range(2):
            await producer.send_and_wait(
                CLINICAL_APPOINTMENTS.name, envelope.to_bytes(), key=envelope.aggregate_id.encode()
            )
    finally:
        await producer.stop()


def test_a_completed_appointment_delivered_twice_is_billed_once(demo_stack: DemoStack) -> None:
    patient_id, appointment_id = uuid.uuid4(), uuid.uuid4()
    envelope = EventEnvelope(
        type="appointment.completed",
        aggregate_type="appointment",
        aggregate_id=str(appointment_id),
        actor="e2e",
        payload={
            "appointmentId": str(appointment_id),
            "patientId": str(patient_id),
            "doctorId": str(uuid.uuid4()),
            "startsAt": datetime.now(UTC).isoformat(),
            "status": "COMPLETED",
        },
    )
    asyncio.run(_publish_twice(f"127.0.0.1:{demo_stack.port('kafka')}", envelope))
    staff = demo_stack.sign_in("STAFF")
    query = "query ($p: ID!) { invoices(patientId: $p) { lines { appointmentId } } }"
    invoices: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        invoices = graphql(demo_stack.url(), query, staff, p=str(patient_id))["data"]["invoices"]
        if invoices and invoices[0]["lines"]:
            break
        time.sleep(0.2)
    time.sleep(1.0)  # the duplicate has had time to arrive too
    invoices = graphql(demo_stack.url(), query, staff, p=str(patient_id))["data"]["invoices"]
    assert [line["appointmentId"] for i in invoices for line in i["lines"]] == [str(appointment_id)]
