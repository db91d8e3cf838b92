"""Demo insurance claims (development only): a few demo invoices claimed from the insurer and
moved on, so that the desk's "Claims by status" report shows several statuses.

A claim is anchored on the chain billing uses (by default an in-process one inside the billing
process), so unlike the rest of the demo it cannot be written into a database by the supervisor:
once the stack is up, the demo front desk signs in through the router and submits each claim
(``submitClaim``, then ``setClaimStatus``), by billing's own rules. Only a clinic seeded in this
run gets them (its invoices are new and the desk's password is known); an invoice that has a
claim already is left alone.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyotp

__all__ = [
    "DEMO_CLAIMS",
    "DESK",
    "PROCEDURE",
    "DemoClaim",
    "DemoClaimPlan",
    "DemoClaimsRefused",
    "claims_sentence",
    "plan_demo_claims",
    "seed_demo_claims",
    "submit_demo_claims",
]

SUBMITTED = "SUBMITTED"
DESK = "staff@demo.healthgraph.test"  # the front desk (a receptionist) submits the claims
PROCEDURE = "99213"  # a synthetic office-visit procedure code, claimed with the visits' diagnoses
# Whose demo invoice is claimed (the patient's email), and the statuses the claim moves through
# after SUBMITTED: one stays submitted, one is approved, one (on the invoice paid at the desk) paid.
DEMO_CLAIMS: dict[str, tuple[str, ...]] = {
    "mateo.alvarez@demo.healthgraph.test": (),
    "lucie.moreau@demo.healthgraph.test": ("VALIDATED", "APPROVED"),
    "kenji.tanaka@demo.healthgraph.test": ("VALIDATED", "APPROVED", "PAID"),
}

_LOGIN = """
mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) { accessToken refreshToken mfaRequired mfaToken }
}"""
_VERIFY = """
mutation($t: String!, $c: String!) { verifyMfa(mfaToken: $t, code: $c) { accessToken refreshToken } }
"""
_LOGOUT = "mutation($r: String!) { logout(refreshToken: $r) }"
_CLAIMED = "query($i: ID!) { claims(invoiceId: $i, first: 1) { id } }"
_SUBMIT = "mutation($in: SubmitClaimInput!) { submitClaim(input: $in) { id status } }"
_MOVE = "mutation($id: ID!, $s: ClaimStatus!) { setClaimStatus(id: $id, status: $s) { status } }"


@dataclass(frozen=True, slots=True)
class DemoClaim:
    invoice_id: str
    codes: tuple[str, ...]  # diagnosis and procedure codes
    payer: str  # stated, since the account may have been opened without its insurance
    policy_number: str
    path: tuple[str, ...] = ()  # the statuses after SUBMITTED, in order

    @property
    def status(self) -> str:
        """Where the claim ends up."""
        return self.path[-1] if self.path else SUBMITTED


@dataclass(frozen=True, slots=True)
class DemoClaimPlan:
    """The claims to submit, and the demo desk login that submits them."""

    email: str
    password: str = field(repr=False)
    totp_secret: str | None = field(repr=False)
    claims: tuple[DemoClaim, ...]


class DemoClaimsRefused(Exception):
    """The API refused or did not answer; ``statuses`` of the claims submitted before that."""

    def __init__(self, message: str, statuses: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.statuses = list(statuses)


def _diagnoses(email: str) -> list[str]:
    """The diagnosis codes of the demo patient's recorded (completed) visits."""
    from subgraphs.clinical.seed import DEMO_CLINIC

    patient = next(p for p in DEMO_CLINIC.patients if p.email == email)
    return [
        str(diagnosis["code"])
        for visit in patient.visits
        if visit.record is not None
        for diagnosis in visit.record.get("diagnoses", ())
    ]


def plan_demo_claims(
    invoices: Mapping[str, tuple[uuid.UUID, uuid.UUID]],
    *,
    email: str,
    password: str,
    totp_secret: str | None,
) -> DemoClaimPlan | None:
    """The :data:`DEMO_CLAIMS` among ``invoices`` (patient email -> (patient id, invoice issued
    now)), each with that patient's diagnoses and :data:`PROCEDURE`, made to the demo insurer;
    None when there is none to claim."""
    from subgraphs.billing.seed import DEMO_INSURER, demo_policy_number

    claims = tuple(
        DemoClaim(
            str(invoices[patient][1]),
            (*_diagnoses(patient), PROCEDURE),
            DEMO_INSURER,
            demo_policy_number(invoices[patient][0]),
            path,
        )
        for patient, path in DEMO_CLAIMS.items()
        if patient in invoices
    )
    if not claims:
        return None
    return DemoClaimPlan(email, password, totp_secret, claims)


