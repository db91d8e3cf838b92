"""A patient's own screens in the browser: booking a free slot of a chosen doctor and cancelling
it (the start page's live list shows it), a slot someone else takes between listing and booking
read in plain words, and their records and prescriptions: the signed PDF downloaded and the
signature verified. Each test works on synthetic people of its own (a doctor with hours on every
day, a patient with a login, a record and a prescription), so the shared demo stack's other tests
neither disturb nor are disturbed by it."""

from __future__ import annotations

import io
import random
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.async_api import Browser, Page, expect

from subgraphs.clinical.seed import working_day
from tests.e2e.test_payments import ok
from tests.e2e.web.conftest import check_screen, new_page, open_app, shows, sign_in
from tests.support.stack import DemoLogin, DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


@dataclass(frozen=True)
class Clinic:
    """This module's synthetic people: a doctor, a patient who signs in, another patient."""

    doctor_id: str
    doctor_label: str  # as the booking page lists the doctor
    doctor_family_name: str
    patient: DemoLogin
    patient_id: str
    other_patient_id: str
    prescription_id: str
    medication: str
    key_id: str


def _new_patient(stack: DemoStack, admin: str, family: str, user_id: str | None) -> str:
    created = graphql(
        stack.url(),
        "mutation($input: PatientInput!) { createPatient(input: $input) { id } }",
        admin,
        input={
            "givenName": "Robin",
            "familyName": family,
            "dateOfBirth": "1990-02-03",
            "sex": "OTHER",
            "userId": user_id,
        },
    )
    return str(ok(created)["createPatient"]["id"])


@pytest.fixture(scope="module")
def clinic(demo_stack: DemoStack) -> Clinic:
    """A doctor working 09:00-12:00 UTC every day; a patient with a login, in the demo doctor's
    care, with a record and a signed prescription; another patient without a login."""
    url, tag = demo_stack.url(), "".join(random.choices(string.ascii_lowercase, k=8))
    admin = demo_stack.sign_in("ADMIN")
    family = f"Slotwell-{tag}"
    doctor = ok(
        graphql(
            url,
            "mutation($input: DoctorInput!) { createDoctor(input: $input) { id } }",
            admin,
            input={
                "givenName": "Wren",
                "familyName": family,
                "specialty": "General practice",
                "licenceNumber": f"SYN-{tag}",
            },
        )
    )["createDoctor"]["id"]
    ok(
        graphql(
            url,
            "mutation($d: ID!, $input: DoctorScheduleInput!) "
            "{ setDoctorSchedule(doctorId: $d, input: $input) { doctorId } }",
            admin,
            d=doctor,
            input={
                "timeZone": "UTC",
                "appointmentMinutes": 30,
                "weeklyHours": [
                    {"weekday": day, "startsAt": "09:00:00", "endsAt": "12:00:00"} for day in WEEK
                ],
            },
        )
    )
    email, password = f"web-patient-{tag}@example.org", f"Synthetic-{secrets.token_hex(8)}"
    user = ok(
        graphql(
            url,
            "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
            admin,
            input={
                "email": email,
                "displayName": f"Robin {family}",
                "role": "PATIENT",
                "password": password,
            },
        )
    )["createUser"]["id"]
    patient = _new_patient(demo_stack, admin, family, user)
    other = _new_patient(demo_stack, admin, f"Other-{tag}", None)
    demo_doctor = ok(graphql(url, "{ me { doctor { id } } }", demo_stack.sign_in("DOCTOR")))
    ok(
        graphql(
            url,
            "mutation($p: ID!, $d: ID!) { assignPatientToDoctor(patientId: $p, doctorId: $d) }",
            admin,
            p=patient,
            d=demo_doctor["me"]["doctor"]["id"],
        )
    )
    doctor_token = demo_stack.sign_in("DOCTOR")
    ok(
        graphql(
            url,
            "mutation($input: CreateMedicalRecordInput!) { createMedicalRecord(input: $input) "
            "{ id } }",
            doctor_token,
            input={
                "patientId": patient,
                "notes": "Sprained left ankle while running; no bony tenderness.",
                "diagnoses": [{"code": "S93.4", "text": "Ankle sprain", "primary": True}],
            },
        )
    )
    medication = f"Ibuprofen 200 mg tablets {tag}"
    issued = ok(
        graphql(
            url,
            "mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) "
            "{ id keyId } }",
            doctor_token,
            input={
                "patientId": patient,
                "medication": medication,
                "dose": "200 mg",
                "route": "ORAL",
                "frequency": "three times a day with food",
                "quantity": 24,
            },
        )
    )["issuePrescription"]
    return Clinic(
        doctor_id=doctor,
        doctor_label=f"Dr Wren {family} (General practice)",
        doctor_family_name=family,
        patient=DemoLogin(email, password, None),
        patient_id=patient,
        other_patient_id=other,
        prescription_id=issued["id"],
        medication=medication,
        key_id=issued["keyId"],
    )


