"""The demo's insurance claims: which invoices, with which codes, moved how far, and how the
summary names them (submitting them through the router: tests/e2e/test_demo_stack.py)."""

from __future__ import annotations

import uuid

from subgraphs.billing.seed import DEMO_INSURER, demo_policy_number
from subgraphs.stack.demo_claims import (
    DEMO_CLAIMS,
    PROCEDURE,
    DemoClaim,
    claims_sentence,
    plan_demo_claims,
)

KENJI = "kenji.tanaka@demo.healthgraph.test"
LOGIN = {"email": "staff@demo.healthgraph.test", "password": "demo-x", "totp_secret": "A" * 32}


def test_only_the_listed_patients_invoices_issued_now_are_claimed() -> None:
    patient, invoice = uuid.uuid4(), uuid.uuid4()
    others = {"patient@demo.healthgraph.test": (uuid.uuid4(), uuid.uuid4())}  # not in the list
    plan = plan_demo_claims({KENJI: (patient, invoice), **others}, **LOGIN)
    assert plan is not None
    assert plan.email == LOGIN["email"]
    # his recorded diagnosis (otitis media) and the visit's procedure, to the demo insurer
    assert plan.claims == (
        DemoClaim(
            str(invoice),
            ("H66.9", PROCEDURE),
            DEMO_INSURER,
            demo_policy_number(patient),
            ("VALIDATED", "APPROVED", "PAID"),
        ),
    )
    assert plan.claims[0].status == "PAID"
    assert plan_demo_claims(others, **LOGIN) is None  # nothing issued now to claim


def test_the_listed_claims_end_in_several_statuses() -> None:
    ends = {path[-1] if path else "SUBMITTED" for path in DEMO_CLAIMS.values()}
    assert ends == {"SUBMITTED", "APPROVED", "PAID"}


def test_the_sentence_counts_each_status_in_order() -> None:
    assert claims_sentence(["SUBMITTED", "PAID", "SUBMITTED"]) == (
        "Insurance claims: 2 submitted, 1 paid."
    )
