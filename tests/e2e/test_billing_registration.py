"""Through ``healthgraph up``: registering a patient opens their billing account over billing's
gRPC API, which the stack serves on its own port with the service token it gave clinical."""

from __future__ import annotations

import uuid

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from subgraphs.common.rpc.billing import BILLING_SERVICE, BillingClient
from tests.support.stack import DemoStack, graphql

REGISTER = """
mutation ($input: PatientInput!) { createPatient(input: $input) { id } }
"""
ACCOUNT = """
query ($id: ID!) { patient(id: $id) { id billingAccount { id insurer policyNumber } } }
"""


async def test_registration_opens_the_billing_account_over_grpc(demo_stack: DemoStack) -> None:
    admin = demo_stack.sign_in("ADMIN")
    suffix = uuid.uuid4().hex[:6]
    created = graphql(
        demo_stack.url(),
        REGISTER,
        admin,
        input={
            "givenName": "Grpc",
            "familyName": "Registrant",
            "dateOfBirth": "1984-05-06",
            "sex": "OTHER",
            "insurance": {"payer": "Synthetic Mutual", "memberId": f"SM-{suffix}"},
        },
    )
    assert "errors" not in created, created
    patient_id = created["data"]["createPatient"]["id"]

    # Opened during the mutation (the gRPC call), not later from the event.
    answer = graphql(demo_stack.url(), ACCOUNT, admin, id=patient_id)
    assert "errors" not in answer, answer
    account = answer["data"]["patient"]["billingAccount"]
    assert account is not None
    assert (account["insurer"], account["policyNumber"]) == ("Synthetic Mutual", f"SM-{suffix}")

    target = f"127.0.0.1:{demo_stack.port('billing_grpc')}"
    assert f"billing gRPC {target}" in demo_stack.output
    token = (demo_stack.data_dir / "keys" / "billing-grpc.token").read_text()
    async with BillingClient(target, token) as client:
        again = await client.ensure_account(patient_id=uuid.UUID(patient_id))
    assert not again.created
    assert again.account.id == account["id"]
    async with grpc.aio.insecure_channel(target) as channel:
        health = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=BILLING_SERVICE), timeout=2
        )
    assert health.status == health_pb2.HealthCheckResponse.SERVING
