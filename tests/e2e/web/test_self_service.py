"""A patient corrects their own phone number (an invalid one refused in words, field by field) and
sees who accessed their record: a staff member's read through the API (who, when, which part) and
a doctor's break-glass access, flagged; older entries page in."""

from __future__ import annotations

import re
import secrets
import string
import time
import uuid
from datetime import datetime

import pytest
from playwright.async_api import Page, expect

from tests.e2e.test_payments import ok
from tests.e2e.web.conftest import check_screen, open_app, shows, sign_in
from tests.support.stack import DemoLogin, DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

_OUTSIDER = "dr.okafor@demo.healthgraph.test"  # in no care team of a new patient
_NEW_USER = "mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }"
_NEW_PATIENT = """
mutation ($u: ID!, $f: String!) {
  createPatient(input: {givenName: "Paula", familyName: $f, dateOfBirth: "1990-02-03",
                        sex: FEMALE, phone: "+44 20 7946 0200", userId: $u}) { id }
}
"""
_READ = "query ($id: ID!) { patient(id: $id) { id phone } }"


def own_patient(stack: DemoStack) -> tuple[DemoLogin, str]:
    """A new synthetic patient with a login of their own (nothing other tests read)."""
    admin = stack.sign_in("ADMIN")
    family = "Self" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
    login = DemoLogin(f"{family.lower()}@example.test", f"Pw-{uuid.uuid4().hex}", None)
    account = {"email": login.email, "displayName": f"Paula {family} (synthetic)",
               "role": "PATIENT", "password": login.password}  # fmt: skip
    user = ok(graphql(stack.url(), _NEW_USER, admin, i=account))["createUser"]["id"]
    patient = ok(graphql(stack.url(), _NEW_PATIENT, admin, u=user, f=family))["createPatient"]
    stack.accounts[login.email] = login  # so that stack.sign_in_as(email) works too
    return login, str(patient["id"])


async def test_a_patient_corrects_their_phone_number(demo_stack: DemoStack, page: Page) -> None:
    login, patient = own_patient(demo_stack)
    await open_app(page, demo_stack)
    await sign_in(page, login)
    await page.get_by_role("link", name="My details").click()
    phone = page.get_by_label("Phone number")
    await expect(phone).to_have_value("+442079460200")
    await check_screen(page, "self-details")

    await phone.fill("call me maybe")
    await page.get_by_role("button", name="Save my details").click()
    await shows(page.get_by_test_id("phone-error"), text="must be an international phone number")
    await shows(page.get_by_test_id("error"), text="nothing was saved")
    await expect(phone).to_have_attribute("aria-invalid", "true")
    await check_screen(page, "self-details-invalid")
    token = demo_stack.sign_in_as(login.email)
    assert ok(graphql(demo_stack.url(), _READ, token, id=patient))["patient"]["phone"] == (
        "+442079460200"
    )

    await phone.fill("+44 20 7946 0555")
    await page.get_by_role("button", name="Save my details").click()
    await shows(page.get_by_test_id("saved"), text="Your details are saved.")
    await expect(phone).to_have_value("+442079460555")  # as the record keeps it
    await expect(page.get_by_test_id("phone-error")).to_have_count(0)
    assert ok(graphql(demo_stack.url(), _READ, token, id=patient))["patient"]["phone"] == (
        "+442079460555"
    )
    # shown again from the record after moving away and back
    await page.get_by_role("link", name="Invoices").click()
    await page.get_by_role("link", name="My details").click()
    await expect(page.get_by_label("Phone number")).to_have_value("+442079460555")


async def test_a_patient_sees_who_accessed_their_record(demo_stack: DemoStack, page: Page) -> None:
    login, patient = own_patient(demo_stack)
    url = demo_stack.url()
    staff, doctor = demo_stack.sign_in("STAFF"), demo_stack.sign_in_as(_OUTSIDER)
    read_at = time.time()
    ok(graphql(url, _READ, staff, id=patient))  # the front desk opens the record
    emergency = "mutation ($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { id } }"
    ok(graphql(url, emergency, doctor, p=patient, r="Collapsed in the waiting room"))
    ok(graphql(url, _READ, doctor, id=patient))

    await open_app(page, demo_stack)
    await sign_in(page, login)
    await page.get_by_role("link", name="Who accessed my record").click()
    await shows(page.get_by_role("heading", name="Who accessed my record"))
    entries = page.get_by_role("list", name="Accesses to my record").get_by_role("listitem")
    by_staff = entries.filter(has_text="Sam Staff")
    flagged = entries.filter(has_text="Chidi Okafor").and_(page.locator("[data-break-glass=true]"))
    deadline = time.monotonic() + 30  # the audit trail is written from the event stream
    while not (await by_staff.count() and await flagged.count() >= 2):
        assert time.monotonic() < deadline, await page.locator("main").inner_text()
        await page.get_by_role("button", name="Refresh").click()
        await page.wait_for_timeout(500)

    # who, which part, when (the minute of the read, in the browser's UTC)
    await expect(by_staff).to_have_count(1)
    await expect(by_staff).to_contain_text("Sam Staff (member of staff) Looked at your personal")
    await expect(by_staff).to_have_attribute("data-break-glass", "false")
    shown_at = await by_staff.locator("time").get_attribute("datetime")
    assert shown_at is not None
    assert abs(datetime.fromisoformat(shown_at).timestamp() - read_at) < 60, (shown_at, read_at)
    opened = flagged.filter(has_text="Opened emergency access to your record")
    await expect(opened.get_by_test_id("break-glass")).to_contain_text(
        "Emergency (break-glass) access: “Collapsed in the waiting room”"
    )
    await expect(flagged.filter(has_text="Looked at your personal details")).to_have_count(1)
    await check_screen(page, "self-access-log")

    # The patient's own activity is there on request; older entries page in 20 at a time.
    for _ in range(20):
        ok(graphql(url, _READ, demo_stack.sign_in_as(login.email), id=patient))
    await page.get_by_label("Include my own activity").check()
    await page.get_by_role("button", name="Refresh").click()
    older = page.get_by_role("button", name="Show older entries")
    await shows(older)
    await expect(entries).to_have_count(20)
    await older.click()
    await shows(entries.filter(has_text="Sam Staff"))
    assert await entries.count() > 20
    await expect(entries.filter(has_text=re.compile(r"^You Looked at"))).not_to_have_count(0)
