"""The synthetic demo clinic for a running or freshly provisioned stack (never real people).

auth gets a user for everyone (ADMIN, DOCTOR and STAFF with TOTP enrolled), clinical the clinic
itself (:mod:`subgraphs.clinical.seed`), billing an issued invoice per patient with past visits.
Seeding happens once: later runs find the clinic and print the logins again from
``<data dir>/demo-logins.txt`` (mode 0600, development data only). A clinic seeded now also comes
with the insurance claims to submit once the stack is up (:mod:`subgraphs.stack.demo_claims`).
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from subgraphs.common.context import Role
from subgraphs.stack.demo_claims import DESK, DemoClaimPlan, claims_sentence, plan_demo_claims

if TYPE_CHECKING:
    from subgraphs.auth.bootstrap import SeededUser

__all__ = [
    "LOGINS_FILE",
    "PAID_DEMO_PATIENT",
    "DemoSeed",
    "demo_accounts",
    "login_line",
    "seed_demo",
]

LOGINS_FILE = "demo-logins.txt"
ADMIN = (Role.ADMIN, "admin@demo.healthgraph.test", "Ada Admin (synthetic)")
# Whose demo invoice is paid at once (the desk's reports show money collected); not the
# patient@demo account, whose invoice stays open to pay in the web app.
PAID_DEMO_PATIENT = "kenji.tanaka@demo.healthgraph.test"


def demo_accounts() -> list[tuple[Role, str, str]]:
    """``(role, email, display name)`` of every demo user, the ``<role>@demo`` account first."""
    from subgraphs.clinical.seed import DEMO_CLINIC

    clinic = DEMO_CLINIC
    return [
        ADMIN,
        *((Role.DOCTOR, d.email, f"Dr {d.given_name} {d.family_name} (synthetic)")
          for d in clinic.doctors),
        *((Role.STAFF, s.email, f"{s.given_name} {s.family_name} (synthetic)")
          for s in clinic.staff),
        *((Role.PATIENT, p.email, f"{p.given_name} {p.family_name} (synthetic)")
          for p in clinic.patients),
    ]  # fmt: skip


def login_line(role: Role, email: str, password: str, totp_secret: str | None) -> str:
    """One login as printed: ``ROLE  email  password: X  [TOTP secret: Y]`` (tests parse it)."""
    totp = f"  TOTP secret: {totp_secret}" if totp_secret else ""
    return f"{role.value:<8} {email:<36} password: {password}{totp}"


@dataclass(frozen=True, slots=True)
class DemoSeed:
    """What seeding did: ``created`` is False when everything existed already."""

    created: bool
    logins: list[str]  # login lines, in account order (empty when they are not known)
    logins_file: Path
    summary: str
    claims: DemoClaimPlan | None = None  # to submit through the API once the stack is up

    def with_claims(self, statuses: Sequence[str]) -> DemoSeed:
        """This seed once ``statuses`` (of claims submitted now) are in the summary; no plan."""
        summary = f"{self.summary} {claims_sentence(statuses)}" if statuses else self.summary
        return dataclasses.replace(self, summary=summary, claims=None)


def _read_logins(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return {}
    return {line.split()[1]: line for line in lines if len(line.split()) > 1}


def _write_logins(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write("".join(f"{line}\n" for line in lines))


async def seed_demo(
    databases: Mapping[str, str], *, data_dir: Path, production: bool = False
) -> DemoSeed:
    """Seed every service that has demo data; ``databases`` maps service name -> database URL.

    Raises ``Conflict`` in production: demo data never goes there.
    """
    from subgraphs.auth.bootstrap import seed_users
    from subgraphs.auth.settings import AuthSettings
    from subgraphs.common.errors import Conflict

    if production:
        raise Conflict("Refusing to seed a demo clinic in production.")
    accounts = demo_accounts()
    users = await seed_users(AuthSettings(database_url=databases["auth"]), accounts)
    created_people: list[str] = []
    claims = None
    if "clinical" in databases:
        created_people = await _seed_clinical(databases["clinical"], users)
        if "billing" in databases:
            invoices = await _seed_billing(databases["clinical"], databases["billing"], users)
            claims = _plan_claims(invoices, users)
    path = data_dir / LOGINS_FILE
    known = _read_logins(path)
    for user in users:
        if user.password is not None:
            known[user.email] = login_line(user.role, user.email, user.password, user.totp_secret)
    lines = [known[email] for _, email, _ in accounts if email in known]
    created = any(user.created for user in users) or bool(created_people)
    if created:
        _write_logins(path, lines)
        summary = (
            f"Seeded a synthetic clinic: {_counts(accounts)}, with schedules, care teams, "
            "past and upcoming appointments, records, prescriptions and invoices to pay."
        )
    elif lines:
        summary = "The synthetic clinic was seeded before; its logins again:"
    else:
        summary = (
            f"The synthetic clinic was seeded before; its logins were printed then ({path} is "
            f"gone). To start afresh: stop healthgraph, delete {data_dir}, run `make up`."
        )
    return DemoSeed(created, lines, path, summary, claims)


def _plan_claims(
    invoices: dict[str, tuple[uuid.UUID, uuid.UUID]], users: list[SeededUser]
) -> DemoClaimPlan | None:
    """The claims on the invoices issued now, submitted by the desk when it was created now."""
    desk = next((user for user in users if user.email == DESK), None)
    if desk is None or desk.password is None:
        return None
    return plan_demo_claims(
        invoices, email=desk.email, password=desk.password, totp_secret=desk.totp_secret
    )


def _counts(accounts: list[tuple[Role, str, str]]) -> str:
    names = {
        Role.ADMIN: "admin",
        Role.DOCTOR: "doctors",
        Role.STAFF: "staff",
        Role.PATIENT: "patients",
    }
    return ", ".join(f"{sum(1 for role, _, _ in accounts if role is r)} {names[r]}" for r in Role)


async def _seed_clinical(url: str, users: list[SeededUser]) -> list[str]:
    from subgraphs.clinical.prescriptions.registry import load_prescription_keys
    from subgraphs.clinical.seed import seed_clinic
    from subgraphs.clinical.settings import ClinicalSettings
    from subgraphs.common.database import Database

    settings = ClinicalSettings(database_url=url)
    database = Database(url, pool_size=2)
    try:
        return await seed_clinic(
            database,
            production=settings.production,
            admin_user_id=next(user.user_id for user in users if user.email == ADMIN[1]),
            user_ids={user.email: user.user_id for user in users},
            keys=load_prescription_keys(settings, data_dir=settings.data_dir),
        )
    finally:
        await database.dispose()


async def _seed_billing(
    clinical_url: str, billing_url: str, users: list[SeededUser]
) -> dict[str, tuple[uuid.UUID, uuid.UUID]]:
    """Each demo patient's completed visits (read from clinical) on an issued invoice; patient
    email -> (patient id, the invoice issued now)."""
    from sqlmodel import col, select

    from subgraphs.billing.seed import DemoPatientBill, DemoVisitBill, seed_billing
    from subgraphs.billing.settings import BillingSettings
    from subgraphs.clinical.appointments.models import Appointment, AppointmentStatus
    from subgraphs.clinical.people.models import Doctor, Patient
    from subgraphs.common.database import Database

    patient_users = [user.user_id for user in users if user.role is Role.PATIENT]
    paid_user = next((user.user_id for user in users if user.email == PAID_DEMO_PATIENT), None)
    clinical = Database(clinical_url, pool_size=1)
    try:
        async with clinical.session() as session:
            patients = (
                await session.exec(select(Patient).where(col(Patient.user_id).in_(patient_users)))
            ).all()
            visits = (
                await session.exec(
                    select(Appointment, Doctor.user_id)
                    .join(Doctor, col(Doctor.id) == col(Appointment.doctor_id))
                    .where(
                        col(Appointment.patient_id).in_([p.id for p in patients]),
                        col(Appointment.status) == AppointmentStatus.COMPLETED,
                    )
                    .order_by(col(Appointment.starts_at))
                )
            ).all()
    finally:
        await clinical.dispose()
    bills = [
        DemoPatientBill(
            patient_id=patient.id,
            user_id=patient.user_id,
            payer_name=f"{patient.given_name} {patient.family_name}",
            visits=[
                DemoVisitBill(visit.id, visit.doctor_id, doctor_user, visit.starts_at)
                for visit, doctor_user in visits
                if visit.patient_id == patient.id
            ],
            paid_in_full=patient.user_id == paid_user,
        )
        for patient in patients
    ]
    settings = BillingSettings(database_url=billing_url)
    billing = Database(billing_url, pool_size=2)
    try:
        issued = await seed_billing(
            billing,
            production=settings.production,
            patients=bills,
            settings=settings,
            currency=settings.currency,
        )
    finally:
        await billing.dispose()
    emails: dict[uuid.UUID | None, str] = {user.user_id: user.email for user in users}
    return {
        emails[patient.user_id]: (patient.id, issued[patient.id])
        for patient in patients
        if patient.id in issued and patient.user_id in emails
    }
