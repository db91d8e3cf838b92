"""The demo clinic: seeded once through the services, found again, never in production."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from subgraphs.clinical.seed import DEMO_CLINIC
from subgraphs.common.context import Role
from subgraphs.common.database import Database
from subgraphs.common.errors import Conflict
from subgraphs.stack.demo_claims import DESK, PROCEDURE, DemoClaimPlan
from subgraphs.stack.seed import LOGINS_FILE, DemoSeed, demo_accounts, seed_demo
from tests.conftest import ServiceDatabaseFactory
from tests.subgraphs.auth.conftest import TEST_SECRET
from tests.support.stack import LOGIN_LINE


@pytest.fixture
async def databases(
    service_database: ServiceDatabaseFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> dict[str, str]:
    monkeypatch.setenv("AUTH_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("AUTH_PASSWORD_MEMORY_KIB", "1024")
    monkeypatch.setenv("CLINICAL_PRESCRIPTION_KEY_PATH", str(tmp_path / "keys" / "rx.pem"))
    return {
        "auth": await service_database("auth"),
        "clinical": await service_database("clinical"),
        "billing": await service_database("billing"),
    }


async def _count(url: str, sql: str) -> int:
    database = Database(url, pool_size=1)
    try:
        async with database.engine.connect() as connection:
            value: int = (await connection.execute(text(sql))).scalar_one()
            return value
    finally:
        await database.dispose()


async def _check_the_demo_doctors_day(clinical: str) -> None:
    """The demo doctor's day (today, or the next working day at a weekend) has 3 visits, upcoming
    or not by the time of day; 5 more lie ahead."""
    today = [v.reason for p in DEMO_CLINIC.patients for v in p.visits if v.weekdays == 0]
    assert len(today) == 3
    listed = ", ".join(f"'{reason}'" for reason in today)
    assert (
        await _count(
            clinical,
            f"SELECT count(DISTINCT starts_at::date) FROM appointment WHERE reason IN ({listed})",
        )
        == 1
    )
    ahead = f"SELECT count(*) FROM appointment WHERE starts_at > now() AND reason NOT IN ({listed})"
    assert await _count(clinical, ahead) == 5


async def _check_the_claims_to_submit(
    plan: DemoClaimPlan | None, logins: list[str], billing: str
) -> None:
    """The front desk (whose login was printed) is to claim the issued invoices of the
    DEMO_CLAIMS patients from the demo insurer, each with the visit's diagnosis."""
    assert plan is not None
    desk = next(m for m in map(LOGIN_LINE.match, logins) if m and m["email"] == DESK)
    assert (plan.email, plan.password, plan.totp_secret) == (DESK, desk["password"], desk["secret"])
    assert sorted(claim.status for claim in plan.claims) == ["APPROVED", "PAID", "SUBMITTED"]
    assert {claim.codes for claim in plan.claims} == {
        ("M54.5", PROCEDURE),
        ("I10", PROCEDURE),
        ("H66.9", PROCEDURE),
    }
    assert {claim.payer for claim in plan.claims} == {"Demo Health Mutual"}
    listed = ", ".join(f"'{claim.invoice_id}'" for claim in plan.claims)
    issued = f"SELECT count(*) FROM invoice WHERE id IN ({listed}) AND number LIKE 'INV-%'"
    assert await _count(billing, issued) == 3
    paid = f"SELECT count(*) FROM invoice WHERE id IN ({listed}) AND status = 'PAID'"
    assert await _count(billing, paid) == 1  # PAID_DEMO_PATIENT's, whose claim is paid too
    assert "demo-" not in repr(plan)  # the password stays out of logs and tracebacks


