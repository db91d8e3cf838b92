"""A patient signs in, sees their appointments and pays an invoice by card; it turns PAID when
Stripe's webhook lands."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.e2e.test_payments import issued_invoice
from tests.e2e.web.conftest import check_screen, open_app, shows, sign_in
from tests.support.stack import DemoStack

pytestmark = [pytest.mark.slow, pytest.mark.browser]


async def test_a_patient_sees_appointments_and_pays_an_invoice_by_card(
    demo_stack: DemoStack, page: Page
) -> None:
    invoice = issued_invoice(demo_stack, demo_stack.sign_in("PATIENT"))
    await open_app(page, demo_stack)
    await check_screen(page, "sign-in")
    await sign_in(page, demo_stack.logins["PATIENT"])
    await shows(page.get_by_role("heading", name="Upcoming appointments"))
    await shows(page.get_by_role("heading", name="Past appointments"))
    await shows(page.get_by_test_id("live"), text="Live updates are on.")
    row = page.locator(f'[data-invoice="{invoice}"]')
    await shows(row)
    await check_screen(page, "patient-home")

    await row.get_by_role("button", name="by card").click()
    await expect(row).to_have_attribute("data-status", "PAID", timeout=30_000)
    await check_screen(page, "patient-invoice-paid")