def some_day() -> date:
    """A day of its own for each test, months ahead (the doctor works every day)."""
    return datetime.now(UTC).date() + timedelta(days=random.randint(30, 600))


async def go_to(page: Page, link: str) -> None:
    """Follow a link of the patient's navigation (in the app: the session lives in memory)."""
    await page.get_by_role("navigation", name="My pages").get_by_role("link", name=link).click()


async def open_as(page: Page, stack: DemoStack, login: DemoLogin, link: str) -> None:
    """Open the app, sign ``login`` in and follow the navigation's ``link``."""
    await open_app(page, stack)
    await sign_in(page, login)
    await go_to(page, link)


async def choose(page: Page, clinic: Clinic, day: date) -> None:
    """On the booking page: find the doctor, choose them and the day; the free times show."""
    await page.get_by_label("Find a doctor by name").fill(clinic.doctor_family_name)
    doctor = page.get_by_label("Doctor", exact=True)
    await expect(doctor.locator("option", has_text=clinic.doctor_label)).to_have_count(1)
    await doctor.select_option(label=clinic.doctor_label)
    await page.get_by_label("Day", exact=True).fill(day.isoformat())
    await shows(page.get_by_role("list", name="Free times"))


async def pick_slot(page: Page, stack: DemoStack, clinic: Clinic, index: int = 0) -> str:
    """Signed in as the clinic's patient, on the booking page: the doctor, a day of this test's
    own, the ``index``-th free time chosen; its start."""
    await open_as(page, stack, clinic.patient, "Book")
    await shows(page.get_by_role("heading", name="Book an appointment"))
    await choose(page, clinic, some_day())
    slot = page.locator("button.slot").nth(index)
    starts_at = await slot.get_attribute("data-starts-at")
    assert starts_at
    await slot.click()
    return starts_at


def appointments_of(stack: DemoStack, patient_id: str) -> list[dict[str, Any]]:
    answer = graphql(
        stack.url(),
        "query($id: ID!) { patient(id: $id) { appointments(first: 100) "
        "{ nodes { id startsAt status } } } }",
        stack.sign_in("ADMIN"),
        id=patient_id,
    )
    nodes: list[dict[str, Any]] = ok(answer)["patient"]["appointments"]["nodes"]
    return nodes


def same_instant(a: str, b: str) -> bool:
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)


async def test_a_patient_books_a_free_slot_sees_it_listed_and_cancels_it(
    demo_stack: DemoStack, page: Page, browser: Browser, clinic: Clinic
) -> None:
    # the same patient's start page open on their phone: its live list follows without reload
    async with new_page(browser, phone=True) as phone:
        await open_app(phone, demo_stack)
        await sign_in(phone, clinic.patient)
        await shows(phone.get_by_test_id("live"), text="Live updates are on.")
        await _book_and_cancel(demo_stack, page, phone, clinic)


async def _book_and_cancel(demo_stack: DemoStack, page: Page, phone: Page, clinic: Clinic) -> None:
    starts_at = await pick_slot(page, demo_stack, clinic, 1)
    await page.get_by_label("Reason for the visit").fill("Knee pain on stairs")
    await check_screen(page, "patient-book")
    await page.get_by_role("button", name="Book this time").click()
    await shows(page.get_by_test_id("booked"), text=f"with Dr Wren {clinic.doctor_family_name}")
    booked = [
        a
        for a in appointments_of(demo_stack, clinic.patient_id)
        if same_instant(a["startsAt"], starts_at) and a["status"] == "BOOKED"
    ]
    assert len(booked) == 1, booked
    appointment = booked[0]["id"]
    mine = page.get_by_role("list", name="My upcoming appointments")
    await shows(mine.locator(f'[data-appointment="{appointment}"]'), text="Knee pain on stairs")
    # the taken time is no longer offered
    await expect(page.locator(f'button.slot[data-starts-at="{starts_at}"]')).to_have_count(0)

    # the start page's live list shows the booking: on the phone at once, here once back there
    on_phone = phone.get_by_role("list", name="Upcoming appointments").locator(
        f'[data-appointment="{appointment}"]'
    )
    await shows(on_phone, text="Knee pain on stairs")
    await page.get_by_role("link", name="Back to my appointments").click()
    upcoming = page.get_by_role("list", name="Upcoming appointments")
    await shows(upcoming.locator(f'[data-appointment="{appointment}"]'), text="Knee pain on stairs")

    # cancel it, after confirming
    await go_to(page, "Book")
    row = page.get_by_role("list", name="My upcoming appointments").locator(
        f'[data-appointment="{appointment}"]'
    )
    await row.get_by_role("button", name="Cancel the appointment").click()
    confirm = row.get_by_role("group", name="Confirm the cancellation")
    await shows(confirm)
    await confirm.get_by_label("Reason").fill("Feeling better")
    await check_screen(page, "patient-cancel-confirm")
    await confirm.get_by_role("button", name="Yes, cancel it").click()
    await shows(page.get_by_test_id("cancelled"), text="Cancelled")
    await expect(row).to_have_count(0)
    status = {a["id"]: a["status"] for a in appointments_of(demo_stack, clinic.patient_id)}
    assert status[appointment] == "CANCELLED"
    await shows(on_phone, text="cancelled")


