"""The doctor's screens in Chromium: a patient's chart opened from the day's schedule and from
"my patients"; a record entry written (per-field errors in plain words first), edited into a
second version and shown with its history; a prescription issued, shown signed and verified,
downloaded as a PDF and revoked after a confirm step; a patient outside the doctor's care refused."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from tests.e2e.test_payments import ok
from tests.e2e.test_router_subscriptions import book, ids
from tests.e2e.web.conftest import check_screen, open_app, page_text, shows, sign_in
from tests.support.stack import DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REGISTER = """
mutation($input: PatientInput!) { createPatient(input: $input) { id mrn givenName familyName } }
"""
CREATE_RECORD = """
mutation($p: ID!, $n: String!) { createMedicalRecord(input: {patientId: $p, notes: $n}) { id } }
"""
STARTS = "query($id: ID!) { appointment(id: $id) { startsAt } }"


def new_patient(stack: DemoStack) -> dict[str, str]:
    """A synthetic patient of our own (nobody's yet), registered by staff."""
    letters = "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex[:8])
    family = f"Chartwell-{letters.capitalize()}"  # names are letters only
    person = {
        "givenName": "Wren",
        "familyName": family,
        "dateOfBirth": "1990-02-14",
        "sex": "FEMALE",
    }
    created = ok(graphql(stack.url(), REGISTER, stack.sign_in("STAFF"), input=person))
    return dict(created["createPatient"])


def book_with_demo_doctor(stack: DemoStack, patient_id: str, reason: str) -> datetime:
    """Staff books the patient into a free slot of the demo doctor's coming week (which also puts
    the doctor in the patient's care team); its start."""
    doctor_id, _, _ = ids(stack)
    now = datetime.now(UTC)
    booked = book(stack, doctor_id, patient_id, span=(now, now + timedelta(days=7)), reason=reason)
    found = ok(graphql(stack.url(), STARTS, stack.sign_in("STAFF"), id=booked))
    return datetime.fromisoformat(found["appointment"]["startsAt"])


async def field_error(page: Page, label: str, message: str) -> None:
    """The field labelled ``label`` is marked invalid and says ``message`` (its description)."""
    field = page.get_by_label(label, exact=True)
    await expect(field).to_have_attribute("aria-invalid", "true")
    await expect(field).to_have_accessible_description(message)


async def write_and_edit_a_record(page: Page) -> None:
    """A record entry: the form's problems per field in plain words, then saved and shown at
    once; editing it makes version 2, and the history shows both."""
    await page.get_by_role("button", name="Write a record entry").click()
    form = page.get_by_test_id("new-record")
    await form.get_by_label("Diagnosis code (ICD-10)").fill("cough")
    await form.get_by_label("Temperature (°C)").fill("52")
    await form.get_by_role("button", name="Save the entry").click()
    await field_error(page, "Notes", "Write a note about the visit.")
    await field_error(
        page, "Diagnosis code (ICD-10)", "For example J20.9 Use an ICD-10 code, such as J20.9."
    )
    await field_error(page, "Diagnosis", "Describe the diagnosis too.")
    await field_error(page, "Temperature (°C)", "Temperature must be a number from 25 to 45.")
    await expect(page.get_by_label("Notes")).to_be_focused()
    await check_screen(page, "doctor-record-errors")

    note = f"Synthetic visit note {uuid.uuid4().hex[:8]}: dry cough, chest clear."
    await form.get_by_label("Notes").fill(note)
    await form.get_by_label("Diagnosis code (ICD-10)").fill("j209")
    await form.get_by_label("Temperature (°C)").fill("37.4")
    await form.get_by_label("Heart rate (beats a minute)").fill("82")
    # what only the API checks comes back to its field too
    await form.get_by_label("Diagnosis", exact=True).fill("bronchitis " * 50)
    await form.get_by_role("button", name="Save the entry").click()
    await field_error(page, "Diagnosis", "Must be at most 500 characters long.")
    await form.get_by_label("Diagnosis", exact=True).fill("Acute bronchitis")
    await form.get_by_role("button", name="Save the entry").click()
    await shows(page.get_by_test_id("saved"), text="The record entry is saved.")
    records = page.get_by_role("list", name="Medical records")
    entry = records.get_by_role("listitem").filter(has_text=note)
    await shows(entry, text="Acute bronchitis (J20.9)")
    await shows(entry, text="temperature 37.4 °C, heart rate 82/min")
    await expect(entry).to_have_attribute("data-version", "1")

    # edited: version 2
    await entry.get_by_role("button", name="Edit").click()
    await page.get_by_label("Notes").fill(f"{note} Addendum: review in a week.")
    await page.get_by_role("button", name="Save a new version").click()
    await shows(page.get_by_test_id("saved"), text="A new version of the record is saved.")
    entry = records.get_by_role("listitem").filter(has_text="Addendum: review in a week.")
    await expect(entry).to_have_attribute("data-version", "2")
    await entry.get_by_role("button", name="Version history").click()
    history = entry.get_by_role("list", name="Versions of this record (now version 2)")
    await shows(history.locator("[data-version='2']"), text="changed: notes")
    await shows(
        history.locator("[data-version='1']"), text="written: notes, vital signs, diagnoses"
    )


async def issue_download_and_revoke(page: Page, folder: Path) -> None:
    """A prescription: plain-words problems, then issued, signed and verified; its PDF; revoked
    after a confirm step that asks why."""
    await page.get_by_role("button", name="Issue a prescription").click()
    rx = page.get_by_test_id("new-prescription")
    medication = f"Amoxicillin 500 mg capsules ({uuid.uuid4().hex[:6]})"
    await rx.get_by_label("Medication").fill(medication)
    await rx.get_by_label("Quantity").fill("0")
    await rx.get_by_role("button", name="Issue and sign").click()
    await field_error(page, "Dose", "For example 500 mg Give the dose, for example 500 mg.")
    await field_error(page, "Quantity", "The quantity must be a whole number from 1 to 1000.")
    await check_screen(page, "doctor-prescription-errors")
    await rx.get_by_label("Dose").fill("500 mg")
    await rx.get_by_label("Route").select_option(label="By mouth (oral)")
    await rx.get_by_label("How often").fill("three times a day for 5 days")
    await rx.get_by_label("Quantity").fill("15")
    await rx.get_by_label("Instructions for the patient").fill("Finish the course.")
    await rx.get_by_role("button", name="Issue and sign").click()
    await shows(page.get_by_test_id("saved"), text="The prescription is issued and signed.")
    issued = (
        page.get_by_role("list", name="Prescriptions")
        .get_by_role("listitem")
        .filter(has_text=medication)
    )
    await shows(issued, text="500 mg, by mouth (oral), three times a day for 5 days. Quantity 15")
    signature = issued.locator("[data-signature]")
    await shows(signature, text="Signature verified: genuine and in force.")
    await expect(signature).to_have_attribute("data-signature", "VALID")

    # its PDF, fetched through the router with the session's token
    async with page.expect_download() as waiting:
        await issued.get_by_role("button", name=f"Download the PDF of {medication}").click()
    download = await waiting.value
    saved = folder / download.suggested_filename
    await download.save_as(saved)
    assert saved.suffix == ".pdf", download.suggested_filename
    assert saved.read_bytes().startswith(b"%PDF-")
    await check_screen(page, "doctor-chart-written")

    # revoking asks why first; then the signature check answers REVOKED
    await issued.get_by_role("button", name=f"Revoke {medication}…").click()
    confirm = issued.get_by_role("form", name=f"Revoke {medication}")
    await shows(confirm, text="this cannot be undone")
    await confirm.get_by_role("button", name="Yes, revoke it").click()
    await field_error(
        page, "Why", "Say why you revoke it (the patient and the audit trail see this)."
    )
    await check_screen(page, "doctor-prescription-revoke")
    await confirm.get_by_label("Why").fill("Prescribed in error (synthetic test).")
    await confirm.get_by_role("button", name="Yes, revoke it").click()
    await shows(page.get_by_test_id("saved"), text="The prescription is revoked.")
    await expect(issued).to_have_attribute("data-status", "REVOKED")
    await expect(issued.locator("[data-signature]")).to_have_attribute("data-signature", "REVOKED")
    await shows(issued, text="Prescribed in error (synthetic test).")


async def test_a_doctor_writes_a_record_and_issues_a_signed_prescription_from_the_schedule(
    demo_stack: DemoStack, page: Page, tmp_path: Path
) -> None:
    patient = new_patient(demo_stack)
    name = f"{patient['givenName']} {patient['familyName']}"
    reason = f"Chart test {uuid.uuid4().hex[:8]}"
    starts = book_with_demo_doctor(demo_stack, patient["id"], reason)
    doctor = demo_stack.sign_in("DOCTOR")  # before the browser's sign-in: one TOTP code a step

    # the doctor's day with that visit: the patient's name opens the chart
    await open_app(page, demo_stack, f"/app/?day={starts.astimezone(UTC).date().isoformat()}")
    await sign_in(page, demo_stack.logins["DOCTOR"])
    visit = page.get_by_role("listitem").filter(has_text=reason)
    await shows(visit)
    await visit.get_by_role("link", name=name).click()
    await shows(page.get_by_role("heading", name=name, level=1))
    await shows(page.get_by_text(patient["mrn"], exact=True))
    await shows(page.get_by_text("No medical records yet."))
    await shows(page.get_by_text("Dr Dana Doctor (General practice; booked a visit)"))
    await shows(
        page.get_by_role("list", name="Upcoming appointments")
        .or_(page.get_by_role("list", name="Past appointments"))
        .filter(has_text=reason)
    )
    await check_screen(page, "doctor-chart")

    # a record written elsewhere (another device, through the API) appears live
    await asyncio.sleep(1)  # the subscription is open before the record is written
    elsewhere = f"Written on another device {uuid.uuid4().hex[:8]}"
    ok(graphql(demo_stack.url(), CREATE_RECORD, doctor, p=patient["id"], n=elsewhere))
    await shows(
        page.get_by_role("list", name="Medical records").filter(has_text=elsewhere), seconds=30
    )

    await write_and_edit_a_record(page)
    await issue_download_and_revoke(page, tmp_path)

    # "my patients" lists them too and opens the same chart
    await (
        page.get_by_role("navigation", name="Doctor")
        .get_by_role("link", name="My patients")
        .click()
    )
    await page.get_by_label("Name or medical record number").fill(patient["familyName"])
    await page.get_by_role("button", name="Search").click()
    mine = page.get_by_role("list", name="My patients")
    link = mine.get_by_role("link", name=f"{patient['familyName']}, {patient['givenName']}")
    await shows(link)
    await check_screen(page, "doctor-my-patients")
    await link.click()
    await shows(page.get_by_role("heading", name=name, level=1))
    await shows(page.get_by_role("list", name="Medical records").filter(has_text="Addendum"))


async def test_a_doctor_cannot_open_the_chart_of_a_patient_not_in_their_care(
    demo_stack: DemoStack, page: Page
) -> None:
    stranger = new_patient(demo_stack)  # in nobody's care team

    # the session lives in memory: an edited URL opens the sign-in first, then that chart
    await open_app(page, demo_stack, f"/app/patients/{stranger['id']}")
    await sign_in(page, demo_stack.logins["DOCTOR"])
    error: Locator = await shows(page.get_by_test_id("error"))
    assert (await error.inner_text()).strip() == "You are not allowed to see or change this."
    shown = await page_text(page)
    assert stranger["familyName"] not in shown
    assert stranger["mrn"] not in shown
    for nothing in ("Medical records", "Prescriptions", "Write a record entry"):
        assert nothing not in shown
    await check_screen(page, "doctor-chart-refused")
    await page.locator("main").get_by_role("link", name="Back to the start").click()
    await shows(page.get_by_test_id("live"), text="Live updates are on.")