def claims_sentence(statuses: Sequence[str]) -> str:
    """``Insurance claims: 1 submitted, 1 approved, 1 paid.`` for the demo's summary."""
    counts = {status: statuses.count(status) for status in dict.fromkeys(statuses)}
    listed = ", ".join(f"{count} {status.lower()}" for status, count in counts.items())
    return f"Insurance claims: {listed}."


def _call(
    client: httpx.Client, url: str, query: str, token: str | None = None, **variables: object
) -> dict[str, Any]:
    """One GraphQL operation's data; DemoClaimsRefused with the first error's message."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    try:
        response = client.post(url, json={"query": query, "variables": variables}, headers=headers)
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise DemoClaimsRefused(f"{url} did not answer ({exc})") from exc
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors or not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        message = (errors or [{}])[0].get("message") or f"HTTP {response.status_code}"
        raise DemoClaimsRefused(str(message))
    data: dict[str, Any] = body["data"]
    return data


def _sign_in(client: httpx.Client, url: str, plan: DemoClaimPlan) -> tuple[str, str | None]:
    """The desk's access and refresh tokens."""
    payload = _call(client, url, _LOGIN, e=plan.email, p=plan.password)["login"]
    if payload["mfaRequired"]:
        if not plan.totp_secret:
            raise DemoClaimsRefused(f"{plan.email} needs a TOTP code and has no secret here")
        # The previous time step's code (auth takes one step either side, each once, and only
        # newer ones after it): the current step's stays free for whoever signs the desk in
        # next, such as someone who just read the logins `make up` printed.
        code = pyotp.TOTP(plan.totp_secret).at(time.time() - 30)
        payload = _call(client, url, _VERIFY, t=payload["mfaToken"], c=code)["verifyMfa"]
    if not payload.get("accessToken"):
        raise DemoClaimsRefused(f"{plan.email} could not sign in")
    return payload["accessToken"], payload.get("refreshToken")


def submit_demo_claims(
    client: httpx.Client, url: str, token: str, claims: Sequence[DemoClaim]
) -> list[str]:
    """Submit each claim whose invoice has none yet and move it along its path, as ``token``'s
    user through the GraphQL endpoint ``url``; the statuses of the claims submitted now."""
    done: list[str] = []
    try:
        for claim in claims:
            if _call(client, url, _CLAIMED, token, i=claim.invoice_id)["claims"]:
                continue  # claimed before: never twice
            submitted = _call(
                client,
                url,
                _SUBMIT,
                token,
                **{
                    "in": {
                        "invoiceId": claim.invoice_id,
                        "codes": list(claim.codes),
                        "payer": claim.payer,
                        "policyNumber": claim.policy_number,
                    }
                },
            )["submitClaim"]
            reached: str = submitted["status"]
            try:
                for status in claim.path:
                    moved = _call(client, url, _MOVE, token, id=submitted["id"], s=status)
                    reached = moved["setClaimStatus"]["status"]
            finally:
                done.append(reached)  # where it got to, even when a later step was refused
    except DemoClaimsRefused as exc:
        raise DemoClaimsRefused(exc.message, done) from exc
    return done


def seed_demo_claims(url: str, plan: DemoClaimPlan, *, timeout: float = 30.0) -> list[str]:
    """Sign the plan's desk user in through the router's GraphQL endpoint ``url``, submit the
    claims (:func:`submit_demo_claims`), sign out; the statuses of the claims submitted now.

    Raises :class:`DemoClaimsRefused` when the API refuses or does not answer (e.g. the claim
    registry is not connected: SERVICE_UNAVAILABLE).
    """
    with httpx.Client(timeout=timeout) as client:
        token, refresh = _sign_in(client, url, plan)
        try:
            return submit_demo_claims(client, url, token, plan.claims)
        finally:
            if refresh:
                # a refused sign-out leaves a session that expires later; the claims stand
                with contextlib.suppress(DemoClaimsRefused):
                    _call(client, url, _LOGOUT, r=refresh)