async def test_a_slot_taken_meanwhile_reads_in_plain_words_and_the_times_reload(
    demo_stack: DemoStack, page: Page, clinic: Clinic
) -> None:
    starts_at = await pick_slot(page, demo_stack, clinic)

    # between listing and booking, the front desk books that time for another patient
    taken = graphql(
        demo_stack.url(),
        "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }",
        demo_stack.sign_in("STAFF"),
        input={
            "patientId": clinic.other_patient_id,
            "doctorId": clinic.doctor_id,
            "startsAt": starts_at,
            "reason": "Booked at the front desk",
        },
    )
    ok(taken)

    await page.get_by_role("button", name="Book this time").click()
    await shows(page.get_by_test_id("error"), text="That time was just taken — pick another.")
    await expect(page.locator(f'button.slot[data-starts-at="{starts_at}"]')).to_have_count(0)
    await expect(page.locator("button.slot").first).to_be_visible()
    await check_screen(page, "patient-book-conflict")
    mine = [
        a
        for a in appointments_of(demo_stack, clinic.patient_id)
        if same_instant(a["startsAt"], starts_at)
    ]
    assert mine == []


async def test_a_reason_the_api_refuses_reads_in_plain_words_and_nothing_is_booked(
    demo_stack: DemoStack, page: Page, clinic: Clinic
) -> None:
    """Validation is the API's: a reason pasted with a control character in it is refused."""
    starts_at = await pick_slot(page, demo_stack, clinic)
    await page.get_by_label("Reason for the visit").fill("Rash\x07 on both arms")
    await page.get_by_role("button", name="Book this time").click()
    await shows(page.get_by_test_id("error"), text="Some of the details are not valid.")
    await shows(page.get_by_test_id("error"), text="reason")
    await expect(page.locator(f'button.slot[data-starts-at="{starts_at}"]')).to_have_count(1)
    mine = appointments_of(demo_stack, clinic.patient_id)
    assert not [a for a in mine if same_instant(a["startsAt"], starts_at)]


async def test_a_patient_downloads_the_signed_pdf_and_verifies_the_prescription(
    demo_stack: DemoStack, page: Page, clinic: Clinic, tmp_path: Path
) -> None:
    await open_as(page, demo_stack, clinic.patient, "Records")
    await shows(page.get_by_role("heading", name="My records and prescriptions"))
    records = page.get_by_role("list", name="My medical records")
    await shows(records, text="Ankle sprain (S93.4)")
    await shows(records, text="Sprained left ankle while running")
    item = page.locator(f'[data-prescription="{clinic.prescription_id}"]')
    await shows(item, text=clinic.medication)

    await records.get_by_role("button", name="Show changes").first.click()
    await shows(page.get_by_role("list", name="Versions of this record"), text="Version 1")
    await check_screen(page, "patient-records")

    async with page.expect_download() as started:
        await item.get_by_role("button", name="Download the PDF").click()
    download = await started.value
    assert download.suggested_filename == f"prescription-{clinic.prescription_id}.pdf"
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert clinic.medication in text
    assert "Dana Doctor" in text

    await item.get_by_role("button", name="Verify the signature").click()
    verdict = item.get_by_test_id("verification")
    await shows(verdict, text="Valid: the signature checks out.")
    await expect(verdict).to_have_attribute("data-status", "VALID")
    await shows(verdict.get_by_test_id("signer"), text="Dana Doctor (licence GMC-7000001)")
    await shows(verdict.get_by_test_id("key-id"), text=clinic.key_id)
    await check_screen(page, "patient-prescription-verified")


async def test_the_demo_patient_on_a_phone_sees_their_seeded_record_and_prescription(
    demo_stack: DemoStack, phone_page: Page
) -> None:
    """``make up``'s demo data fills the screens: the demo patient's visit note and signed
    prescription (read only here; other tests share them), and a doctor with free times."""
    page = phone_page
    await open_as(page, demo_stack, demo_stack.logins["PATIENT"], "Records")
    await shows(page.get_by_role("list", name="My medical records"), text="Acute bronchitis")
    item = (
        page.get_by_role("list", name="My prescriptions")
        .get_by_role("listitem")
        .filter(has_text="Salbutamol")
    )
    await item.get_by_role("button", name="Verify the signature").click()
    await shows(item.get_by_test_id("verification"), text="Valid")
    await check_screen(page, "patient-records-demo")

    await go_to(page, "Book")
    await page.get_by_label("Doctor", exact=True).select_option(
        label="Dr Dana Doctor (General practice)"
    )
    await page.get_by_label("Day", exact=True).fill(
        working_day(datetime.now(UTC).date(), 3).isoformat()
    )
    await shows(page.locator("button.slot").first)
    await check_screen(page, "patient-book-demo")
