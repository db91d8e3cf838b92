"""The desk in the browser (clients/web/src/staff): front-desk staff register a patient, change a
doctor's availability and see the free slots follow; staff read the billing reports (the demo's
insurance claims among them) and download them as CSV; an admin creates a user, changes their role
and disables them (who then cannot sign in); a nurse is refused user admin (by URL) and schedules
in plain words. Each screen: axe, phone width, screenshots. The demo users sign in with TOTP, a
code once per step: the tests take turns."""

from __future__ import annotations

import asyncio
import csv
import io
import random
import string
import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.async_api import Browser, Locator, Page, expect

from tests.e2e.test_payments import ok
from tests.e2e.web.conftest import check_screen, new_page, open_app, page_text, shows, sign_in
from tests.support.stack import DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NURSE = "nurse.haddad@demo.healthgraph.test"  # STAFF, but not the front desk
NEW_DOCTOR = """
mutation ($i: DoctorInput!) { createDoctor(input: $i) { id givenName familyName specialty } }
"""
FREE = """
query ($d: ID!, $f: DateTime!, $t: DateTime!) {
  availableSlots(doctorId: $d, from: $f, to: $t) { startsAt }
}
"""
NEW_PATIENT = """
mutation ($f: String!) {
  createPatient(input: {givenName: "Sky", familyName: $f, dateOfBirth: "1990-05-05", sex: OTHER}) {
    id
  }
}
"""
BOOK = "mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }"
ENROL = "mutation { enrollTotp { secret } }"
CONFIRM_TOTP = "mutation ($c: String!) { confirmTotp(code: $c) { accessToken } }"
LOGIN = "mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"


def synthetic_name() -> str:
    """A surname no other test uses (letters only: names refuse digits)."""
    return "Desk" + "".join(random.choices(string.ascii_lowercase, k=10))


def new_doctor(stack: DemoStack) -> dict[str, str]:
    """A doctor of our own, without a schedule (the shared demo doctors stay as they are)."""
    values = {
        "givenName": "Testa",
        "familyName": synthetic_name(),
        "specialty": "Dermatology",
        "licenceNumber": f"WEB-{uuid.uuid4().hex[:12].upper()}",
    }
    answer = graphql(stack.url(), NEW_DOCTOR, stack.sign_in("ADMIN"), i=values)
    doctor: dict[str, str] = ok(answer)["createDoctor"]
    return doctor


def next_weekday(after: int = 1) -> datetime:
    """Midnight (UTC) of the first Monday-to-Friday day at least ``after`` days from today."""
    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    day += timedelta(days=after)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


async def go(page: Page, link: str) -> None:
    """Follow a link of the desk's navigation (in-app: the session lives in memory)."""
    await page.get_by_role("navigation", name="Desk").get_by_role("link", name=link).click()
    await shows(page.get_by_role("heading", level=1, name=link))


async def test_staff_register_a_patient_and_see_them(demo_stack: DemoStack, page: Page) -> None:
    # the API's admin token now: a TOTP code counts once per step, and the browser signs the
    # admin in later in this module
    admin = demo_stack.sign_in("ADMIN")
    family = synthetic_name()
    await open_app(page, demo_stack)
    await sign_in(page, demo_stack.logins["STAFF"])  # the receptionist
    home = await shows(page.get_by_test_id("desk-home"))
    assert "Users and roles" not in await home.inner_text()  # an admin's task only
    await check_screen(page, "staff-home")
    await home.get_by_role("link", name="Register a patient").click()
    await shows(page.get_by_role("heading", level=1, name="Register a patient"))

    # nothing filled in: each required field says so, and nothing is sent
    await page.get_by_role("button", name="Register patient").click()
    await shows(page.get_by_test_id("givenName-error"), text="Given name is required")
    await shows(page.get_by_test_id("sex-error"), text="Sex is required")
    # the API's own checks, per field, in plain words
    await page.get_by_label("Given name").fill("Robin")
    await page.get_by_label("Family name").fill(family)
    await page.get_by_label("Date of birth").fill("1984-03-09")
    await page.get_by_label("Sex").select_option("OTHER")
    await page.get_by_label("Phone").fill("12345")
    await page.get_by_role("button", name="Register patient").click()
    await shows(page.get_by_test_id("phone-error"), text="must be an international phone number")
    await expect(page.get_by_label("Phone")).to_have_attribute("aria-invalid", "true")
    await check_screen(page, "staff-register-invalid")

    await page.get_by_label("Phone").fill("+44 20 7946 0958")
    await page.get_by_role("button", name="Register patient").click()
    await shows(page.get_by_role("heading", level=1, name=f"Robin {family}"))
    assert "/app/patients/" in page.url
    registered = page.url.rsplit("/", 1)[1]
    found = ok(
        graphql(
            demo_stack.url(),
            "query ($s: String!) { patients(search: $s) { nodes { id phone } } }",
            admin,
            s=family,
        )
    )["patients"]["nodes"]
    assert found == [{"id": registered, "phone": "+442079460958"}]
    await check_screen(page, "staff-registered-patient")

    # the same name and birth date again: the desk is shown who exists before a second record
    await page.get_by_role("link", name="healthgraph").click()
    await page.get_by_test_id("desk-home").get_by_role("link", name="Register a patient").click()
    await page.get_by_label("Given name").fill("Robin")
    await page.get_by_label("Family name").fill(family)
    await page.get_by_label("Date of birth").fill("1984-03-09")
    await page.get_by_label("Sex").select_option("OTHER")
    await page.get_by_role("button", name="Register patient").click()
    duplicate = await shows(page.get_by_test_id("duplicate"), text="Already registered")
    await check_screen(page, "staff-register-duplicate")
    await duplicate.get_by_role("link", name=f"Robin {family}").click()
    await shows(page.get_by_role("heading", level=1, name=f"Robin {family}"))
    assert page.url.endswith(registered)


