"""Through the router: an insurance claim anchored on chain, refused twice, verified and decided;
billing reports for the desk only, as GraphQL and as CSV/PDF downloads from the billing app."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from pypdf import PdfReader

from tests.support.stack import DemoStack, graphql

_INVOICE = """
mutation($patient: ID!) { createInvoice(patientId: $patient, currency: "GBP") { id } }
"""
_LINE = """
mutation($invoice: ID!) {
  addInvoiceLine(invoiceId: $invoice, line: {serviceCode: "CONSULT", description: "Synthetic visit",
    unitPrice: "95.00"}) { id }
}
"""
_ISSUE = "mutation($id: ID!) { issueInvoice(id: $id) { id number status } }"
_SUBMIT = """
mutation($invoice: ID!, $policy: String!) {
  submitClaim(input: {invoiceId: $invoice, codes: ["Z00.00", "99203"], payer: "Synthetic Mutual",
    policyNumber: $policy}) {
    id status claimHash anchorTransactionHash amount { amount currency } invoice { number }
  }
}
"""
_VERIFY = "query($id: ID!) { verifyClaim(id: $id) { integrity tampered chainStatus } }"
_DECIDE = """
mutation($id: ID!, $status: ClaimStatus!) {
  setClaimStatus(id: $id, status: $status) { status history { toStatus transactionHash } }
}
"""
_REPORTS = """
query($from: Date!, $to: Date!) {
  revenueByPayer(from: $from, to: $to) { key currency billed { amount } }
  claimsByStatus(from: $from, to: $to) { status currency claims }
}
"""


def _data(answer: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


def _issued_invoice(stack: DemoStack, token: str) -> dict[str, Any]:
    url = stack.url()
    invoice = _data(graphql(url, _INVOICE, token, patient=str(uuid.uuid4())))["createInvoice"]
    _data(graphql(url, _LINE, token, invoice=invoice["id"]))
    issued: dict[str, Any] = _data(graphql(url, _ISSUE, token, id=invoice["id"]))["issueInvoice"]
    return issued


def test_a_claim_is_anchored_once_verified_and_decided(demo_stack: DemoStack) -> None:
    url, staff = demo_stack.url(), demo_stack.sign_in("STAFF")
    invoice = _issued_invoice(demo_stack, staff)
    policy = f"E2E-{uuid.uuid4().hex[:8]}"
    claim = _data(graphql(url, _SUBMIT, staff, invoice=invoice["id"], policy=policy))["submitClaim"]
    assert claim["status"] == "SUBMITTED"
    assert claim["amount"] == {"amount": "95.00", "currency": "GBP"}
    assert claim["invoice"]["number"] == invoice["number"]

    again = graphql(url, _SUBMIT, staff, invoice=invoice["id"], policy=policy)
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert again["errors"][0]["extensions"]["reason"] == "DUPLICATE_CLAIM"

    verified = _data(graphql(url, _VERIFY, staff, id=claim["id"]))["verifyClaim"]
    assert verified == {"integrity": "INTACT", "tampered": False, "chainStatus": "SUBMITTED"}
    for status in ("VALIDATED", "DENIED"):
        decided = _data(graphql(url, _DECIDE, staff, id=claim["id"], status=status))
    assert decided["setClaimStatus"]["status"] == "DENIED"
    assert len(decided["setClaimStatus"]["history"]) == 2
    verified = _data(graphql(url, _VERIFY, staff, id=claim["id"]))["verifyClaim"]
    assert verified["chainStatus"] == "DENIED"

    # A patient cannot move a claim on.
    refused = graphql(url, _DECIDE, demo_stack.sign_in("PATIENT"), id=claim["id"], status="PAID")
    assert refused.get("data") is None
    assert refused["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "UNAUTHORIZED_FIELD_OR_TYPE"}


def test_reports_are_for_the_desk_only(demo_stack: DemoStack) -> None:
    url, admin = demo_stack.url(), demo_stack.sign_in("ADMIN")
    invoice = _issued_invoice(demo_stack, admin)
    policy = f"E2E-{uuid.uuid4().hex[:8]}"
    _data(graphql(url, _SUBMIT, admin, invoice=invoice["id"], policy=policy))
    today = datetime.now(UTC).date().isoformat()
    report = _data(graphql(url, _REPORTS, admin, **{"from": today, "to": today}))
    payers = {(row["key"], row["currency"]) for row in report["revenueByPayer"]}
    assert ("Self-pay", "GBP") in payers  # the invoice's new account has no insurer
    submitted = [row for row in report["claimsByStatus"] if row["status"] == "SUBMITTED"]
    assert submitted
    assert submitted[0]["claims"] >= 1

    for role in ("DOCTOR", "PATIENT"):
        answer = graphql(url, _REPORTS, demo_stack.sign_in(role), **{"from": today, "to": today})
        assert answer.get("data") is None
        assert answer["errors"]
        assert {e["extensions"]["code"] for e in answer["errors"]} <= {
            "FORBIDDEN",
            "UNAUTHORIZED_FIELD_OR_TYPE",
        }

    billing = demo_stack.url("billing").removesuffix("/graphql")
    auth = {"authorization": f"Bearer {admin}"}
    csv_body = httpx.get(f"{billing}/reports/claims-by-status.csv", headers=auth, timeout=30)
    assert csv_body.status_code == 200
    assert csv_body.text.startswith("Status,Currency,Claims,Amount")
    pdf = httpx.get(f"{billing}/reports/revenue-by-payer.pdf", headers=auth, timeout=30)
    assert pdf.status_code == 200
    assert "Revenue by payer" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    doctor = {"authorization": f"Bearer {demo_stack.sign_in('DOCTOR')}"}
    refused = httpx.get(f"{billing}/reports/claims-by-status.csv", headers=doctor, timeout=30)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
