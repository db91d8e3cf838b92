"""Claims over GraphQL on the real app: submit, the contract's duplicate refusal, verify, decide."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from subgraphs.billing.app import create_app
from subgraphs.common.context import Caller, Role
from tests.subgraphs.billing.conftest import BillingApi, billing_settings
from tests.subgraphs.billing.factories import issued_invoice
from tests.support.callers import make_caller
from tests.support.tokens import JWKS

SUBMIT = """
mutation($input: SubmitClaimInput!) {
  submitClaim(input: $input) {
    id status payer policyNumber codes claimHash anchorTransactionHash registryAddress
    amount { amount currency }
    invoice { id number }
  }
}
"""
VERIFY = """
query($id: ID!) {
  verifyClaim(id: $id) { integrity tampered mismatches storedHash computedHash anchoredHash chainStatus }
}
"""
SET_STATUS = """
mutation($id: ID!, $status: ClaimStatus!, $note: String) {
  setClaimStatus(id: $id, status: $status, note: $note) {
    status decisionNote history { fromStatus toStatus transactionHash }
  }
}
"""
ENTITY = """
query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Claim { id status } } }
"""


async def test_a_claim_through_graphql(billing_api: BillingApi, staff: Caller) -> None:
    owner = make_caller(Role.PATIENT)
    billed = await issued_invoice(billing_api.database, staff, patient_user_id=owner.user_id)
    variables = {"input": {"invoiceId": str(billed.invoice.id), "codes": ["J20.9"]}}
    body = await billing_api.execute(SUBMIT, variables, caller=staff)
    claim = body["data"]["submitClaim"]
    assert claim["status"] == "SUBMITTED"
    assert claim["amount"] == {"amount": "120.00", "currency": "GBP"}
    assert claim["invoice"]["number"] == billed.invoice.number
    assert claim["anchorTransactionHash"].startswith("0x")

    again = await billing_api.execute(SUBMIT, variables, caller=staff)
    assert again["data"] is None
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert again["errors"][0]["extensions"]["reason"] == "DUPLICATE_CLAIM"

    intact = (await billing_api.execute(VERIFY, {"id": claim["id"]}, caller=staff))["data"]
    assert intact["verifyClaim"]["integrity"] == "INTACT"
    assert intact["verifyClaim"]["chainStatus"] == "SUBMITTED"

    for status in ("VALIDATED", "APPROVED"):
        moved = await billing_api.execute(
            SET_STATUS, {"id": claim["id"], "status": status, "note": "ok"}, caller=staff
        )
    decided = moved["data"]["setClaimStatus"]
    assert decided["status"] == "APPROVED"
    assert [h["toStatus"] for h in decided["history"]] == ["VALIDATED", "APPROVED"]

    async with billing_api.database.transaction() as session:
        await session.exec(  # type: ignore[call-overload]
            text("UPDATE claim SET policy_number = 'POL-9999' WHERE id = :id"),
            params={"id": claim["id"]},
        )
    tampered = (await billing_api.execute(VERIFY, {"id": claim["id"]}, caller=staff))["data"]
    assert tampered["verifyClaim"]["integrity"] == "TAMPERED"
    assert tampered["verifyClaim"]["tampered"] is True
    assert tampered["verifyClaim"]["mismatches"] == ["content"]

    # The patient reads their own claim, also as an entity; another patient may not.
    reps = {"reps": [{"__typename": "Claim", "id": claim["id"]}]}
    own = await billing_api.execute(ENTITY, reps, caller=owner)
    assert own["data"]["_entities"] == [{"id": claim["id"], "status": "APPROVED"}]
    other = await billing_api.execute(ENTITY, reps, caller=make_caller(Role.PATIENT))
    assert other["data"]["_entities"] == [None]
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_only_the_desk_submits_and_decides(billing_api: BillingApi, staff: Caller) -> None:
    owner = make_caller(Role.PATIENT)
    billed = await issued_invoice(billing_api.database, staff, patient_user_id=owner.user_id)
    variables = {"input": {"invoiceId": str(billed.invoice.id), "codes": ["J20.9"]}}
    for caller in (owner, make_caller(Role.DOCTOR)):
        body = await billing_api.execute(SUBMIT, variables, caller=caller)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await billing_api.execute(SUBMIT, variables)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_billing_starts_without_its_chain_and_claims_wait_for_it(
    billing_url: str, staff: Caller
) -> None:
    settings = billing_settings(
        billing_url, chain_rpc_url="http://127.0.0.1:9", chain_request_timeout=1
    )
    app = create_app(settings, jwks=JWKS)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://billing") as http:
            api = BillingApi(http, app.state.service.database)
            billed = await issued_invoice(api.database, staff)
            variables = {"input": {"invoiceId": str(billed.invoice.id), "codes": ["J20.9"]}}
            body = await api.execute(SUBMIT, variables, caller=staff)
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["retryable"] is True