async def test_a_nurse_reads_the_reports_and_is_refused_the_rest_in_plain_words(
    demo_stack: DemoStack, page: Page
) -> None:
    # the token lives in memory only: an edited URL opens the sign-in first, then that page
    await open_app(page, demo_stack, "/app/admin/users")
    await sign_in(page, demo_stack.accounts[NURSE])
    refusal = await shows(page.get_by_test_id("refusal"), text="Only an administrator")
    assert "@demo.healthgraph.test" not in await page_text(page)  # no account is listed
    await check_screen(page, "staff-admin-refused")

    # a nurse is not the front desk: changing a doctor's hours is refused, in plain words
    await refusal.page.locator("main").get_by_role("link").first.click()
    await page.get_by_test_id("desk-home").get_by_role("link", name="Doctors' availability").click()
    await shows(page.get_by_role("heading", level=1, name="Doctors' availability"))
    await page.get_by_label("Doctor", exact=True).select_option(
        label="Dr Elin Lindqvist (Paediatrics)"
    )
    await shows(page.get_by_test_id("exceptions"), text="Paediatrics conference")  # the demo's
    await page.get_by_role("button", name="Save weekly hours").click()
    await shows(page.get_by_test_id("error"), text="Only the front desk may change")
    await check_screen(page, "staff-availability-refused")

    # the desk's billing reports, for any staff: tables, a period picker, CSV downloads
    await page.get_by_role("link", name="healthgraph").click()
    await page.get_by_test_id("desk-home").get_by_role("link", name="Billing reports").click()
    await shows(page.get_by_role("heading", level=1, name="Billing reports"))
    reports = await shows(page.get_by_test_id("reports"))
    year = datetime.now(UTC).year
    await expect(page.get_by_label("From", exact=True)).to_have_value(f"{year}-01-01")
    for caption in (
        "Revenue per month",
        "Revenue per doctor",
        "Revenue per payer",
        "What open",
        "Insurance claims submitted",
    ):
        await shows(reports.get_by_role("table", name=caption))
    # the demo's claims (submitted by the desk at `make up`): one submitted, approved and paid
    claims = reports.get_by_role("table", name="Insurance claims submitted")
    for status in ("Submitted", "Approved", "Paid"):
        row = claims.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=status))
        assert int(await row.locator("td").nth(1).inner_text()) >= 1, await page_text(page)
    assert "No claims submitted" not in await page_text(page)
    # the demo's invoices: billed this month, one of them paid (collected is not zero)
    by_payer = reports.get_by_role("table", name="Revenue per payer")
    assert await by_payer.locator("tbody tr").count() >= 1
    by_period = reports.get_by_role("table", name="Revenue per month")
    collected = await by_period.locator("tbody tr td").nth(3).inner_text()
    assert float(collected) > 0, await page_text(page)
    await check_screen(page, "staff-reports")

    # a period by day: the table and the download follow the picker
    await page.get_by_label("Revenue per", exact=True).select_option("DAY")
    await page.get_by_role("button", name="Show").click()
    await shows(reports.get_by_role("table", name="Revenue per day"))
    async with page.expect_download() as started:
        await page.get_by_role("button", name="Download revenue by period (CSV)").click()
    download = await started.value
    assert download.suggested_filename == "revenue-by-period.csv"
    rows = list(csv.reader(io.StringIO((await download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["Period", "Currency", "Documents", "Billed", "Collected"]
    assert rows[-1][0] == "TOTAL"
    async with page.expect_download() as started:
        await page.get_by_role("button", name="Download receivables ageing (CSV)").click()
    ageing = (await (await started.value).path()).read_text(encoding="utf-8")
    assert ageing.splitlines()[0] == "Days past due,Currency,Invoices,Outstanding"


async def add_hours(page: Page, weekdays: tuple[str, ...]) -> None:
    """One block of working hours, 09:00-10:00, for each of ``weekdays``."""
    for index, weekday in enumerate(weekdays):
        await page.get_by_role("button", name="Add working hours").click()
        await page.get_by_label("Day", exact=True).nth(index).select_option(weekday)
        await page.get_by_label("from", exact=True).nth(index).fill("09:00")
        await page.get_by_label("to", exact=True).nth(index).fill("10:00")


def book_new_patient(stack: DemoStack, doctor_id: str, starts_at: str) -> str:
    """A new synthetic patient booked with the doctor at ``starts_at``; their family name."""
    admin = stack.sign_in("ADMIN")
    family = synthetic_name()
    patient = ok(graphql(stack.url(), NEW_PATIENT, admin, f=family))["createPatient"]["id"]
    booking = {
        "patientId": patient,
        "doctorId": doctor_id,
        "startsAt": starts_at,
        "idempotencyKey": str(uuid.uuid4()),
    }
    ok(graphql(stack.url(), BOOK, admin, input=booking))
    return family


async def test_staff_change_a_doctors_availability_and_the_free_slots_follow(
    demo_stack: DemoStack, page: Page
) -> None:
    doctor = new_doctor(demo_stack)
    label = f"Dr Testa {doctor['familyName']} (Dermatology)"
    await open_app(page, demo_stack, "/app/staff/availability")
    await sign_in(page, demo_stack.logins["STAFF"])
    await shows(page.get_by_role("heading", level=1, name="Doctors' availability"))
    await page.get_by_label("Doctor", exact=True).select_option(label=label)
    await shows(page.get_by_text("No schedule yet"))
    await shows(page.get_by_test_id("no-slots"))

    # Monday to Friday, 09:00-10:00 UTC, half-hour appointments
    await page.get_by_label("Time zone").fill("UTC")
    await page.get_by_label("Appointment length (minutes)").fill("30")
    await add_hours(page, ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"))
    # what the API refuses is said in plain words, by the field it concerns, and nothing changes
    await page.get_by_label("Appointment length (minutes)").fill("2")
    await page.get_by_role("button", name="Save weekly hours").click()
    await shows(
        page.get_by_test_id("appointmentMinutes-error"),
        text="Appointment length must be between 5 and 480.",
    )
    await page.get_by_label("Appointment length (minutes)").fill("30")
    await page.get_by_label("to", exact=True).nth(4).fill("08:00")
    await page.get_by_role("button", name="Save weekly hours").click()
    await shows(page.get_by_test_id("error"), text="ends before it starts")
    await page.get_by_label("to", exact=True).nth(4).fill("10:00")
    await page.get_by_role("button", name="Save weekly hours").click()
    await shows(page.get_by_test_id("saved"), text="Weekly hours saved.")

    day = next_weekday()
    slot = f"{day.date().isoformat()}T09:00:00"
    free = await shows(page.get_by_test_id("free-slots"))
    await expect(free.locator(f'[data-starts-at^="{slot}"]')).to_have_count(1)
    await check_screen(page, "staff-availability")
    span = {"f": day.isoformat(), "t": (day + timedelta(days=1)).isoformat()}
    answer = graphql(demo_stack.url(), FREE, demo_stack.sign_in("ADMIN"), d=doctor["id"], **span)
    assert [s["startsAt"][11:16] for s in ok(answer)["availableSlots"]] == ["09:00", "09:30"]

    # a patient books the first slot; then the doctor is away that day: the slots go, for the
    # desk and for whoever books, and the desk is told whose appointment stays booked
    family = book_new_patient(demo_stack, doctor["id"], f"{slot}+00:00")
    await page.get_by_label("Date", exact=True).fill(day.date().isoformat())
    await page.get_by_label("Kind").select_option("UNAVAILABLE")
    await page.get_by_label("Reason (optional)").fill("Conference")
    await page.get_by_role("button", name="Add exception").click()
    await shows(page.get_by_test_id("exceptions"), text="Conference")
    clashes = await shows(
        page.get_by_test_id("clashes"), text="falls in this time and stays booked"
    )
    await shows(clashes, text=f"09:00 Sky {family}")
    await expect(free.locator(f'[data-starts-at^="{slot}"]')).to_have_count(0)
    answer = graphql(demo_stack.url(), FREE, demo_stack.sign_in("ADMIN"), d=doctor["id"], **span)
    assert ok(answer)["availableSlots"] == []
    await check_screen(page, "staff-availability-exception")
    # and back again: the booked slot stays taken
    await page.get_by_role(
        "button", name=f"Remove the exception on {day.date().isoformat()}"
    ).click()
    later = f"{day.date().isoformat()}T09:30:00"
    await expect(free.locator(f'[data-starts-at^="{later}"]')).to_have_count(1)
    await expect(free.locator(f'[data-starts-at^="{slot}"]')).to_have_count(0)


async def confirmed(page: Page, button: Locator, *, asks: str, yes: str, done: str) -> None:
    """Click ``button``, see the confirmation ask (``asks``), say ``yes``, see it ``done``."""
    await button.click()
    await shows(page.get_by_test_id("confirm"), text=asks)
    await page.get_by_role("button", name=yes).click()
    await shows(page.get_by_test_id("done"), text=done)


async def create_user(page: Page, email: str, name: str, password: str) -> Locator:
    """Create a STAFF user on the Users and roles screen; their row."""
    await page.get_by_label("Email", exact=True).fill(email)
    await page.get_by_label("Display name").fill(name)
    await page.get_by_label("Role", exact=True).select_option("STAFF")
    await page.get_by_label("Initial password").fill(password)
    await page.get_by_role("button", name="Create user").click()
    await shows(page.get_by_test_id("done"), text=f"{name} ({email}) was created as Staff.")
    row = page.locator(f'tr[data-email="{email}"]')
    await shows(row, text="Staff")
    return row


async def test_admin_create_a_user_change_their_role_reset_mfa_and_disable_them(
    demo_stack: DemoStack, page: Page, browser: Browser
) -> None:
    email = f"desk.{uuid.uuid4().hex[:10]}@example.test"
    password = f"Synthetic-{uuid.uuid4().hex}"
    name = f"Quinn {synthetic_name()}"
    await open_app(page, demo_stack)
    await sign_in(page, demo_stack.logins["ADMIN"])
    await page.get_by_test_id("desk-home").get_by_role("link", name="Users and roles").click()
    await shows(page.get_by_role("heading", level=1, name="Users and roles"))
    mine = page.get_by_role("row").filter(has_text=demo_stack.logins["ADMIN"].email)
    await shows(mine, text="You cannot change your own role or disable yourself.")
    await check_screen(page, "admin-users")
    row = await create_user(page, email, name, password)

    # a role change waits for a confirmation; cancelling changes nothing
    await row.get_by_label("New role").select_option("PATIENT")
    await row.get_by_role("button", name="Change role").click()
    confirm = await shows(page.get_by_test_id("confirm"), text="from Staff to Patient")
    await check_screen(page, "admin-users-confirm")
    await confirm.get_by_role("button", name="Cancel").click()
    await expect(row.locator("td").nth(1)).to_have_text("Staff")
    change = row.get_by_role("button", name="Change role")
    await confirmed(
        page, change, asks="to Patient", yes="Yes, change the role", done=f"{name} is now Patient."
    )
    await expect(row.locator("td").nth(1)).to_have_text("Patient")
    # the role change revoked their tokens up to this second (whole seconds: a token issued in
    # the same second counts as revoked), so they sign in after it
    await asyncio.sleep(1.1)
    signed = graphql(demo_stack.url(), LOGIN, e=email, p=password)
    token = ok(signed)["login"]["accessToken"]  # a patient signs in without a second factor

    # they enrol an authenticator; the admin resets it (a lost phone), after a confirmation
    secret = ok(graphql(demo_stack.url(), ENROL, token))["enrollTotp"]["secret"]
    ok(graphql(demo_stack.url(), CONFIRM_TOTP, token, c=pyotp.TOTP(secret).now()))
    await page.get_by_role("button", name="Find").click()
    await expect(row.locator("td").nth(3)).to_have_text("On")
    reset = row.get_by_role("button", name="Reset MFA")
    await confirmed(
        page, reset, asks="enrol an authenticator again", yes="Yes, reset MFA", done="MFA is reset"
    )
    await expect(row.locator("td").nth(3)).to_have_text("Off")

    disable = row.get_by_role("button", name="Disable")
    await confirmed(
        page, disable, asks="can no longer sign in", yes="Yes, disable", done=f"{name} is disabled."
    )
    await expect(row.locator("td").nth(2)).to_have_text("Disabled")
    # and cannot sign in any more: the sign-in form refuses, in words
    async with new_page(browser) as other:
        await open_app(other, demo_stack)
        await other.get_by_label("Email").fill(email)
        await other.get_by_label("Password").fill(password)
        await other.get_by_role("button", name="Sign in", exact=True).click()
        await shows(other.get_by_test_id("error"))
        await expect(other.get_by_test_id("who")).to_have_count(0)
        await check_screen(other, "disabled-user-sign-in")