async def test_seeds_a_clinic_once(databases: dict[str, str], tmp_path: Path) -> None:
    first = await seed_demo(databases, data_dir=tmp_path)
    assert first.created
    accounts = demo_accounts()
    assert len(first.logins) == len(accounts)
    parsed = [LOGIN_LINE.match(line) for line in first.logins]
    assert all(parsed), first.logins
    roles = [m.group("role") for m in parsed if m]
    assert set(roles) == {role.value for role in Role}
    for role in Role:  # the first login of each role is its <role>@demo account
        first_of_role = next(m for m in parsed if m and m.group("role") == role.value)
        assert first_of_role.group("email") == f"{role.value.lower()}@demo.healthgraph.test"
        assert bool(first_of_role.group("secret")) is (role is not Role.PATIENT)
    assert stat.S_IMODE((tmp_path / LOGINS_FILE).stat().st_mode) == 0o600

    clinical = databases["clinical"]
    counts = {
        table: await _count(clinical, f"SELECT count(*) FROM {table}")
        for table in ("doctor", "patient", "medical_staff", "appointment", "medical_record")
    }
    assert counts == {
        "doctor": 3,
        "patient": 4,
        "medical_staff": 2,
        "appointment": 13,
        "medical_record": 4,
    }
    assert await _count(clinical, "SELECT count(*) FROM medical_record_version") == 5  # 1 amended
    assert await _count(clinical, "SELECT count(*) FROM prescription") == 4
    assert await _count(clinical, "SELECT count(*) FROM doctor_schedule") == 3
    await _check_the_demo_doctors_day(clinical)
    assert await _count(clinical, "SELECT count(*) FROM schedule_exception") == 1  # a day off
    assert await _count(clinical, "SELECT count(*) FROM outbox_event") > 20  # events, not raw SQL
    # one emergency access, long expired, recorded as a break-glass audit event
    grants = "SELECT count(*) FROM break_glass_grant WHERE expires_at < now()"
    assert await _count(clinical, grants) == 1
    break_glass = "SELECT count(*) FROM outbox_event WHERE type = 'access.break_glass'"
    assert await _count(clinical, break_glass) == 1
    events = await _count(databases["auth"], "SELECT count(*) FROM outbox_event")
    # billing: each patient with completed visits has one issued invoice, a line per visit; one
    # of them (PAID_DEMO_PATIENT's) is paid, so the revenue reports show money collected
    billing = databases["billing"]
    completed = "SELECT count(*) FROM appointment WHERE status = 'COMPLETED'"
    issued = (
        "SELECT count(*) FROM invoice WHERE status IN ('ISSUED', 'PAID') AND number LIKE 'INV-%'"
    )
    paid = "SELECT count(*) FROM invoice WHERE status = 'PAID' AND paid_minor = total_minor"
    assert await _count(billing, paid) == 1
    billed_patients = (
        "SELECT count(DISTINCT patient_id) FROM appointment WHERE status = 'COMPLETED'"
    )
    assert await _count(billing, issued) == await _count(clinical, billed_patients) > 0
    assert await _count(billing, "SELECT count(*) FROM invoice_line") == await _count(
        clinical, completed
    )

    await _check_the_claims_to_submit(first.claims, first.logins, billing)

    again = await seed_demo(databases, data_dir=tmp_path)
    assert not again.created
    assert again.claims is None  # claims come with a clinic seeded now, never again
    assert again.logins == first.logins  # printed again from the logins file
    assert "seeded before" in again.summary
    assert await _count(clinical, "SELECT count(*) FROM appointment") == 13
    assert await _count(clinical, "SELECT count(*) FROM break_glass_grant") == 1
    assert await _count(billing, "SELECT count(*) FROM invoice") == await _count(
        clinical, billed_patients
    )
    assert await _count(databases["auth"], "SELECT count(*) FROM outbox_event") == events

    (tmp_path / LOGINS_FILE).unlink()
    lost = await seed_demo(databases, data_dir=tmp_path)
    assert lost.logins == []
    assert re.search(r"printed then .* delete ", lost.summary)


async def test_production_never_seeds(databases: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(Conflict):
        await seed_demo(databases, data_dir=tmp_path, production=True)
    assert await _count(databases["auth"], "SELECT count(*) FROM auth_user") == 0
    assert not (tmp_path / LOGINS_FILE).exists()


def test_the_summary_names_the_claims_submitted() -> None:
    seeded = DemoSeed(True, [], Path("logins.txt"), "Seeded a synthetic clinic.")
    done = seeded.with_claims(["SUBMITTED", "APPROVED", "PAID"])
    assert done.summary == (
        "Seeded a synthetic clinic. Insurance claims: 1 submitted, 1 approved, 1 paid."
    )
    assert seeded.with_claims([]).summary == seeded.summary  # none submitted: none named
